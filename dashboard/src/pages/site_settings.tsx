// /sites/:id/settings: general settings, revenue (attribution window and
// payment providers), public links, the site's API keys, and privacy (erase
// a visitor, export, delete the site).
import { useMemo, useState } from 'preact/hooks';
import { api } from '../api';
import type { Key, Site } from '../api';
import { Button, ConfirmDialog, CopyButton, ErrorText, LiveStatus, Notice, Section, SelectField, TextField, useAppList, usePageTitle, useSubmit } from '../components/ui';
import { formatDateTime } from '../format';
import { KeysTable, NewSecret } from '../components/keys';
import { normaliseDomain } from '../domain';
import { kCurrencies, timeZones } from '../locale';
import { navigate } from '../router';
import { useSession } from '../session';
import { SitePage } from './site_common';
import { Revenue } from './site_revenue';

export function SiteSettings({ id }: { id: string }) {
  usePageTitle('Site settings');
  return (
    <SitePage id={id} title="Settings">
      {(site, setSite) => <Settings site={site} setSite={setSite} />}
    </SitePage>
  );
}

function Settings({ site, setSite }: { site: Site; setSite: (s: Site) => void }) {
  const readOnly = site.role === 'viewer';
  return (
    <div class="stack">
      {readOnly && <Notice kind="info">You have view-only access to this site, so its settings can’t be changed here.</Notice>}
      <General site={site} readOnly={readOnly} onSaved={setSite} />
      <Revenue site={site} readOnly={readOnly} onSaved={setSite} />
      <PublicLinks site={site} readOnly={readOnly} />
      <SiteKeys site={site} readOnly={readOnly} />
      <Privacy site={site} readOnly={readOnly} />
    </div>
  );
}

function General({ site, readOnly, onSaved }: { site: Site; readOnly: boolean; onSaved: (s: Site) => void }) {
  const { reloadSites } = useSession();
  const [domain, setDomain] = useState(site.domain);
  const [timezone, setTimezone] = useState(site.timezone);
  const [currency, setCurrency] = useState(site.currency);
  const [hostnames, setHostnames] = useState(site.allowed_hostnames.join(', '));
  const [retention, setRetention] = useState(String(site.retention_days));
  const [saved, setSaved] = useState(false);
  const f = useSubmit();
  const zones = useMemo(() => {
    const list = timeZones();
    if (!list.includes(site.timezone)) list.unshift(site.timezone);
    return list.map((z) => ({ value: z, label: z.replace(/_/g, ' ') }));
  }, [site.timezone]);
  const currencies = useMemo(() => {
    const list = kCurrencies.map((c) => ({ value: c.code, label: `${c.code} — ${c.name}` }));
    if (!list.some((c) => c.value === site.currency)) list.unshift({ value: site.currency, label: site.currency });
    return list;
  }, [site.currency]);

  const submit = (e: Event) => {
    e.preventDefault();
    setSaved(false);
    f.run(async () => {
      const d = normaliseDomain(domain);
      if (!d.ok) return f.setFieldErrors({ domain: d.reason });
      const days = Number(retention);
      if (!Number.isInteger(days) || days < 1) return f.setFieldErrors({ retention_days: 'Enter a whole number of days, 1 or more.' });
      const list = hostnames
        .split(/[\s,]+/)
        .map((h) => h.trim().toLowerCase())
        .filter(Boolean);
      const updated = await api.patch<Site>(`/sites/${site.id}`, {
        domain: d.domain,
        timezone,
        currency,
        allowed_hostnames: list,
        retention_days: days,
      });
      setDomain(updated.domain);
      setHostnames(updated.allowed_hostnames.join(', '));
      onSaved(updated);
      await reloadSites();
      setSaved(true);
    });
  };

  const years = Number(retention) / 365;
  return (
    <Section title="General">
      <form onSubmit={submit} noValidate class="form">
        <fieldset disabled={readOnly}>
          <TextField
            label="Domain"
            value={domain}
            onValue={setDomain}
            spellcheck={false}
            autoCapitalize="none"
            error={f.fieldErrors.domain}
            hint="Changing it doesn’t touch recorded data; update data-domain in your snippet too."
          />
          <div class="form-row">
            <SelectField label="Time zone" value={timezone} onValue={setTimezone} options={zones} error={f.fieldErrors.timezone} />
            <SelectField label="Currency" value={currency} onValue={setCurrency} options={currencies} error={f.fieldErrors.currency} />
          </div>
          <TextField
            label="Other allowed hostnames"
            optional
            value={hostnames}
            onValue={setHostnames}
            placeholder="checkout.example.net, app.example.org"
            spellcheck={false}
            autoCapitalize="none"
            error={f.fieldErrors.allowed_hostnames}
            hint={`Separate with commas. Subdomains of ${site.domain} are always allowed; list other domains your visitors move to (cross-domain tracking).`}
          />
          <TextField
            label="Keep events for (days)"
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            value={retention}
            onValue={setRetention}
            error={f.fieldErrors.retention_days}
            hint={
              Number.isFinite(years) && years > 0
                ? `About ${years >= 1 ? `${Math.round(years * 10) / 10} year${years >= 1.05 ? 's' : ''}` : `${Math.round(years * 12)} month${Math.round(years * 12) === 1 ? '' : 's'}`}. Older events are deleted for good. 730 days (2 years) is the default.`
                : 'Older events are deleted for good.'
            }
          />
          <ErrorText error={f.error} />
          {!readOnly && (
            <div class="actions">
              <Button type="submit" busy={f.busy} busyLabel="Saving…">
                Save changes
              </Button>
              <LiveStatus class="saved-note">{saved ? 'Saved.' : ''}</LiveStatus>
            </div>
          )}
        </fieldset>
      </form>
    </Section>
  );
}

