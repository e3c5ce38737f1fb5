// The Revenue part of a site's settings: the attribution window, one card
// per payment provider (Stripe, Lemon Squeezy, Polar, Shopify) with its
// webhook to register, the last delivery it received, the form that connects
// it with an API key and the webhook's signing secret, and how to pass the
// visitor id at checkout, then the site's X accounts and posts (site_x.tsx).
// Viewers see the same, read-only.
import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import type { Backfill, Connection, Delivery, Provider, Site } from '../api';
import { Check } from '../components/icons';
import { Button, CodeBlock, ConfirmDialog, ErrorText, LiveStatus, Notice, Rich, Section, SelectField, Spinner, TextField, useSubmit } from '../components/ui';
import { formatAgo, formatDate, formatDateTime } from '../format';
import { XAccountsAndPosts } from './site_x';

// How often the cards look for a new delivery (and refresh "3 minutes ago")
// while the page is open: setting up a webhook is checked by sending a test
// event from the provider and watching it arrive here.
const kPollMs = 15_000;

export function Revenue({ site, readOnly, onSaved }: { site: Site; readOnly: boolean; onSaved: (s: Site) => void }) {
  return (
    <Section id="revenue" title="Revenue" description="Connect your payment provider and DataFast credits each payment to the visit that brought the customer.">
      <AttributionWindow site={site} readOnly={readOnly} onSaved={onSaved} />
      <Providers site={site} readOnly={readOnly} />
      <XAccountsAndPosts site={site} readOnly={readOnly} />
    </Section>
  );
}

function AttributionWindow({ site, readOnly, onSaved }: { site: Site; readOnly: boolean; onSaved: (s: Site) => void }) {
  const [days, setDays] = useState(String(site.attribution_window_days));
  const [saved, setSaved] = useState(false);
  const f = useSubmit();

  const submit = (e: Event) => {
    e.preventDefault();
    setSaved(false);
    f.run(async () => {
      const n = Number(days);
      // The range is the server's to check; only what isn't a number stops here.
      if (!days.trim() || !Number.isInteger(n)) return f.setFieldErrors({ attribution_window_days: 'Enter a whole number of days from 1 to 90.' });
      const updated = await api.patch<Site>(`/sites/${site.id}`, { attribution_window_days: n });
      setDays(String(updated.attribution_window_days));
      onSaved(updated);
      setSaved(true);
    });
  };

  return (
    <div class="subsection">
      <h3>Attribution window</h3>
      <p class="muted">A payment is credited to the visitor’s last non-direct visit within this many days before it.</p>
      <form onSubmit={submit} noValidate class="inline-form window-form">
        <fieldset disabled={readOnly}>
          <TextField
            label="Attribution window (days)"
            type="number"
            min={1}
            max={90}
            step={1}
            inputMode="numeric"
            value={days}
            onValue={(v) => {
              setDays(v);
              setSaved(false);
            }}
            error={f.fieldErrors.attribution_window_days}
            hint="From 1 to 90 days; 30 is the default."
          />
        </fieldset>
        {!readOnly && (
          <div class="actions">
            <Button type="submit" busy={f.busy} busyLabel="Saving…">
              Save window
            </Button>
            <LiveStatus class="saved-note">{saved ? 'Saved.' : ''}</LiveStatus>
          </div>
        )}
      </form>
      <ErrorText error={f.error} />
    </div>
  );
}

