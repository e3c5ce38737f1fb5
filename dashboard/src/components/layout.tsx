// The frame around every page: top bar (logo, site switcher, navigation,
// theme toggle), the usage banner, and the footer with the legal links.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Link, useLocation } from '../router';
import { useSession } from '../session';
import { currentTheme, setTheme } from '../theme';
import type { Theme } from '../theme';
import { formatNumber } from '../format';
import { Chevron, Globe, Logo, Moon, Plus, Sun } from './icons';

export function ThemeToggle() {
  const [theme, setLocal] = useState<Theme>(currentTheme);
  useEffect(() => {
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const update = () => setLocal(currentTheme());
    mq.addEventListener('change', update);
    return () => mq.removeEventListener('change', update);
  }, []);
  const next: Theme = theme === 'dark' ? 'light' : 'dark';
  return (
    <button
      type="button"
      class="icon-btn"
      aria-label={`Switch to ${next} theme`}
      title={`Switch to ${next} theme`}
      onClick={() => {
        setTheme(next);
        setLocal(next);
      }}
    >
      {theme === 'dark' ? <Sun /> : <Moon />}
    </button>
  );
}

// A disclosure menu of links: one per site (keeping the current sub-page),
// all sites, add a website. Escape or a click outside closes it.
function SiteSwitcher() {
  const { sites } = useSession();
  const { path } = useLocation();
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const m = /^\/sites\/([^/]+)(\/(setup|settings))?$/.exec(path);
  const currentId = m && m[1] !== 'new' ? m[1] : null;
  const current = sites.find((s) => s.id === currentId);
  const sub = m?.[2] ?? '';

  useEffect(() => setOpen(false), [path]);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  if (sites.length === 0) return null;
  return (
    <div class="switcher" ref={root}>
      <button
        ref={button}
        type="button"
        class="switcher-btn"
        aria-expanded={open}
        aria-controls="site-menu"
        onClick={() => setOpen(!open)}
      >
        <Globe />
        <span class="switcher-label">
          <span class="visually-hidden">Current site: </span>
          {current ? current.domain : 'All sites'}
        </span>
        <Chevron />
      </button>
      {open && (
        <div id="site-menu" class="switcher-menu">
          <ul>
            {sites.map((s) => (
              <li key={s.id}>
                <Link href={`/sites/${s.id}${sub}`} aria-current={s.id === currentId ? 'page' : undefined}>
                  {s.domain}
                </Link>
              </li>
            ))}
          </ul>
          <ul class="switcher-foot">
            <li>
              <Link href="/sites">All sites</Link>
            </li>
            <li>
              <Link href="/sites/new">
                <Plus /> Add website
              </Link>
            </li>
          </ul>
        </div>
      )}
    </div>
  );
}

function NavLink({ href, children }: { href: string; children: ComponentChildren }) {
  const { path } = useLocation();
  const active = path === href || (href === '/sites' && path.startsWith('/sites'));
  return (
    <Link href={href} class="nav-link" aria-current={active ? 'page' : undefined}>
      {children}
    </Link>
  );
}

export function TopBar() {
  const { me, signOut } = useSession();
  const [leaving, setLeaving] = useState(false);
  return (
    <header class={me ? 'topbar' : 'topbar topbar-guest'}>
      <div class="topbar-inner">
        <Link href={me ? '/sites' : '/'} class="brand" aria-label="DataFast home">
          <Logo />
          <span class="brand-name">DataFast</span>
        </Link>
        {me && <SiteSwitcher />}
        {me && (
            <nav aria-label="Main" class="nav">
              <NavLink href="/sites">Sites</NavLink>
              <NavLink href="/team">Team</NavLink>
              <NavLink href="/usage">Usage</NavLink>
              <NavLink href="/account">Account</NavLink>
              <button
                type="button"
                class="nav-link nav-button"
                disabled={leaving}
                onClick={async () => {
                  setLeaving(true);
                  try {
                    await signOut();
                  } finally {
                    setLeaving(false);
                  }
                }}
              >
                Log out
              </button>
            </nav>
        )}
        <ThemeToggle />
      </div>
    </header>
  );
}

export function UsageBanner() {
  const { usage, me } = useSession();
  if (!me || !usage || !usage.warning) return null;
  const limit = usage.plan.events_per_month;
  const over = usage.warning >= 100;
  const text = usage.paused
    ? `Tracking is paused: this account used all ${limit ? formatNumber(limit) : ''} events of its plan this month. New visits are not recorded until the next period or an upgrade.`
    : over
      ? `This account is over its plan’s ${limit ? formatNumber(limit) : ''} events this month. Tracking continues; consider upgrading.`
      : `This account has used ${Math.floor(usage.percent ?? usage.warning)} % of this month’s ${limit ? formatNumber(limit) : ''} events.`;
  return (
    <div class={`banner ${over ? 'banner-error' : 'banner-warning'}`} role="region" aria-label="Usage warning">
      <div class="banner-inner">
        <span>{text.replace(/\s+/g, ' ')}</span>
        <Link href="/usage">See usage</Link>
      </div>
    </div>
  );
}

export function Footer() {
  return (
    <footer class="footer">
      <div class="footer-inner">
        <span class="muted">DataFast · self-hosted analytics, no third parties</span>
        <nav aria-label="Legal" class="footer-links">
          <Link href="/privacy">Privacy</Link>
          <Link href="/terms">Terms</Link>
          <Link href="/dpa">DPA</Link>
        </nav>
      </div>
    </footer>
  );
}
