// /team: members and pending invitations of the current account. Owners and
// admins invite, change roles and remove; viewers see the list read-only.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { Account, Invite, Member, Role } from '../api';
import { Button, ConfirmDialog, ErrorText, LiveStatus, Notice, Section, SelectField, Spinner, TextField, roleLabel, usePageTitle, useSubmit } from '../components/ui';
import { formatDate } from '../format';
import { useSession } from '../session';

const kRoleHelp = 'Admins add sites, change settings and invite people. Viewers see every dashboard and change nothing.';

export function AccountPicker() {
  const { me, account, setAccount } = useSession();
  if (!me || me.accounts.length < 2 || !account) return null;
  return (
    <div class="picker">
      <SelectField label="Team" value={account.id} onValue={setAccount} options={me.accounts.map((a) => ({ value: a.id, label: `${a.name} (${roleLabel(a.role)})` }))} />
    </div>
  );
}

export function TeamPage() {
  usePageTitle('Team');
  const { account } = useSession();
  return (
    <div class="stack">
      <div class="page-head">
        <h1>Team{account ? <span class="muted h-sub"> · {account.name}</span> : null}</h1>
      </div>
      <AccountPicker />
      {account ? <Team account={account} /> : <Notice>You don’t belong to a team yet.</Notice>}
    </div>
  );
}

function Team({ account }: { account: Account }) {
  const { me } = useSession();
  const [data, setData] = useState<{ members: Member[]; invites: Invite[] } | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const canManage = account.role !== 'viewer';
  const base = `/accounts/${account.id}`;
  const load = () =>
    api
      .get<{ members: Member[]; invites: Invite[] }>(`${base}/members`)
      .then(setData)
      .catch((e: Error) => setLoadError(e.message));
  useEffect(() => {
    setData(null);
    load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [account.id]);

  if (loadError) return <Notice kind="error">{loadError}</Notice>;
  if (!data) return <Spinner />;
  return (
    <>
      {!canManage && <Notice kind="info">You’re a viewer on this team: you can see everything, and an owner or admin can make changes.</Notice>}
      <LiveStatus class="visually-hidden">{status}</LiveStatus>
      {canManage && <InviteForm base={base} isOwner={account.role === 'owner'} onInvited={(email) => { setStatus(`Invitation sent to ${email}.`); load(); }} />}
      <Section title="Members">
        <ul class="member-list">
          {data.members.map((m) => (
            <MemberRow
              key={m.user_id}
              member={m}
              base={base}
              isSelf={m.user_id === me?.user.id}
              canManage={canManage && m.role !== 'owner' && m.user_id !== me?.user.id}
              canGrantAdmin={account.role === 'owner' || account.role === 'admin'}
              onChanged={(msg) => {
                setStatus(msg);
                load();
              }}
            />
          ))}
        </ul>
      </Section>
      <Section title="Pending invitations">
        {data.invites.length === 0 ? (
          <p class="muted">No pending invitations.</p>
        ) : (
          <ul class="member-list">
            {data.invites.map((i) => (
              <InviteRow key={i.id} invite={i} base={base} canManage={canManage} onRevoked={(msg) => { setStatus(msg); load(); }} />
            ))}
          </ul>
        )}
      </Section>
    </>
  );
}

function InviteForm({ base, isOwner, onInvited }: { base: string; isOwner: boolean; onInvited: (email: string) => void }) {
  const { state } = useSession();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const [sent, setSent] = useState<string | null>(null);
  const f = useSubmit();
  const roles = [
    { value: 'viewer', label: 'Viewer — can look, can’t change' },
    { value: 'admin', label: 'Admin — can manage sites and people' },
    ...(isOwner ? [{ value: 'owner', label: 'Owner — everything, including billing' }] : []),
  ];
  const submit = (e: Event) => {
    e.preventDefault();
    setSent(null);
    f.run(async () => {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim())) return f.setFieldErrors({ email: 'Enter an email address like name@example.com.' });
      await api.post(`${base}/invites`, { email: email.trim(), role });
      setSent(email.trim());
      onInvited(email.trim());
      setEmail('');
    });
  };
  return (
    <Section title="Invite someone" description={kRoleHelp}>
      <form onSubmit={submit} noValidate class="form">
        <div class="form-row">
          <TextField label="Email" type="email" autoComplete="off" value={email} onValue={setEmail} error={f.fieldErrors.email} placeholder="name@example.com" />
          <SelectField label="Role" value={role} onValue={(v) => setRole(v as Role)} options={roles} error={f.fieldErrors.role} />
        </div>
        <ErrorText error={f.error} />
        <div class="actions">
          <Button type="submit" busy={f.busy} busyLabel="Inviting…">
            Send invitation
          </Button>
        </div>
        {sent && (
          <p class="test-ok">
            Invitation sent to {sent}.{state?.email_delivery === 'log' ? ' This server has no email set up: the link is in the server log, pass it on yourself.' : ''}
          </p>
        )}
      </form>
    </Section>
  );
}

