// /account: email status, change password, account API tokens (dft_…),
// delete the user.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { Account, Key } from '../api';
import { KeysTable, NewSecret } from '../components/keys';
import { Button, ConfirmDialog, ErrorText, LiveStatus, Notice, Section, SelectField, TextField, usePageTitle, useSubmit } from '../components/ui';
import { formatDate } from '../format';
import { useSession } from '../session';

// "Confirm your email" with a resend button, while the address is unverified.
export function EmailNotice() {
  const { me, state } = useSession();
  const [sent, setSent] = useState(false);
  const f = useSubmit();
  if (!me || me.user.email_verified) return null;
  return (
    <div class="alert alert-info email-notice">
      <div>
        <strong>Confirm your email address.</strong> We sent a link to {me.user.email}
        {state?.email_delivery === 'log' ? ' (this server has no email set up, so the link is in the server log)' : ''}. Confirming lets you reset your password if you forget it.
      </div>
      <div class="email-notice-action">
        <Button
          variant="ghost"
          class="btn btn-ghost btn-small"
          busy={f.busy}
          disabled={sent}
          onClick={() =>
            f.run(async () => {
              await api.post('/email/resend');
              setSent(true);
            })
          }
        >
          {sent ? 'Sent' : 'Resend link'}
        </Button>
        <LiveStatus class="visually-hidden">{sent ? 'A new confirmation link is on its way.' : ''}</LiveStatus>
      </div>
      <ErrorText error={f.error} />
    </div>
  );
}

function ChangePassword() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [done, setDone] = useState(false);
  const f = useSubmit();
  const submit = (e: Event) => {
    e.preventDefault();
    setDone(false);
    f.run(async () => {
      if (next.length < 10) return f.setFieldErrors({ new_password: 'Use at least 10 characters.' });
      await api.post('/password', { current_password: current, new_password: next });
      setCurrent('');
      setNext('');
      setDone(true);
    });
  };
  return (
    <Section title="Password" description="Changing it signs you out everywhere else.">
      <form onSubmit={submit} noValidate class="form form-narrow">
        <TextField label="Current password" type="password" autoComplete="current-password" value={current} onValue={setCurrent} error={f.fieldErrors.current_password} />
        <TextField
          label="New password"
          type="password"
          autoComplete="new-password"
          value={next}
          onValue={setNext}
          error={f.fieldErrors.new_password}
          hint="At least 10 characters."
        />
        <ErrorText error={f.error} />
        <div class="actions">
          <Button type="submit" busy={f.busy} busyLabel="Saving…">
            Change password
          </Button>
          <LiveStatus class="saved-note">{done ? 'Password changed.' : ''}</LiveStatus>
        </div>
      </form>
    </Section>
  );
}

const kScopes = [
  { id: 'analytics:read', label: 'Read analytics', hint: 'Visitors, pages, sources and revenue of every site' },
  { id: 'sites:read', label: 'List sites', hint: 'The account’s sites and their settings' },
  { id: 'payments:read', label: 'Read payments', hint: 'Payments and their attribution' },
  { id: 'payments:write', label: 'Record payments', hint: 'Send payments from your backend' },
];

