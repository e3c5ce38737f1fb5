// /sites/:id/setup: the snippet with a copy button, install guides per
// platform, and the live check that turns green on the first real visit.
import { useState } from 'preact/hooks';
import { sendTestVisit } from '../api';
import type { Site } from '../api';
import { Button, CodeBlock, ErrorText, Rich, Tabs, usePageTitle, useSubmit } from '../components/ui';
import { Check } from '../components/icons';
import { formatAgo } from '../format';
import { Link } from '../router';
import { guides, snippet } from '../snippet';
import type { Step } from '../snippet';
import { SitePage, useInstallStatus } from './site_common';

export function SiteSetup({ id }: { id: string }) {
  usePageTitle('Install the snippet');
  return (
    <SitePage id={id} title="Install the snippet">
      {(site) => <Setup site={site} />}
    </SitePage>
  );
}

function Setup({ site }: { site: Site }) {
  const origin = location.origin;
  const code = snippet(site, origin);
  return (
    <div class="setup">
      <section class="card" aria-labelledby="step-snippet">
        <h2 id="step-snippet">
          <span class="step-no" aria-hidden="true">1</span> Copy your snippet
        </h2>
        <p>
          Paste it into the <code>&lt;head&gt;</code> of every page on <strong>{site.domain}</strong>. It’s about 2 KB, loads without slowing the page, and works on subdomains too.
        </p>
        <CodeBlock code={code} label="Tracking snippet" copyWhat="the tracking snippet" wrap />
      </section>

      <section class="card" aria-labelledby="step-platform">
        <h2 id="step-platform">
          <span class="step-no" aria-hidden="true">2</span> Add it to your site
        </h2>
        <p class="muted">Pick where your site is built for exact steps.</p>
        <Tabs
          label="Platform"
          tabs={guides(site, origin).map((g) => ({
            id: g.id,
            label: g.label,
            content: () => (
              <ol class="guide">
                {groupSteps(g.steps).map((step, i) => (
                  <li key={i}>
                    <Rich text={step.text} />
                    {step.code.map((c) => (
                      <CodeBlock key={c.label} code={c.code} label={c.label} />
                    ))}
                  </li>
                ))}
              </ol>
            ),
          }))}
        />
      </section>

      <Verify site={site} />
    </div>
  );
}

// A code block belongs to the numbered step before it.
function groupSteps(steps: Step[]): { text: string; code: { code: string; label: string }[] }[] {
  const out: { text: string; code: { code: string; label: string }[] }[] = [];
  for (const s of steps) {
    if (typeof s === 'string') out.push({ text: s, code: [] });
    else if (out.length) out[out.length - 1].code.push(s);
    else out.push({ text: '', code: [s] });
  }
  return out;
}

function Verify({ site }: { site: Site }) {
  const [testSent, setTestSent] = useState(false);
  const { status, error } = useInstallStatus(site.id, 2000);
  const test = useSubmit();
  const received = !!status?.received;

  const sendTest = () =>
    test.run(async () => {
      await sendTestVisit(site);
      setTestSent(true);
    });

  return (
    <section class={`card verify ${received ? 'verify-ok' : ''}`} aria-labelledby="step-verify">
      <h2 id="step-verify">
        <span class="step-no" aria-hidden="true">
          {received ? <Check /> : '3'}
        </span>{' '}
        Verify installation
      </h2>
      <div role="status" aria-live="polite" class="verify-status">
        {!status && !error && <p class="muted">Checking…</p>}
        {status && !received && (
          <div class="waiting">
            <span class="pulse" aria-hidden="true" />
            <div>
              <p class="verify-title">Waiting for the first visit from {site.domain}…</p>
              <p class="muted">Once the snippet is live, open your site in another tab. This check updates by itself every few seconds.</p>
            </div>
          </div>
        )}
        {received && (
          <div class="success">
            <p class="verify-title">
              <Check /> DataFast is receiving visits from {site.domain}
            </p>
            <p>
              First visit {formatAgo(status?.first_event_at)}
              {status && status.events_total > 0 && <> · {status.events_total} event{status.events_total === 1 ? '' : 's'} so far</>}.
            </p>
            <Link class="btn btn-success" href={`/sites/${site.id}`}>
              Go to your dashboard
            </Link>
          </div>
        )}
      </div>
      {error && <p class="muted small">Couldn’t check just now: {error} Trying again…</p>}

      {!received && (
        <div class="test-visit">
          <h3>No site to try it on yet?</h3>
          <p class="muted">Send a test visit from this browser to check that this server records events for {site.domain}.</p>
          <Button variant="secondary" onClick={sendTest} busy={test.busy} busyLabel="Sending…">
            Send a test visit
          </Button>
          <ErrorText error={test.error} />
          <div role="status" aria-live="polite">
            {status?.test_received ? (
              <p class="test-ok">
                <Check /> <strong>Test visit received.</strong> This server is recording events for {site.domain}. The real check above turns green once the snippet is on your site and a real visitor arrives.
              </p>
            ) : testSent ? (
              <p class="muted">Test visit sent; waiting for it to arrive…</p>
            ) : null}
          </div>
        </div>
      )}
    </section>
  );
}