interface Share {
  id: string;
  token: string;
  url: string;
  has_password: boolean;
  created_at: string;
}

// Read-only links to the dashboard (/share/{token}) for people without an
// account, optionally behind a password.
function PublicLinks({ site, readOnly }: { site: Site; readOnly: boolean }) {
  const base = `/sites/${site.id}/shares`;
  const { items: shares, error: loadError, reload: load } = useAppList<Share>(base, (r: { shares: Share[] }) => r.shares);
  const [password, setPassword] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<Share | null>(null);
  const f = useSubmit();
  const revoke = useSubmit();
  // The server's url may be built from its configured base URL; the link
  // this browser can open is on this origin.
  const linkOf = (s: Share) => s.url || `${location.origin}/share/${s.token}`;

  const create = (e: Event) => {
    e.preventDefault();
    setCreated(null);
    f.run(async () => {
      if (password && password.length < 8) return f.setFieldErrors({ password: 'Use at least 8 characters, or leave it empty for a link without a password.' });
      const share = await api.post<Share>(base, password ? { password } : {});
      setPassword('');
      setCreated(share.id);
      await load();
    });
  };

  const doRevoke = () =>
    revoke.run(async () => {
      await api.del(`${base}/${revoking!.id}`);
      setRevoking(null);
      await load();
    });

  return (
    <Section title="Public link" description="Share this site’s dashboard read-only with people who have no account: investors, clients, your audience. They see the numbers, never the settings.">
      {!readOnly && (
        <form onSubmit={create} noValidate class="inline-form">
          <TextField
            label="Password"
            optional
            type="password"
            autoComplete="new-password"
            value={password}
            onValue={setPassword}
            error={f.fieldErrors.password}
            hint="Leave empty for a link anyone who has it can open."
          />
          <Button type="submit" busy={f.busy} busyLabel="Creating…">
            Create link
          </Button>
        </form>
      )}
      <ErrorText error={f.error} />
      {loadError && <Notice kind="error">{loadError}</Notice>}
      {shares && shares.length === 0 && <p class="muted">No public links yet.</p>}
      {shares && shares.length > 0 && (
        <ul class="key-list" aria-label="Public links">
          {shares.map((s) => (
            <li class="key-row" key={s.id} data-share={s.id}>
              <div class="key-main">
                <p class="key-name">
                  <a href={linkOf(s)} target="_blank" rel="noopener">
                    {linkOf(s)}
                  </a>
                </p>
                <p class="muted small">
                  {s.has_password ? 'Password-protected' : 'No password'} · created {formatDateTime(s.created_at)}
                  {created === s.id && <span class="saved-note"> · new</span>}
                </p>
              </div>
              <div class="member-actions">
                <CopyButton text={linkOf(s)} what="public link" />
                {!readOnly && (
                  <Button variant="secondary" onClick={() => setRevoking(s)} aria-label={`Revoke link ${linkOf(s)}`}>
                    Revoke
                  </Button>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <ConfirmDialog
        open={!!revoking}
        title="Revoke this link?"
        confirmLabel="Revoke link"
        busy={revoke.busy}
        error={revoke.error}
        onClose={() => setRevoking(null)}
        onConfirm={doRevoke}
      >
        <p>Anyone opening it will see that it no longer works, starting now. You can create a new link at any time.</p>
      </ConfirmDialog>
    </Section>
  );
}

function SiteKeys({ site, readOnly }: { site: Site; readOnly: boolean }) {
  const base = `/sites/${site.id}/keys`;
  const { items: keys, error: loadError, reload: load } = useAppList<Key>(base, (r: { keys: Key[] }) => r.keys);
  const [name, setName] = useState('');
  const [secret, setSecret] = useState<{ key: Key; secret: string } | null>(null);
  const f = useSubmit();

  const create = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      if (!name.trim()) return f.setFieldErrors({ name: 'Give the key a name, like “Zapier” or “Weekly report”.' });
      const created = await api.post<{ key: Key; secret: string }>(base, { name: name.trim() });
      setSecret(created);
      setName('');
      await load();
    });
  };

  return (
    <Section
      title="API keys"
      description={
        <>
          Site keys (<code>df_…</code>) read this site’s analytics and record payments through the REST API, with <code>Authorization: Bearer KEY</code>.
        </>
      }
    >
      {secret && <NewSecret secret={secret.secret} name={secret.key.name} onDone={() => setSecret(null)} />}
      {!readOnly && (
        <form onSubmit={create} noValidate class="inline-form">
          <TextField label="Key name" value={name} onValue={setName} placeholder="Zapier" error={f.fieldErrors.name} />
          <Button type="submit" busy={f.busy} busyLabel="Creating…">
            Create key
          </Button>
        </form>
      )}
      <ErrorText error={f.error} />
      {loadError && <Notice kind="error">{loadError}</Notice>}
      {keys && <KeysTable keys={keys} readOnly={readOnly} revokePath={(k) => `${base}/${k.id}`} onRevoked={load} empty="No keys yet." />}
    </Section>
  );
}

function Privacy({ site, readOnly }: { site: Site; readOnly: boolean }) {
  const { reloadSites } = useSession();
  const [visitor, setVisitor] = useState('');
  const [erased, setErased] = useState<string | null>(null);
  const [confirmErase, setConfirmErase] = useState(false);
  const erase = useSubmit();
  const [deleting, setDeleting] = useState(false);
  const [typed, setTyped] = useState('');
  const del = useSubmit();

  const doErase = () =>
    erase.run(async () => {
      const r = await api.post<{ deleted_events: number }>(`/sites/${site.id}/erase-visitor`, { visitor_id: visitor.trim() });
      setConfirmErase(false);
      setErased(r.deleted_events === 0 ? `No events were stored for visitor ${visitor.trim()}.` : `Deleted ${r.deleted_events} event${r.deleted_events === 1 ? '' : 's'} of visitor ${visitor.trim()}.`);
      setVisitor('');
    });

  const doDelete = () =>
    del.run(async () => {
      await api.del(`/sites/${site.id}`);
      await reloadSites();
      navigate('/sites');
    });

  return (
    <Section title="Privacy and data">
      <div class="subsection">
        <h3>Export</h3>
        <p class="muted">Every event of this site as a CSV file, for your own analysis or a data-access request.</p>
        <a class="btn btn-secondary" href={`/api/app/sites/${site.id}/export.csv`} download={`${site.domain}-events.csv`}>
          Download CSV
        </a>
      </div>

      {!readOnly && (
        <>
          <div class="subsection">
            <h3>Erase a visitor</h3>
            <p class="muted">
              Answer a deletion request: paste the visitor’s id (the <code>datafast_visitor_id</code> cookie, or the id you passed at checkout) and every event of that visitor on this site is deleted.
            </p>
            <form
              class="inline-form"
              noValidate
              onSubmit={(e) => {
                e.preventDefault();
                setErased(null);
                if (!visitor.trim()) return erase.setFieldErrors({ visitor_id: 'Paste the visitor id first.' });
                erase.setFieldErrors({});
                setConfirmErase(true);
              }}
            >
              <TextField label="Visitor id" value={visitor} onValue={setVisitor} spellcheck={false} autoCapitalize="none" error={erase.fieldErrors.visitor_id} />
              <Button type="submit" variant="secondary">
                Erase visitor
              </Button>
            </form>
            <LiveStatus>{erased && <p class="test-ok">{erased}</p>}</LiveStatus>
            <ConfirmDialog
              open={confirmErase}
              title="Erase this visitor?"
              confirmLabel="Erase events"
              busy={erase.busy}
              error={erase.error}
              onClose={() => setConfirmErase(false)}
              onConfirm={doErase}
            >
              <p>
                Every event of visitor <code>{visitor.trim()}</code> on {site.domain} will be deleted. This can’t be undone.
              </p>
            </ConfirmDialog>
          </div>

          <div class="subsection danger-zone">
            <h3>Delete this site</h3>
            <p class="muted">Deletes {site.domain} with all its events, keys and payments. This can’t be undone; download the CSV first if you need the data.</p>
            <Button variant="danger" onClick={() => setDeleting(true)}>
              Delete site…
            </Button>
            <ConfirmDialog
              open={deleting}
              title={`Delete ${site.domain}?`}
              confirmLabel="Delete site for good"
              busy={del.busy}
              error={del.error}
              canConfirm={typed.trim().toLowerCase() === site.domain}
              onClose={() => {
                setDeleting(false);
                setTyped('');
              }}
              onConfirm={doDelete}
            >
              <p>All of its events, API keys and payments will be deleted immediately. The snippet on your site will stop being recorded.</p>
              <TextField label={`Type ${site.domain} to confirm`} value={typed} onValue={setTyped} spellcheck={false} autoCapitalize="none" autoComplete="off" />
            </ConfirmDialog>
          </div>
        </>
      )}
    </Section>
  );
}
