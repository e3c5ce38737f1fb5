// Sign up (the first user creates the owner account), log in, forgot and
// reset password, verify email.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { Me } from '../api';
import { Button, ErrorText, Notice, Spinner, TextField, usePageTitle, useSubmit } from '../components/ui';
import { Link, safeNext, useLocation } from '../router';
import { useSession } from '../session';

const kMinPassword = 10;

export function AuthCard({ title, intro, children, footer }: { title: string; intro?: ComponentChildren; children: ComponentChildren; footer?: ComponentChildren }) {
  usePageTitle(title);
  return (
    <div class="auth">
      <div class="card auth-card">
        <h1>{title}</h1>
        {intro && <div class="auth-intro">{intro}</div>}
        {children}
      </div>
      {footer && <p class="auth-footer">{footer}</p>}
    </div>
  );
}

function passwordHint(pw: string) {
  if (!pw) return `At least ${kMinPassword} characters. A short sentence is easy to remember and hard to guess.`;
  if (pw.length < kMinPassword) return `${kMinPassword - pw.length} more character${kMinPassword - pw.length === 1 ? '' : 's'} to go.`;
  return 'Long enough.';
}

export function Signup() {
  const { state, signedIn } = useSession();
  const { query } = useLocation();
  const inviteToken = query.get('invite');
  const [email, setEmail] = useState(query.get('email') ?? '');
  const [password, setPassword] = useState('');
  const f = useSubmit();
  const first = !!state?.needs_owner;
  const closed = !first && state?.signup === 'invite_only' && !inviteToken;
  const next = safeNext(query.get('next'));

  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      if (password.length < kMinPassword) {
        f.setFieldErrors({ password: `Use at least ${kMinPassword} characters.` });
        return;
      }
      const me = await api.post<Me>('/signup', { email: email.trim(), password, ...(inviteToken ? { invite_token: inviteToken } : {}) });
      await signedIn(me, next ?? (inviteToken ? '/sites' : '/sites/new'));
    });
  };

  if (closed) {
    return (
      <AuthCard title="Sign-up is by invitation" footer={<>Already have an account? <Link href="/login">Log in</Link></>}>
        <p>This DataFast server only accepts new people through an invitation. Ask an admin of your team to invite you by email; the link in the invitation lets you create your account.</p>
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title={first ? 'Create the owner account' : 'Create your account'}
      intro={
        first ? (
          <p>
            This DataFast server is brand new. The first account becomes its <strong>owner</strong>: you can add websites, invite your team and change every setting. It takes under a minute.
          </p>
        ) : (
          <p>Privacy-friendly analytics that shows which traffic brings revenue.</p>
        )
      }
      footer={
        first ? undefined : (
          <>
            Already have an account? <Link href={`/login${next ? `?next=${encodeURIComponent(next)}` : ''}`}>Log in</Link>
          </>
        )
      }
    >
      <form onSubmit={submit} noValidate>
        <TextField
          label="Email"
          type="email"
          name="email"
          autoComplete="email"
          required
          value={email}
          onValue={setEmail}
          error={f.fieldErrors.email}
        />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="new-password"
          required
          minLength={kMinPassword}
          value={password}
          onValue={setPassword}
          error={f.fieldErrors.password}
          hint={passwordHint(password)}
        />
        <ErrorText error={f.error} />
        <Button type="submit" busy={f.busy} busyLabel="Creating account…" class="btn btn-primary btn-block">
          {first ? 'Create owner account' : 'Create account'}
        </Button>
        <p class="fine-print">
          By creating an account you agree to the <Link href="/terms">terms</Link> and the <Link href="/privacy">privacy policy</Link>.
        </p>
      </form>
    </AuthCard>
  );
}

export function Login() {
  const { signedIn, state } = useSession();
  const { query } = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const f = useSubmit();
  const next = safeNext(query.get('next'));

  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      const me = await api.post<Me>('/login', { email: email.trim(), password });
      await signedIn(me, next ?? '/sites');
    });
  };

  return (
    <AuthCard
      title="Log in to DataFast"
      footer={
        state?.signup === 'open' ? (
          <>
            New here? <Link href={`/signup${next ? `?next=${encodeURIComponent(next)}` : ''}`}>Create an account</Link>
          </>
        ) : undefined
      }
    >
      <form onSubmit={submit} noValidate>
        <TextField label="Email" type="email" name="email" autoComplete="username" required value={email} onValue={setEmail} error={f.fieldErrors.email} />
        <TextField
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onValue={setPassword}
          error={f.fieldErrors.password}
        />
        <p class="field-aside">
          <Link href="/forgot">Forgot your password?</Link>
        </p>
        <ErrorText error={f.error} />
        <Button type="submit" busy={f.busy} busyLabel="Logging in…" class="btn btn-primary btn-block">
          Log in
        </Button>
      </form>
    </AuthCard>
  );
}

