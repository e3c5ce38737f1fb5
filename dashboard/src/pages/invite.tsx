// /invite/:token: who invited you to what; join with the current session,
// or create an account (or log in) first.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { InviteInfo } from '../api';
import { Button, ErrorText, Notice, Spinner, roleLabel, useSubmit } from '../components/ui';
import { Link, navigate } from '../router';
import { useSession } from '../session';
import { AuthCard } from './auth';

const kRoleText: Record<string, string> = {
  owner: 'manage everything, including billing',
  admin: 'add sites, change settings and invite people',
  viewer: 'see every dashboard, without changing anything',
};

export function AcceptInvite({ token }: { token: string }) {
  const { me, reloadMe, setAccount } = useSession();
  const [info, setInfo] = useState<InviteInfo | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const f = useSubmit();

  useEffect(() => {
    api
      .get<InviteInfo>(`/invites/${encodeURIComponent(token)}`)
      .then(setInfo)
      .catch((e: Error) => setLoadError(e.message));
  }, [token]);

  if (loadError) {
    return (
      <AuthCard title="This invitation can’t be used">
        <Notice kind="error">{loadError} Ask the person who invited you to send a new invitation.</Notice>
      </AuthCard>
    );
  }
  if (!info) {
    return (
      <AuthCard title="Invitation">
        <Spinner />
      </AuthCard>
    );
  }

  const here = `/invite/${encodeURIComponent(token)}`;
  const accept = () =>
    f.run(async () => {
      await api.post(`/invites/${encodeURIComponent(token)}/accept`);
      const refreshed = await reloadMe();
      const joined = refreshed.accounts.find((a) => a.name === info.account_name);
      if (joined) setAccount(joined.id);
      navigate('/sites');
    });

  return (
    <AuthCard title={`Join ${info.account_name}`}>
      <p>
        You’re invited to <strong>{info.account_name}</strong> on DataFast as <strong>{roleLabel(info.role)}</strong>: you’ll be able to {kRoleText[info.role] ?? 'work with the team'}.
      </p>
      {me ? (
        <>
          {me.user.email.toLowerCase() !== info.email.toLowerCase() && (
            <Notice kind="warning">
              This invitation was sent to <strong>{info.email}</strong>, and you’re logged in as <strong>{me.user.email}</strong>. Accepting adds <strong>{me.user.email}</strong> to the team.
            </Notice>
          )}
          <ErrorText error={f.error} />
          <Button onClick={accept} busy={f.busy} busyLabel="Joining…" class="btn btn-primary btn-block">
            Join {info.account_name}
          </Button>
        </>
      ) : (
        <>
          <Link class="btn btn-primary btn-block" href={`/signup?invite=${encodeURIComponent(token)}&email=${encodeURIComponent(info.email)}`}>
            Create your account
          </Link>
          <p class="auth-alt">
            Already use DataFast? <Link href={`/login?next=${encodeURIComponent(here)}`}>Log in to accept</Link>
          </p>
        </>
      )}
    </AuthCard>
  );
}
