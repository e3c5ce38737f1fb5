// /sites/:id: the analytics dashboard of one site, or, before its first
// visit, what to do to get one.
import type { Site } from '../api';
import { Dashboard } from '../analytics/lazy';
import { usePageTitle } from '../components/ui';
import { Link } from '../router';
import { SitePage, useInstallStatus } from './site_common';

export function SiteOverview({ id }: { id: string }) {
  usePageTitle('Overview');
  return (
    <SitePage id={id} title="Overview">
      {(site) => (site.first_event_at ? <Analytics site={site} /> : <Waiting site={site} />)}
    </SitePage>
  );
}

function Analytics({ site }: { site: Site }) {
  return (
    <Dashboard
      key={site.id}
      access={{ kind: 'site', siteId: site.id }}
      site={{ domain: site.domain, timezone: site.timezone, currency: site.currency, attributionWindowDays: site.attribution_window_days }}
      siteId={site.id}
      canEditNotes={site.role !== 'viewer'}
    />
  );
}

// No event yet: say what to do next, and switch to the dashboard on its own
// once the first visit arrives.
function Waiting({ site }: { site: Site }) {
  const { status } = useInstallStatus(site.id, 10_000);
  if (status?.received) return <Analytics site={{ ...site, first_event_at: status.first_event_at }} />;
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