export function Forgot() {
  const { state } = useSession();
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const f = useSubmit();
  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      await api.post('/password-reset/request', { email: email.trim() });
      setSent(email.trim());
    });
  };
  return (
    <AuthCard title="Reset your password" footer={<Link href="/login">Back to log in</Link>}>
      <div role="status" aria-live="polite">
        {sent && (
          <Notice kind="success" title="Check your inbox">
            If an account exists for <strong>{sent}</strong>, a link to choose a new password is on its way. It works once and expires soon.
            {state?.email_delivery === 'log' && <> This server has no email set up, so the link is written to the server’s log instead: ask whoever runs it.</>}
          </Notice>
        )}
      </div>
      {!sent && (
        <form onSubmit={submit} noValidate>
          <p>Enter the email you signed up with and we’ll send you a link to choose a new password.</p>
          <TextField label="Email" type="email" name="email" autoComplete="email" required value={email} onValue={setEmail} error={f.fieldErrors.email} />
          <ErrorText error={f.error} />
          <Button type="submit" busy={f.busy} busyLabel="Sending…" class="btn btn-primary btn-block">
            Send reset link
          </Button>
        </form>
      )}
    </AuthCard>
  );
}

export function Reset() {
  const { query } = useLocation();
  const token = query.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [done, setDone] = useState(false);
  const f = useSubmit();
  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      if (password.length < kMinPassword) return f.setFieldErrors({ password: `Use at least ${kMinPassword} characters.` });
      if (password !== confirm) return f.setFieldErrors({ confirm: 'The two passwords are different.' });
      await api.post('/password-reset/confirm', { token, password });
      setDone(true);
    });
  };
  if (!token) {
    return (
      <AuthCard title="Reset your password">
        <Notice kind="error">This link is incomplete. Open the link from the email again, or <Link href="/forgot">ask for a new one</Link>.</Notice>
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Choose a new password">
      <div role="status" aria-live="polite">
        {done && (
          <Notice kind="success" title="Password changed">
            You can now <Link href="/login">log in</Link> with your new password. Other sessions were signed out.
          </Notice>
        )}
      </div>
      {!done && (
        <form onSubmit={submit} noValidate>
          <TextField
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            value={password}
            onValue={setPassword}
            error={f.fieldErrors.password}
            hint={passwordHint(password)}
          />
          <TextField label="Repeat the new password" type="password" autoComplete="new-password" required value={confirm} onValue={setConfirm} error={f.fieldErrors.confirm} />
          <ErrorText error={f.error && <>{f.error} <Link href="/forgot">Ask for a new link</Link>.</>} />
          <Button type="submit" busy={f.busy} busyLabel="Saving…" class="btn btn-primary btn-block">
            Set new password
          </Button>
        </form>
      )}
    </AuthCard>
  );
}

export function Verify() {
  const { query } = useLocation();
  const { me, reloadMe } = useSession();
  const token = query.get('token') ?? '';
  const [status, setStatus] = useState<'working' | 'done' | 'error'>(token ? 'working' : 'error');
  const [error, setError] = useState<string>(token ? '' : 'This link is incomplete. Open the link from the email again.');
  useEffect(() => {
    if (!token) return;
    let live = true;
    api
      .post('/email/verify', { token })
      .then(async () => {
        if (!live) return;
        setStatus('done');
        if (me) await reloadMe().catch(() => undefined);
      })
      .catch((e: Error) => {
        if (!live) return;
        setStatus('error');
        setError(e.message);
      });
    return () => {
      live = false;
    };
    // Verify once per token; `me` changing afterwards must not resend.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [token]);
  return (
    <AuthCard title="Confirm your email">
      <div role="status" aria-live="polite">
        {status === 'working' && <Spinner label="Confirming your email address…" />}
        {status === 'done' && (
          <Notice kind="success" title="Email confirmed">
            Thanks! Your email address is confirmed. <Link href={me ? '/sites' : '/login'}>{me ? 'Go to your sites' : 'Log in'}</Link>
          </Notice>
        )}
        {status === 'error' && (
          <Notice kind="error" title="We couldn’t confirm your email">
            {error} {me ? <>You can send a new link from <Link href="/account">your account</Link>.</> : <>Log in and send a new link from your account page.</>}
          </Notice>
        )}
      </div>
    </AuthCard>
  );
}
