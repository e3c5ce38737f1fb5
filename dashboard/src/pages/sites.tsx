// The list of websites and the "Add website" form.
import { useMemo, useRef, useState } from 'preact/hooks';
import { api } from '../api';
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

function SiteCard({ site, accountName }: { site: Site; accountName?: string }) {
  const live = !!site.first_event_at;
  return (
    <li class="card site-card">
      <div class="site-card-main">
        <h2 class="site-domain">
          <Link href={`/sites/${site.id}`}>{site.domain}</Link>
        </h2>
        <p class={`status ${live ? 'status-live' : 'status-waiting'}`}>
          <span class="dot" aria-hidden="true" />
          {live ? `Receiving data since ${formatAgo(site.first_event_at)}` : 'Waiting for the first visit'}
        </p>
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
      <ul class="site-list">
        {sites.map((s) => (
          <SiteCard key={s.id} site={s} accountName={accounts.length > 1 ? names.get(s.account_id) : undefined} />
        ))}
      </ul>
    </div>
  );
}
