// The list of websites and the "Add website" form.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api';
import { v1 } from '../analytics/data';
import type { Metrics } from '../analytics/data';
import { count, money } from '../analytics/numbers';
import type { Site } from '../api';
import { Button, ErrorText, Notice, SelectField, TextField, usePageTitle, useSubmit } from '../components/ui';
import { Plus } from '../components/icons';
import { normaliseDomain } from '../domain';
import { formatAgo } from '../format';
import { browserCurrency, browserTimeZone, kCurrencies, timeZones } from '../locale';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { EmailNotice } from './account';

export function AddSiteForm({ autoFocus }: { autoFocus?: boolean }) {
  const { me, account, reloadSites } = useSession();
  const [domain, setDomain] = useState('');
  const [timezone, setTimezone] = useState(browserTimeZone);
  const [currency, setCurrency] = useState(browserCurrency);
  const writable = (me?.accounts ?? []).filter((a) => a.role !== 'viewer');
  const [accountId, setAccountId] = useState(() => (writable.find((a) => a.id === account?.id) ?? writable[0])?.id ?? '');
  const [touched, setTouched] = useState(false);
  const f = useSubmit();
  const zones = useMemo(() => timeZones().map((z) => ({ value: z, label: z.replace(/_/g, ' ') })), []);
  const currencies = useMemo(() => kCurrencies.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` })), []);
  const domainRef = useRef<HTMLInputElement>(null);

  if (writable.length === 0) {
    return <Notice kind="info">You have view-only access, so you can’t add websites. Ask an owner or admin of your team.</Notice>;
  }

  const check = normaliseDomain(domain);
  const preview = domain.trim() ? (
    check.ok ? (
      <span class="preview-ok">
        We’ll track <strong>{check.domain}</strong> and its subdomains.
      </span>
    ) : touched ? null : (
      <span>{check.reason}</span>
    )
  ) : (
    'Paste your site’s address; we keep only the domain. Subdomains are tracked too.'
  );
  const clientError = touched && domain.trim() && !check.ok ? check.reason : null;

  const submit = (e: Event) => {
    e.preventDefault();
    setTouched(true);
    f.run(async () => {
      if (!check.ok) {
        f.setFieldErrors({ domain: check.reason });
        domainRef.current?.focus();
        return;
      }
      const site = await api.post<Site>('/sites', { domain: check.domain, timezone, currency, ...(accountId ? { account_id: accountId } : {}) });
      await reloadSites();
      navigate(`/sites/${site.id}/setup`);
    });
  };

  return (
    <form onSubmit={submit} noValidate class="form">
      <TextField
        label="Website address"
        name="domain"
        inputRef={domainRef}
        placeholder="example.com"
        autoComplete="url"
        inputMode="url"
        spellcheck={false}
        autoCapitalize="none"
        autoFocus={autoFocus}
        required
        value={domain}
        onValue={(v) => {
          setDomain(v);
          if (f.fieldErrors.domain) f.setFieldErrors({});
        }}
        onBlur={() => domain.trim() && setTouched(true)}
        error={f.fieldErrors.domain ?? clientError}
        hint={preview}
      />
      <div class="form-row">
        <SelectField
          label="Time zone"
          name="timezone"
          value={timezone}
          onValue={setTimezone}
          options={zones}
          hint="Days in your reports start at midnight here."
          error={f.fieldErrors.timezone}
        />
        <SelectField
          label="Currency"
          name="currency"
          value={currency}
          onValue={setCurrency}
          options={currencies}
          hint="Revenue is shown in this currency."
          error={f.fieldErrors.currency}
        />
      </div>
      {writable.length > 1 && (
        <SelectField
          label="Team"
          name="account"
          value={accountId}
          onValue={setAccountId}
          options={writable.map((a) => ({ value: a.id, label: a.name }))}
          error={f.fieldErrors.account_id}
        />
      )}
      <ErrorText error={f.error} />
      <div class="actions">
        <Button type="submit" busy={f.busy} busyLabel="Adding…">
          Add website
        </Button>
      </div>
    </form>
  );
}

export function NewSite() {
  usePageTitle('Add a website');
  const { sites } = useSession();
  return (
    <div class="narrow">
      {sites.length > 0 && (
        <p class="crumbs">
          <Link href="/sites">Sites</Link> <span aria-hidden="true">/</span> Add
        </p>
      )}
      <h1>Add a website</h1>
      <p class="lead">{sites.length === 0 ? 'Step 1 of 2: tell us which site to track. Next you’ll copy one line of code into it.' : 'You’ll get the tracking snippet on the next screen.'}</p>
      <div class="card">
        <AddSiteForm autoFocus />
      </div>
    </div>
  );
}

type Summary = { visitors: number; revenue: number; currency: string } | 'error';

// Each site's last 30 days (visitors, revenue), one overview request a site.
function useSummaries(sites: Site[]): Record<string, Summary> {
  const [out, setOut] = useState<Record<string, Summary>>({});
  const ids = sites.map((s) => s.id).join(',');
  useEffect(() => {
    let live = true;
    for (const site of sites) {
      v1<{ data: Metrics[] }>({ kind: 'site', siteId: site.id }, 'overview', new URLSearchParams({ period: '30d', fields: 'visitors,revenue,currency' })).then(
        (r) => {
          const m = r.data[0];
          if (live) setOut((o) => ({ ...o, [site.id]: { visitors: m?.visitors ?? 0, revenue: m?.revenue ?? 0, currency: m?.currency || site.currency } }));
        },
        () => live && setOut((o) => ({ ...o, [site.id]: 'error' })),
      );
    }
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ids]);
  return out;
}

function SiteStats({ summary }: { summary: Summary | undefined }) {
  if (summary === 'error') return <p class="muted small">Last 30 days: not available right now.</p>;
  return (
    <div class="site-stats" aria-busy={!summary}>
      <p class="site-stat">
        <strong data-testid="site-visitors">{summary ? count(summary.visitors) : '…'}</strong> visitors, 30 days
      </p>
      <p class="site-stat">
        <strong data-testid="site-revenue">{summary ? money(summary.revenue, summary.currency) : '…'}</strong> revenue, 30 days
      </p>
    </div>
  );
}

// "€1,234.00 + $56.00": revenue is only added up within a currency.
function SitesTotal({ sites, summaries }: { sites: Site[]; summaries: Record<string, Summary> }) {
  const known = sites.map((s) => summaries[s.id]).filter((x): x is Exclude<Summary, 'error'> => !!x && x !== 'error');
  const done = sites.every((s) => summaries[s.id]);
  const visitors = known.reduce((n, x) => n + x.visitors, 0);
  const byCurrency = new Map<string, number>();
  for (const x of known) if (x.revenue !== 0) byCurrency.set(x.currency, (byCurrency.get(x.currency) ?? 0) + x.revenue);
  const revenue = [...byCurrency].sort(([a], [b]) => a.localeCompare(b)).map(([c, v]) => money(v, c));
  return (
    <section class="card sites-total" aria-labelledby="sites-total-title" aria-busy={!done}>
      <h2 id="sites-total-title">All sites, last 30 days</h2>
      <p class="site-stat">
        <strong data-testid="total-visitors">{done ? count(visitors) : '…'}</strong> visitors
      </p>
      <p class="site-stat">
        <strong data-testid="total-revenue">{done ? (revenue.length ? revenue.join(' + ') : money(0, sites[0]?.currency ?? 'USD')) : '…'}</strong> revenue
      </p>
    </section>
  );
}

function SiteCard({ site, accountName, summary }: { site: Site; accountName?: string; summary: Summary | undefined }) {
  const live = !!site.first_event_at;
  return (
    <li class="card site-card" data-site={site.domain}>
      <div class="site-card-main">
        <h2 class="site-domain">
          <Link href={`/sites/${site.id}`}>{site.domain}</Link>
        </h2>
        <p class={`status ${live ? 'status-live' : 'status-waiting'}`}>
          <span class="dot" aria-hidden="true" />
          {live ? `Receiving data since ${formatAgo(site.first_event_at)}` : 'Waiting for the first visit'}
        </p>
        {live && <SiteStats summary={summary} />}
        <p class="muted small">
          {site.events_this_month.toLocaleString()} {site.events_this_month === 1 ? 'event' : 'events'} this month ·{' '}
          {site.timezone.replace(/_/g, ' ')} · {site.currency}
          {accountName && <> · {accountName}</>}
        </p>
      </div>
      <div class="site-card-links">
        {!live && site.role !== 'viewer' && (
          <Link class="btn btn-primary btn-small" href={`/sites/${site.id}/setup`}>
            Install snippet
          </Link>
        )}
        <Link class="btn btn-secondary btn-small" href={`/sites/${site.id}/settings`} aria-label={`Settings for ${site.domain}`}>
          Settings
        </Link>
      </div>
    </li>
  );
}

export function SitesList() {
  usePageTitle('Sites');
  const { sites, me } = useSession();
  const accounts = me?.accounts ?? [];
  const canAdd = accounts.some((a) => a.role !== 'viewer');
  const names = new Map(accounts.map((a) => [a.id, a.name]));
  const summaries = useSummaries(sites);

  if (sites.length === 0) {
    return (
      <div class="narrow">
        <EmailNotice />
        <h1>Welcome to DataFast</h1>
        <p class="lead">Add your website to start measuring visitors and the revenue they bring. It takes about two minutes.</p>
        <ol class="steps" aria-label="Getting started">
          <li class="step-current">Add your website</li>
          <li>Paste one line of code into it</li>
          <li>See your first visitor</li>
        </ol>
        <div class="card">
          <AddSiteForm />
        </div>
      </div>
    );
  }

  return (
    <div>
      <EmailNotice />
      <div class="page-head">
        <h1>Sites</h1>
        {canAdd && (
          <Link class="btn btn-primary" href="/sites/new">
            <Plus /> Add website
          </Link>
        )}
      </div>
      <p class="lead" aria-live="polite">
        All sites: <strong>{sites.reduce((sum, s) => sum + s.events_this_month, 0).toLocaleString()}</strong> events this
        month across {sites.length} {sites.length === 1 ? 'website' : 'websites'}.
      </p>
      <SitesTotal sites={sites} summaries={summaries} />
      <ul class="site-list">
        {sites.map((s) => (
          <SiteCard key={s.id} site={s} summary={summaries[s.id]} accountName={accounts.length > 1 ? names.get(s.account_id) : undefined} />
        ))}
      </ul>
    </div>
  );
}