function MemberRow({
  member,
  base,
  isSelf,
  canManage,
  canGrantAdmin,
  onChanged,
}: {
  member: Member;
  base: string;
  isSelf: boolean;
  canManage: boolean;
  canGrantAdmin: boolean;
  onChanged: (msg: string) => void;
}) {
  const [role, setRole] = useState<Role>(member.role);
  const [removing, setRemoving] = useState(false);
  const save = useSubmit();
  const remove = useSubmit();
  useEffect(() => setRole(member.role), [member.role]);
  const roles = [
    { value: 'viewer', label: 'Viewer' },
    ...(canGrantAdmin ? [{ value: 'admin', label: 'Admin' }] : []),
  ];
  return (
    <li class="member-row">
      <div class="member-main">
        <p class="member-email">
          {member.email} {isSelf && <span class="tag">you</span>}
        </p>
        <p class="muted small">Joined {formatDate(member.joined_at)}</p>
      </div>
      {canManage ? (
        <div class="member-actions">
          <label class="visually-hidden" for={`role-${member.user_id}`}>
            Role of {member.email}
          </label>
          <select id={`role-${member.user_id}`} value={role} onChange={(e) => setRole(e.currentTarget.value as Role)} class="select-small">
            {roles.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
          {role !== member.role && (
            <Button
              class="btn btn-primary btn-small"
              busy={save.busy}
              onClick={() =>
                save.run(async () => {
                  await api.patch(`${base}/members/${member.user_id}`, { role });
                  onChanged(`${member.email} is now ${roleLabel(role)}.`);
                })
              }
            >
              Save role
            </Button>
          )}
          <Button variant="ghost" class="btn btn-ghost btn-danger-text btn-small" onClick={() => setRemoving(true)} aria-label={`Remove ${member.email}`}>
            Remove
          </Button>
          <ErrorText error={save.error} />
          <ConfirmDialog
            open={removing}
            title={`Remove ${member.email}?`}
            confirmLabel="Remove from team"
            busy={remove.busy}
            error={remove.error}
            onClose={() => setRemoving(false)}
            onConfirm={() =>
              remove.run(async () => {
                await api.del(`${base}/members/${member.user_id}`);
                setRemoving(false);
                onChanged(`${member.email} was removed.`);
              })
            }
          >
            <p>They lose access to every site of this team at once. You can invite them again later.</p>
          </ConfirmDialog>
        </div>
      ) : (
        <span class={`tag tag-role-${member.role}`}>{roleLabel(member.role)}</span>
      )}
    </li>
  );
}

function InviteRow({ invite, base, canManage, onRevoked }: { invite: Invite; base: string; canManage: boolean; onRevoked: (msg: string) => void }) {
  const f = useSubmit();
  return (
    <li class="member-row">
      <div class="member-main">
        <p class="member-email">{invite.email}</p>
        <p class="muted small">
          {roleLabel(invite.role)} · expires {formatDate(invite.expires_at)}
        </p>
      </div>
      {canManage && (
        <div class="member-actions">
          <Button
            variant="ghost"
            class="btn btn-ghost btn-danger-text btn-small"
            busy={f.busy}
            aria-label={`Revoke the invitation for ${invite.email}`}
            onClick={() =>
              f.run(async () => {
                await api.del(`${base}/invites/${invite.id}`);
                onRevoked(`The invitation for ${invite.email} was revoked.`);
              })
            }
          >
            Revoke
          </Button>
          <ErrorText error={f.error} />
        </div>
      )}
    </li>
  );
}
