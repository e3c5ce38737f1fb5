// /sites/:id: a simple overview until the analytics dashboard (issue 4)
// replaces this file: install status and the most recent events.
import type { Site } from '../api';
import { Notice, Spinner, usePageTitle } from '../components/ui';
import { formatAgo, formatDateTime, formatNumber } from '../format';
import { Link } from '../router';
import { SitePage, useInstallStatus } from './site_common';

// The setup screen's test visits land on this path.
const kTestPath = '/__datafast/test-visit';

export function SiteOverview({ id }: { id: string }) {
  usePageTitle('Overview');
  return (
    <SitePage id={id} title="Overview">
      {(site) => <Overview site={site} />}
    </SitePage>
  );
}

function Overview({ site }: { site: Site }) {
  const { status, error } = useInstallStatus(site.id, 10_000);
  if (!status && error) return <Notice kind="error">{error}</Notice>;
  if (!status) return <Spinner />;

  if (!status.received) {
    return (
      <div class="card empty">
        <h2>No visits yet</h2>
        <p>
          DataFast hasn’t seen a visitor on <strong>{site.domain}</strong> yet. Add the tracking snippet to your site and your first visitor shows up here within seconds.
        </p>
        {site.role !== 'viewer' ? (
          <Link class="btn btn-primary" href={`/sites/${site.id}/setup`}>
            Set up tracking
          </Link>
        ) : (
          <p class="muted">Ask an owner or admin of your team to install the snippet.</p>
        )}
      </div>
    );
  }

  return (
    <div class="overview">
      <div class="stats" role="list">
        <div class="stat card" role="listitem">
          <p class="stat-label">Events recorded</p>
          <p class="stat-value">{formatNumber(status.events_total)}</p>
        </div>
        <div class="stat card" role="listitem">
          <p class="stat-label">Last event</p>
          <p class="stat-value">{formatAgo(status.last_event_at)}</p>
        </div>
        <div class="stat card" role="listitem">
          <p class="stat-label">Tracking since</p>
          <p class="stat-value">{formatDateTime(status.first_event_at)}</p>
        </div>
      </div>
      <section class="card" aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent events</h2>
        <p class="muted small">Updates every 10 seconds. The full analytics dashboard is on its way.</p>
        {status.recent.length === 0 ? (
          <p>No recent events.</p>
        ) : (
          <div class="table-wrap" tabIndex={0} role="region" aria-labelledby="recent-heading">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Page</th>
                  <th scope="col">Country</th>
                  <th scope="col">Browser</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {status.recent.map((e, i) => (
                  <tr key={`${e.ts}-${i}`}>
                    <td>
                      <span class="tag">{e.path === kTestPath ? 'test visit' : e.type}</span>
                    </td>
                    <td class="cell-path">{e.path || '—'}</td>
                    <td>{e.country || '—'}</td>
                    <td>{e.browser || '—'}</td>
                    <td>
                      <time dateTime={e.ts} title={formatDateTime(e.ts)}>
                        {formatAgo(e.ts)}
                      </time>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}