function Tokens({ account }: { account: Account }) {
  const [keys, setKeys] = useState<Key[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<string[]>(['analytics:read']);
  const [secret, setSecret] = useState<{ key: Key; secret: string } | null>(null);
  const f = useSubmit();
  const base = `/accounts/${account.id}/tokens`;
  const readOnly = account.role === 'viewer';
  const load = () =>
    api
      .get<{ keys: Key[] }>(base)
      .then((r) => setKeys(r.keys))
      .catch((e: Error) => setLoadError(e.message));
  useEffect(() => {
    setKeys(null);
    setSecret(null);
    load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [account.id]);

  const create = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      if (!name.trim()) return f.setFieldErrors({ name: 'Give the token a name, like “Slack alerts”.' });
      if (scopes.length === 0) return f.setFieldErrors({ scopes: 'Pick at least one permission.' });
      const created = await api.post<{ key: Key; secret: string }>(base, { name: name.trim(), scopes });
      setSecret(created);
      setName('');
      await load();
    });
  };

  return (
    <>
      {secret && <NewSecret secret={secret.secret} name={secret.key.name} onDone={() => setSecret(null)} />}
      {!readOnly && (
        <form onSubmit={create} noValidate class="form">
          <TextField label="Token name" value={name} onValue={setName} placeholder="Slack alerts" error={f.fieldErrors.name} />
          <fieldset class="checks" aria-describedby={f.fieldErrors.scopes ? 'scopes-error' : undefined}>
            <legend>Permissions</legend>
            {kScopes.map((s) => (
              <label key={s.id} class="check">
                <input
                  type="checkbox"
                  checked={scopes.includes(s.id)}
                  onChange={(e) => setScopes(e.currentTarget.checked ? [...scopes, s.id] : scopes.filter((x) => x !== s.id))}
                />
                <span>
                  <span class="check-label">{s.label}</span> <code class="small">{s.id}</code>
                  <span class="check-hint">{s.hint}</span>
                </span>
              </label>
            ))}
            {f.fieldErrors.scopes && (
              <p class="field-error" id="scopes-error">
                {f.fieldErrors.scopes}
              </p>
            )}
          </fieldset>
          <ErrorText error={f.error} />
          <div class="actions">
            <Button type="submit" busy={f.busy} busyLabel="Creating…">
              Create token
            </Button>
          </div>
        </form>
      )}
      {loadError && <Notice kind="error">{loadError}</Notice>}
      {keys && (
        <>
          <h3 class="list-title">Active tokens</h3>
          <KeysTable keys={keys} readOnly={readOnly} showScopes revokePath={(k) => `${base}/${k.id}`} onRevoked={load} empty="No tokens yet." />
        </>
      )}
    </>
  );
}

function DeleteAccount() {
  const { me, forget } = useSession();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const f = useSubmit();
  const owned = (me?.accounts ?? []).filter((a) => a.role === 'owner');
  const confirm = () =>
    f.run(async () => {
      if (!password) return f.setFieldErrors({ password: 'Enter your password.' });
      await api.del('/me', { password });
      await forget('/login');
    });
  return (
    <Section title="Delete your account">
      <p class="muted">
        Deletes your login{owned.length > 0 ? ', and every team you alone own with all its sites and their data' : ''}. This can’t be undone.
      </p>
      <Button variant="danger" onClick={() => setOpen(true)}>
        Delete my account…
      </Button>
      <ConfirmDialog
        open={open}
        title="Delete your account?"
        confirmLabel="Delete everything"
        busy={f.busy}
        error={f.error}
        onClose={() => {
          setOpen(false);
          setPassword('');
        }}
        onConfirm={confirm}
      >
        <p>
          {me?.user.email} will be deleted
          {owned.length > 0 && <>, together with {owned.map((a) => a.name).join(', ')} and all of its sites and data, unless someone else also owns it</>}.
        </p>
        <TextField label="Your password" type="password" autoComplete="current-password" value={password} onValue={setPassword} error={f.fieldErrors.password} />
      </ConfirmDialog>
    </Section>
  );
}

export function AccountPage() {
  usePageTitle('Account');
  const { me, account, setAccount } = useSession();
  if (!me) return null;
  return (
    <div class="stack">
      <h1>Account</h1>
      <EmailNotice />
      <Section title="Profile">
        <dl class="facts">
          <div>
            <dt>Email</dt>
            <dd>
              {me.user.email} {me.user.email_verified ? <span class="tag tag-ok">confirmed</span> : <span class="tag tag-warn">not confirmed</span>}
            </dd>
          </div>
          <div>
            <dt>Member since</dt>
            <dd>{formatDate(me.user.created_at)}</dd>
          </div>
        </dl>
      </Section>
      <ChangePassword />
      <Section
        title="API tokens"
        description={
          <>
            Account tokens (<code>dft_…</code>) work for every site of a team; pass <code>?websiteId=</code> with each request. Give each integration its own token with only the permissions it needs.
          </>
        }
      >
        {me.accounts.length > 1 && account && (
          <SelectField
            label="Team"
            value={account.id}
            onValue={setAccount}
            options={me.accounts.map((a) => ({ value: a.id, label: a.name }))}
          />
        )}
        {account && <Tokens account={account} />}
      </Section>
      <DeleteAccount />
    </div>
  );
}
