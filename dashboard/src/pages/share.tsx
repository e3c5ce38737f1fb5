// /share/:token: a site's dashboard for anyone with the link, read-only. A
// password-protected link asks for the password first; the proof the server
// gives for it is kept for this browser tab only.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, request } from '../api';
import { Dashboard } from '../analytics/lazy';
import type { SiteInfo } from '../analytics/context';
import { Button, ErrorText, Spinner, TextField, usePageTitle, useSubmit } from '../components/ui';

interface ShareInfo {
  site: SiteInfo;
  password_required: boolean;
}

const proofKey = (token: string) => `datafast.share-proof.${token}`;

function storedProof(token: string): string | null {
  try {
    return sessionStorage.getItem(proofKey(token));
  } catch {
    return null;
  }
}

function storeProof(token: string, proof: string | null) {
  try {
    if (proof) sessionStorage.setItem(proofKey(token), proof);
    else sessionStorage.removeItem(proofKey(token));
  } catch {
    // No storage: the password is asked again on reload.
  }
}

const path = (token: string, rest = '') => `/api/app/shares/${encodeURIComponent(token)}${rest}`;

export function SharePage({ token }: { token: string }) {
  const [info, setInfo] = useState<ShareInfo | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [proof, setProof] = useState<string | null>(() => storedProof(token));
  usePageTitle(info ? `${info.site.domain} analytics` : 'Shared analytics');

  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let live = true;
    request<ShareInfo>('GET', path(token), undefined, { sessionless: true }).then(
      (i) => live && setInfo(i),
      (e) => live && setError(e instanceof ApiError ? e : new ApiError(String(e), 0)),
    );
    return () => {
      live = false;
    };
  }, [token, attempt]);

  // The data was refused: the link was revoked (the info now says 404) or
  // the stored proof no longer holds (ask for the password again).
  const lastCheck = useRef(0);
  const recheck = () => {
    // Once in a while at most: a server that keeps refusing must not loop.
    if (Date.now() - lastCheck.current < 5000) return;
    lastCheck.current = Date.now();
    storeProof(token, null);
    setProof(null);
    setAttempt((n) => n + 1);
  };

  if (error) {
    const gone = error.status === 404;
    return (
      <div class="narrow">
        <h1>{gone ? 'This link no longer works' : 'This dashboard can’t be shown'}</h1>
        <div class="card">
          <p>{gone ? 'The link was revoked by the site’s owner, or it was never valid. Ask whoever shared it for a new one.' : error.message}</p>
        </div>
      </div>
    );
  }
  if (!info) return <Spinner />;
  if (info.password_required && !proof) {
    return (
      <Unlock
        token={token}
        domain={info.site.domain}
        onProof={(p) => {
          storeProof(token, p);
          setProof(p);
        }}
      />
    );
  }
  return (
    <div>
      <div class="site-head share-head">
        <p class="eyebrow">Shared dashboard · read-only</p>
        <h1>{info.site.domain}</h1>
      </div>
      <Dashboard access={{ kind: 'share', token, proof, onDenied: recheck }} site={info.site} siteId={null} canEditNotes={false} />
    </div>
  );
}

function Unlock({ token, domain, onProof }: { token: string; domain: string; onProof: (proof: string) => void }) {
  const [password, setPassword] = useState('');
  const f = useSubmit();
  const submit = (e: Event) => {
    e.preventDefault();
    f.run(async () => {
      if (!password) return f.setFieldErrors({ password: 'Enter the password you were given with the link.' });
      try {
        const r = await request<{ proof: string }>('POST', path(token, '/unlock'), { password }, { sessionless: true });
        onProof(r.proof);
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return f.setFieldErrors({ password: 'That password is not right. Check it and try again.' });
        throw err;
      }
    });
  };
  return (
    <div class="auth">
      <div class="card auth-card">
        <h1>{domain} analytics</h1>
        <p class="auth-intro">This shared dashboard is protected. Enter the password you were given with the link.</p>
        <form onSubmit={submit} noValidate>
          <TextField label="Password" type="password" value={password} onValue={setPassword} autoComplete="current-password" autoFocus error={f.fieldErrors.password} />
          <ErrorText error={f.error} />
          <Button type="submit" busy={f.busy} busyLabel="Checking…">
            View dashboard
          </Button>
        </form>
      </div>
    </div>
  );
}