// The four connections, refreshed every kPollMs. A refresh that started
// before a change made here is dropped, so it can't undo the change on screen.
function Providers({ site, readOnly }: { site: Site; readOnly: boolean }) {
  const base = `/sites/${site.id}/connections`;
  const [connections, setConnections] = useState<Connection[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const changes = useRef(0);

  useEffect(() => {
    let live = true;
    let timer = 0;
    let loaded = false;
    const load = async () => {
      // A hidden tab skips its refreshes (but not the first load).
      if (!document.hidden || !loaded) {
        const seen = changes.current;
        try {
          const r = await api.get<{ connections: Connection[] }>(base);
          loaded = true;
          if (live && seen === changes.current) {
            setConnections(r.connections);
            setError(null);
          }
        } catch (e) {
          if (live) setError(e instanceof Error ? e.message : String(e));
        }
      }
      if (live) timer = window.setTimeout(load, kPollMs);
    };
    setConnections(null);
    load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [base]);

  const replace = (c: Connection) => {
    changes.current++;
    setConnections((list) => list && list.map((x) => (x.provider === c.provider ? c : x)));
  };

  return (
    <div class="subsection">
      <h3>Payment providers</h3>
      <p class="muted">
        Register the webhook URL at your provider, then connect it here with an API key and the webhook’s signing secret. DataFast checks the key with a read-only call to the provider; the payments themselves arrive by webhook.
      </p>
      {!connections && !error && <Spinner label="Loading payment providers…" />}
      {!connections && error && <Notice kind="error">Couldn’t load the payment providers: {error}</Notice>}
      {connections && error && <p class="muted small">Couldn’t check for new deliveries just now: {error} Trying again…</p>}
      {connections && (
        <ul class="provider-list" aria-label="Payment providers">
          {connections.map((c) => (
            <ProviderCard key={c.provider} site={site} c={c} readOnly={readOnly} onChange={replace} />
          ))}
        </ul>
      )}
    </div>
  );
}

function ProviderCard({ site, c, readOnly, onChange }: { site: Site; c: Connection; readOnly: boolean; onChange: (c: Connection) => void }) {
  const headingId = useId();
  const [editing, setEditing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState('');
  const del = useSubmit();
  const card = useRef<HTMLLIElement>(null);
  // The button that opens the form takes the focus back once the form or
  // the dialog is gone (after the dialog's own focus restore).
  const focusToggle = () => window.setTimeout(() => card.current?.querySelector<HTMLButtonElement>('.provider-actions .btn')?.focus(), 0);

  const disconnect = () =>
    del.run(async () => {
      try {
        await api.del(`/sites/${site.id}/connections/${c.provider}`);
      } catch (e) {
        // Already disconnected (in another tab, say): the card catches up.
        if (!(e instanceof ApiError && e.status === 404)) throw e;
      }
      setConfirming(false);
      setEditing(false);
      onChange({ ...c, connected: false, api_key_hint: '', shop: '', connected_at: '', last_delivery: null });
      setDone(`${c.name} disconnected.`);
      focusToggle();
    });

  return (
    <li ref={card} class={`provider${c.connected ? ' is-connected' : ''}`} aria-labelledby={headingId} data-provider={c.provider}>
      <div class="provider-head">
        <h4 id={headingId}>{c.name}</h4>
        {c.connected ? (
          <span class="tag tag-ok">
            <Check width={13} height={13} /> Connected
          </span>
        ) : (
          <span class="tag">Not connected</span>
        )}
      </div>

      <dl class="facts provider-facts">
        {c.connected && (
          <>
            <div>
              <dt>API key</dt>
              <dd>
                <code>{c.api_key_hint}</code>
              </dd>
            </div>
            {c.shop && (
              <div>
                <dt>Shop</dt>
                <dd>{c.shop}</dd>
              </div>
            )}
            <div>
              <dt>Connected since</dt>
              <dd>
                <time dateTime={c.connected_at} title={formatDateTime(c.connected_at)}>
                  {formatDate(c.connected_at)}
                </time>
              </dd>
            </div>
          </>
        )}
        <div>
          <dt>Last delivery</dt>
          <dd>
            <LastDelivery d={c.last_delivery} />
          </dd>
        </div>
      </dl>

      <div class="provider-webhook">
        <p>
          In {c.name}, add a webhook endpoint with this URL{c.events.length > 0 ? ' and these events:' : '.'}
        </p>
        <CodeBlock code={c.webhook_url} label="Webhook URL" copyWhat={`the ${c.name} webhook URL`} wrap />
        {c.events.length > 0 && (
          <ul class="event-list" aria-label={`Events to send from ${c.name}`}>
            {c.events.map((e) => (
              <li key={e}>
                <code>{e}</code>
              </li>
            ))}
          </ul>
        )}
      </div>

      {c.connected && <PastPayments site={site} c={c} readOnly={readOnly} onChange={onChange} />}

      <CheckoutHint provider={c.provider} />

      <LiveStatus class="saved-note">{done}</LiveStatus>
      {!readOnly && editing && (
        <ConnectForm
          site={site}
          c={c}
          onCancel={() => {
            setEditing(false);
            focusToggle();
          }}
          onConnected={(updated) => {
            onChange(updated);
            setEditing(false);
            setDone(`${c.name} connected.`);
            focusToggle();
          }}
        />
      )}
      {!readOnly && !editing && (
        <div class="actions provider-actions">
          <Button
            variant={c.connected ? 'secondary' : 'primary'}
            onClick={() => {
              setDone('');
              setEditing(true);
            }}
          >
            {c.connected ? 'Replace keys' : `Connect ${c.name}`}
          </Button>
          {c.connected && (
            <Button variant="ghost" class="btn btn-ghost btn-danger-text" onClick={() => setConfirming(true)}>
              Disconnect
            </Button>
          )}
        </div>
      )}
      {!readOnly && (
        <ConfirmDialog
          open={confirming}
          title={`Disconnect ${c.name}?`}
          confirmLabel={`Disconnect ${c.name}`}
          busy={del.busy}
          error={del.error}
          onClose={() => setConfirming(false)}
          onConfirm={disconnect}
        >
          <p>
            {c.name} payments sent to the webhook URL are no longer recorded for {site.domain}, starting now; payments already recorded stay. Delete the webhook endpoint in {c.name} too, or connect again at any time.
          </p>
        </ConfirmDialog>
      )}
    </li>
  );
}

const kImportPollMs = 2_000;
const kImportSpans = [
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: '365', label: 'Last 12 months' },
  { value: '730', label: 'Last 2 years' },
];

// Importing payments made before the connection, with its progress; polls
// while an import runs.
function PastPayments({ site, c, readOnly, onChange }: { site: Site; c: Connection; readOnly: boolean; onChange: (c: Connection) => void }) {
  const [days, setDays] = useState('90');
  const start = useSubmit();
  const b = c.backfill;
  const running = b?.state === 'running';

  useEffect(() => {
    if (!running) return;
    let live = true;
    const timer = window.setInterval(async () => {
      try {
        const r = await api.get<{ connections: Connection[] }>(`/sites/${site.id}/connections`);
        const fresh = r.connections.find((x) => x.provider === c.provider);
        if (live && fresh) onChange(fresh);
      } catch {
        // The next tick tries again; the card's own refresh shows errors.
      }
    }, kImportPollMs);
    return () => {
      live = false;
      clearInterval(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [running, site.id, c.provider]);

  const run = () =>
    start.run(async () => {
      onChange(await api.post<Connection>(`/sites/${site.id}/connections/${c.provider}/backfill`, { days: Number(days) }));
    });
  const resumable = b?.state === 'failed';

  return (
    <div class="provider-import">
      <p class="provider-import-status" aria-live="polite">
        <ImportStatus b={b} name={c.name} />
      </p>
      {!readOnly && !running && (
        <div class="provider-import-form">
          {!resumable && <SelectField label="Import payments from" value={days} onValue={setDays} options={kImportSpans} />}
          <Button variant="secondary" busy={start.busy} busyLabel="Starting…" onClick={run}>
            {resumable ? 'Resume import' : 'Import past payments'}
          </Button>
        </div>
      )}
      <ErrorText error={start.error} />
    </div>
  );
}

function ImportStatus({ b, name }: { b: Backfill | null; name: string }) {
  if (!b) return <span class="muted">Payments made before you connected {name} can be imported from it.</span>;
  const count = `${b.payments} ${b.payments === 1 ? 'payment' : 'payments'}`;
  if (b.state === 'running') return <>Importing from {formatDate(b.since)} on… {count} so far.</>;
  if (b.state === 'done') {
    return (
      <>
        Imported {count} since {formatDate(b.since)},{' '}
        <time dateTime={b.updated_at} title={formatDateTime(b.updated_at)}>
          {formatAgo(b.updated_at)}
        </time>
        .
      </>
    );
  }
  return (
    <>
      <span class="tag tag-danger">Stopped</span> after {count}: {b.error}. Resuming goes on where it stopped.
    </>
  );
}

function LastDelivery({ d }: { d: Delivery | null }) {
  if (!d) return <span class="muted">No delivery yet</span>;
  return (
    <span class="delivery">
      <time dateTime={d.at} title={formatDateTime(d.at)}>
        {formatAgo(d.at)}
      </time>
      {d.event_type && (
        <>
          {' · '}
          <code>{d.event_type}</code>
        </>
      )}
      <span class="delivery-result">
        {d.ok ? (
          <span class="tag tag-ok">
            <Check width={13} height={13} /> OK
          </span>
        ) : (
          <span class="tag tag-danger">
            <span aria-hidden="true">✕</span> Failed
          </span>
        )}{' '}
        {d.result}
      </span>
    </span>
  );
}

interface CheckoutGuide {
  // Markdown-ish: `code` in backticks.
  text: string;
  code: string;
}

const kIds = `    datafast_visitor_id: cookies.datafast_visitor_id,
    datafast_session_id: cookies.datafast_session_id,`;

// Where each provider carries the tracker's ids from the checkout to the
// webhook (what src/revenue/<provider>/webhook.cc reads).
const kCheckout: Record<Provider, CheckoutGuide> = {
  stripe: {
    text: 'Add `metadata: {datafast_visitor_id, datafast_session_id}` to the Checkout Session you create on your server.',
    code: `// On your server; cookies are the request's
// (req.cookies in Express)
await stripe.checkout.sessions.create({
  // line_items, mode, success_url, …
  metadata: {
${kIds}
  },
});`,
  },
  lemonsqueezy: {
    text: 'Put the ids in `checkout_data.custom` when you create the checkout.',
    code: `// On your server: POST https://api.lemonsqueezy.com/v1/checkouts
// cookies are the request's (req.cookies in Express)
attributes: {
  checkout_data: {
    custom: {
  ${kIds.replace(/\n/g, '\n  ')}
    },
  },
},`,
  },
  polar: {
    text: 'Put the ids in the checkout’s `metadata`; Polar copies it to the order.',
    code: `// On your server; cookies are the request's
// (req.cookies in Express)
await polar.checkouts.create({
  products: [productId],
  metadata: {
${kIds}
  },
});`,
  },
  shopify: {
    text: 'From your theme, save the ids as cart attributes of the same names; Shopify keeps them on the order as note attributes.',
    code: `// In your theme, before checkout
const cookie = (name) => document.cookie.match('(?:^|; )' + name + '=([^;]*)')?.[1];
fetch('/cart/update.js', {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ attributes: {
    datafast_visitor_id: cookie('datafast_visitor_id'),
    datafast_session_id: cookie('datafast_session_id'),
  } }),
});`,
  },
};

function CheckoutHint({ provider }: { provider: Provider }) {
  const guide = kCheckout[provider];
  if (!guide) return null;
  return (
    <div class="provider-hint">
      <p>
        <strong>Pass the visitor id at checkout.</strong> <Rich text={guide.text} /> The values are the tracker’s <code>datafast_visitor_id</code> and <code>datafast_session_id</code> cookies on your site.
      </p>
      <details>
        <summary>Show an example</summary>
        <CodeBlock code={guide.code} label="Example" copyWhat="the example" />
      </details>
    </div>
  );
}

// Where each provider's webhook signing secret is found.
const kSecretHint: Record<Provider, string> = {
  stripe: 'Starts with whsec_; shown on the endpoint’s page in Stripe once you’ve added it.',
  lemonsqueezy: 'The signing secret you chose when you added the webhook.',
  polar: 'Shown on the endpoint’s page in Polar once you’ve added it.',
  shopify: 'Shown under the webhooks in Settings → Notifications (“Your webhooks will be signed with …”), or your app’s client secret.',
};

const kKeyPlaceholder: Partial<Record<Provider, string>> = {
  stripe: 'rk_live_…',
  shopify: 'shpat_…',
};

// "name", "https://Name.myshopify.com/admin" -> "name.myshopify.com".
function shopDomain(input: string): string {
  const host = input
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/[/?#].*$/, '');
  return host && !host.includes('.') ? `${host}.myshopify.com` : host;
}

function ConnectForm({ site, c, onConnected, onCancel }: { site: Site; c: Connection; onConnected: (c: Connection) => void; onCancel: () => void }) {
  const [apiKey, setApiKey] = useState('');
  const [secret, setSecret] = useState('');
  const [shop, setShop] = useState(c.shop);
  const f = useSubmit();
  const first = useRef<HTMLInputElement>(null);
  const shopify = c.provider === 'shopify';
  useEffect(() => first.current?.focus(), []);

  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      const missing: Record<string, string> = {};
      if (shopify && !shopDomain(shop)) missing.shop = 'Enter the shop’s domain, like your-shop.myshopify.com.';
      if (!apiKey.trim()) missing.api_key = `Paste an API key from ${c.name}.`;
      if (!secret.trim()) missing.webhook_secret = 'Paste the webhook’s signing secret.';
      if (Object.keys(missing).length) return f.setFieldErrors(missing);
      const body = { api_key: apiKey.trim(), webhook_secret: secret.trim(), ...(shopify ? { shop: shopDomain(shop) } : {}) };
      const updated = await api.put<Connection>(`/sites/${site.id}/connections/${c.provider}`, body);
      setApiKey('');
      setSecret('');
      onConnected(updated);
    });
  };

  const docs = (
    <a href={c.docs_url} target="_blank" rel="noopener noreferrer">
      {c.name}’s guide to API keys<span class="visually-hidden"> (opens in a new tab)</span>
    </a>
  );
  const known = ['api_key', 'webhook_secret', ...(shopify ? ['shop'] : [])];
  // A field this form doesn't have is shown above the buttons instead.
  const other = Object.entries(f.fieldErrors).find(([k]) => !known.includes(k));

  return (
    <form class="form connect-form" onSubmit={submit} noValidate aria-label={`Connect ${c.name}`}>
      {shopify && (
        <TextField
          label="Shop domain"
          inputRef={first}
          value={shop}
          onValue={setShop}
          placeholder="your-shop.myshopify.com"
          spellcheck={false}
          autoCapitalize="none"
          autoComplete="off"
          error={f.fieldErrors.shop}
          hint="The shop’s myshopify.com domain, not its custom one."
        />
      )}
      <TextField
        label="API key"
        type="password"
        inputRef={shopify ? undefined : first}
        value={apiKey}
        onValue={setApiKey}
        placeholder={kKeyPlaceholder[c.provider]}
        spellcheck={false}
        autoCapitalize="none"
        autoComplete="off"
        error={f.fieldErrors.api_key && <WithDocs message={f.fieldErrors.api_key} docsUrl={c.docs_url} docs={docs} />}
        hint={f.fieldErrors.api_key ? 'Read-only access is enough.' : <>Read-only access is enough. How to create one: {docs}.</>}
      />
      <TextField
        label="Webhook signing secret"
        type="password"
        value={secret}
        onValue={setSecret}
        spellcheck={false}
        autoCapitalize="none"
        autoComplete="off"
        error={f.fieldErrors.webhook_secret}
        hint={kSecretHint[c.provider]}
      />
      <ErrorText error={f.error ?? other?.[1]} />
      <div class="actions">
        <Button type="submit" busy={f.busy} busyLabel="Checking the key…">
          {c.connected ? 'Save new keys' : `Connect ${c.name}`}
        </Button>
        <Button variant="secondary" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

// The server's message with its links made clickable, and the provider's
// docs link after it unless the message has it already.
function WithDocs({ message, docsUrl, docs }: { message: string; docsUrl: string; docs: ComponentChildren }) {
  const parts = message.split(/(https?:\/\/[^\s]*[^\s.,;:!?)])/);
  return (
    <>
      {parts.map((p, i) =>
        i % 2 ? (
          <a key={i} href={p} target="_blank" rel="noopener noreferrer">
            {p}
          </a>
        ) : (
          p
        ),
      )}
      {!message.includes(docsUrl) && <> See {docs}.</>}
    </>
  );
}
