// Who is signed in, to which accounts, with which sites, and the current
// account's usage: loaded once at start, refreshed by the pages that change
// them. Pages read it with `useSession()`.
import { createContext } from 'preact';
import type { ComponentChildren } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { api, ApiError, setCsrfToken, setUnauthorizedHandler } from './api';
import { navigate } from './router';
import type { Account, Me, ServerState, Site, Usage } from './api';

const kAccountKey = 'datafast.account';

export interface Session {
  state: ServerState | null;
  me: Me | null;
  sites: Site[];
  usage: Usage | null;
  account: Account | null;
  loading: boolean;
  loadError: string | null;
  // Adopts a fresh session (login, signup) and goes to `dest` in the same render.
  signedIn: (me: Me, dest: string) => Promise<void>;
  // Ends the session and goes to the login page.
  signOut: () => Promise<void>;
  // The user was deleted: forget everything, then go to `dest`.
  forget: (dest: string) => Promise<void>;
  reloadMe: () => Promise<Me>;
  reloadSites: () => Promise<Site[]>;
  reloadUsage: () => Promise<void>;
  setAccount: (id: string) => void;
  retry: () => void;
}

const Ctx = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(Ctx);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

function storedAccount(): string | null {
  try {
    return localStorage.getItem(kAccountKey);
  } catch {
    return null;
  }
}

function pickAccount(accounts: Account[], wanted: string | null): Account | null {
  return accounts.find((a) => a.id === wanted) ?? accounts.find((a) => a.role === 'owner') ?? accounts[0] ?? null;
}

export function SessionProvider({ children }: { children: ComponentChildren }) {
  const [state, setState] = useState<ServerState | null>(null);
  const [me, setMe] = useState<Me | null>(null);
  const [sites, setSites] = useState<Site[]>([]);
  const [usage, setUsage] = useState<Usage | null>(null);
  const [accountId, setAccountId] = useState<string | null>(storedAccount);
  const [loading, setLoading] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);

  const account = useMemo(() => (me ? pickAccount(me.accounts, accountId) : null), [me, accountId]);

  const reloadSites = useCallback(async () => {
    const { sites } = await api.get<{ sites: Site[] }>('/sites');
    setSites(sites);
    return sites;
  }, []);

  const adopt = useCallback(
    async (m: Me) => {
      setCsrfToken(m.csrf_token);
      setMe(m);
      await reloadSites();
    },
    [reloadSites],
  );

  const clear = useCallback(() => {
    setCsrfToken('');
    setMe(null);
    setSites([]);
    setUsage(null);
  }, []);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setLoadError(null);
    (async () => {
      try {
        const st = await api.get<ServerState>('/state');
        if (!live) return;
        setState(st);
        try {
          const m = await api.get<Me>('/me');
          if (live) await adopt(m);
        } catch (e) {
          if (!(e instanceof ApiError && e.status === 401)) throw e;
        }
      } catch (e) {
        if (live) setLoadError(e instanceof Error ? e.message : String(e));
      } finally {
        if (live) setLoading(false);
      }
    })();
    return () => {
      live = false;
    };
  }, [adopt, attempt]);

  // An expired or revoked session: drop what we know; the gate sends the
  // user to the login page.
  useEffect(() => setUnauthorizedHandler(clear), [clear]);

  const reloadUsage = useCallback(async () => {
    if (!account) return setUsage(null);
    try {
      setUsage(await api.get<Usage>(`/accounts/${account.id}/usage`));
    } catch {
      setUsage(null); // The banner is a nicety; the usage page shows errors.
    }
  }, [account?.id]);

  useEffect(() => {
    reloadUsage();
  }, [reloadUsage]);

  const value: Session = {
    state,
    me,
    sites,
    usage,
    account,
    loading,
    loadError,
    signedIn: async (m, dest) => {
      setCsrfToken(m.csrf_token);
      const [{ sites }, st] = await Promise.all([api.get<{ sites: Site[] }>('/sites'), api.get<ServerState>('/state')]);
      // One synchronous block, so the gate never sees the new page without the session.
      setState(st);
      setSites(sites);
      setMe(m);
      navigate(dest);
    },
    signOut: async () => {
      try {
        await api.post('/logout');
      } finally {
        clear();
        navigate('/login');
      }
    },
    forget: async (dest) => {
      let st: ServerState | null = null;
      try {
        st = await api.get<ServerState>('/state');
      } catch {
        // Keep the old state; only the sign-up wording depends on it.
      }
      clear();
      if (st) setState(st);
      navigate(dest);
    },
    reloadMe: async () => {
      const m = await api.get<Me>('/me');
      await adopt(m);
      return m;
    },
    reloadSites,
    reloadUsage,
    setAccount: (id) => {
      setAccountId(id);
      try {
        localStorage.setItem(kAccountKey, id);
      } catch {
        // No storage: the choice lasts for this page only.
      }
    },
    retry: () => setAttempt((n) => n + 1),
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}
