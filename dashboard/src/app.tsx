// Routes and the sign-in gate. Public pages (auth flows, legal texts) render
// for anyone; every other page needs a session, and without one the user is
// sent to /login (or /signup while the server has no owner yet).
import type { ComponentChildren, FunctionComponent } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { Footer, TopBar, UsageBanner } from './components/layout';
import { Button, Spinner, useLazy } from './components/ui';
import { match, navigate, safeNext, useLocation } from './router';
import { useSession } from './session';
import { Forgot, Login, Reset, Signup, Verify } from './pages/auth';
import { AcceptInvite } from './pages/invite';
import { NewSite, SitesList } from './pages/sites';
import { SiteSetup } from './pages/setup';
import { SiteOverview } from './pages/site_overview';
import { SiteSettings } from './pages/site_settings';
import { SharePage } from './pages/share';
import { AccountPage } from './pages/account';
import { TeamPage } from './pages/team';
import { UsagePage } from './pages/usage';
import { NotFound } from './pages/not_found';

type Doc = 'privacy' | 'terms' | 'dpa';
type LegalView = FunctionComponent<{ doc: Doc }>;
const legalModule: { current: Promise<LegalView> | null } = { current: null };

// The legal texts are long and rarely read: their own chunk, loaded on demand.
function Legal({ doc }: { doc: Doc }) {
  const { value: View, error } = useLazy(legalModule, () => import('./pages/legal').then((m) => m.default));
  if (error) return <p role="alert">This page could not be loaded. Check your connection and reload.</p>;
  return View ? <View doc={doc} /> : <Spinner />;
}

type Params = Record<string, string>;
interface Route {
  pattern: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  view: FunctionComponent<any>;
  public?: boolean;
  // Signed-in users are sent on from these (login, signup).
  guestOnly?: boolean;
}

const kRoutes: Route[] = [
  { pattern: '/login', view: Login, public: true, guestOnly: true },
  { pattern: '/signup', view: Signup, public: true, guestOnly: true },
  { pattern: '/forgot', view: Forgot, public: true },
  { pattern: '/reset', view: Reset, public: true },
  { pattern: '/verify', view: Verify, public: true },
  { pattern: '/invite/:token', view: AcceptInvite, public: true },
  { pattern: '/share/:token', view: SharePage, public: true },
  { pattern: '/privacy', view: () => <Legal doc="privacy" />, public: true },
  { pattern: '/terms', view: () => <Legal doc="terms" />, public: true },
  { pattern: '/dpa', view: () => <Legal doc="dpa" />, public: true },
  { pattern: '/', view: () => <Redirect to="/sites" /> },
  { pattern: '/sites', view: SitesList },
  { pattern: '/sites/new', view: NewSite },
  { pattern: '/sites/:id', view: SiteOverview },
  { pattern: '/sites/:id/setup', view: SiteSetup },
  { pattern: '/sites/:id/settings', view: SiteSettings },
  { pattern: '/account', view: AccountPage },
  { pattern: '/team', view: TeamPage },
  { pattern: '/usage', view: UsagePage },
];

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function resolve(path: string): { route: Route | null; params: Params } {
  for (const route of kRoutes) {
    const params = match(route.pattern, path);
    if (params) return { route, params };
  }
  return { route: null, params: {} };
}

// After a client-side navigation: back to the top, and focus on the new
// page's heading so screen readers announce it; or, for a link to a part of
// a page (`/sites/x/settings#revenue`), to that part once it is drawn.
function useFocusOnNavigate(path: string) {
  const first = useRef(true);
  useEffect(() => {
    const wasFirst = first.current;
    first.current = false;
    if (location.hash.length > 1) return focusFragment(location.hash.slice(1));
    if (wasFirst) return;
    window.scrollTo(0, 0);
    const t = window.setTimeout(() => {
      const h = document.querySelector<HTMLElement>('main h1');
      if (h) {
        h.tabIndex = -1;
        h.focus({ preventScroll: true });
      }
    }, 0);
    return () => clearTimeout(t);
  }, [path]);
}

// Scrolls to the element with this id and focuses its heading, waiting up
// to two seconds for the page's data to draw it. Returns the cancel.
function focusFragment(id: string): () => void {
  let tries = 0;
  let t = 0;
  let target = id;
  try {
    target = decodeURIComponent(id);
  } catch {
    // Not percent-encoded after all: the id as written.
  }
  const look = () => {
    const el = document.getElementById(target);
    if (!el) {
      if (++tries < 20) t = window.setTimeout(look, 100);
      return;
    }
    const h = el.querySelector<HTMLElement>('h2, h3') ?? el;
    h.tabIndex = -1;
    h.focus({ preventScroll: true });
    el.scrollIntoView({ block: 'start' });
  };
  t = window.setTimeout(look, 0);
  return () => clearTimeout(t);
}

function Frame({ children, wide }: { children: ComponentChildren; wide?: boolean }) {
  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <TopBar />
      <UsageBanner />
      <main id="main" class={wide ? 'main main-wide' : 'main'}>
        {children}
      </main>
      <Footer />
    </>
  );
}

export function App() {
  const session = useSession();
  const { path, query } = useLocation();
  useFocusOnNavigate(path);

  if (session.loading) {
    return (
      <Frame>
        <Spinner />
      </Frame>
    );
  }
  if (session.loadError) {
    return (
      <Frame>
        <div class="card narrow">
          <h1>DataFast is not answering</h1>
          <p>{session.loadError}</p>
          <Button onClick={session.retry}>Try again</Button>
        </div>
      </Frame>
    );
  }

  const { route, params } = resolve(path);
  const { me, state } = session;
  if (!route) {
    return (
      <Frame>
        <NotFound />
      </Frame>
    );
  }
  if (!route.public && !me) {
    const here = path + (query.toString() ? `?${query}` : '');
    const to = state?.needs_owner ? '/signup' : `/login${path === '/' ? '' : `?next=${encodeURIComponent(here)}`}`;
    return <Redirect to={to} />;
  }
  if (state?.needs_owner && path === '/login') return <Redirect to="/signup" />;
  if (route.guestOnly && me) return <Redirect to={safeNext(query.get('next')) ?? '/sites'} />;

  const View = route.view;
  return (
    <Frame>
      <View {...params} />
    </Frame>
  );
}
