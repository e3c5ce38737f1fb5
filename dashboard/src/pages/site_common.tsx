// What the site pages share: loading the site by id and its header with the
// Overview / Setup / Settings tabs.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import type { InstallStatus, Site } from '../api';
import { Notice, Spinner } from '../components/ui';
import { Link, useLocation } from '../router';
import { useSession } from '../session';

// The site from the session's list, refreshed from the server once.
export function useSite(id: string): { site: Site | null; error: string | null; setSite: (s: Site) => void } {
  const { sites } = useSession();
  const known = sites.find((s) => s.id === id) ?? null;
  const [site, setSite] = useState<Site | null>(known);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    setSite(sites.find((s) => s.id === id) ?? null);
    setError(null);
    api
      .get<Site>(`/sites/${encodeURIComponent(id)}`)
      .then((s) => live && setSite(s))
      .catch((e: Error) => live && setError(e.message));
    return () => {
      live = false;
    };
    // Only a new id reloads; the list changing under us must not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);
  return { site, error, setSite };
}

// Polls the install endpoint every `everyMs` while `active`.
export function useInstallStatus(id: string, everyMs: number, active = true) {
  const [status, setStatus] = useState<InstallStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    let timer = 0;
    const poll = async () => {
      try {
        const s = await api.get<InstallStatus>(`/sites/${encodeURIComponent(id)}/install`);
        if (!live) return;
        setStatus(s);
        setError(null);
      } catch (e) {
        if (live) setError(e instanceof Error ? e.message : String(e));
      }
      if (live && active) timer = window.setTimeout(poll, everyMs);
    };
    poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, everyMs, active, tick]);
  return { status, error, refresh: () => setTick((n) => n + 1) };
}

export function SitePage({ id, children, title }: { id: string; title: string; children: (site: Site, setSite: (s: Site) => void) => ComponentChildren }) {
  const { site, error, setSite } = useSite(id);
  const { path } = useLocation();
  if (error && !site) {
    return (
      <div class="narrow">
        <h1>Site not found</h1>
        <Notice kind="error">{error} It may have been deleted, or you don’t have access to it.</Notice>
        <p>
          <Link href="/sites">Back to your sites</Link>
        </p>
      </div>
    );
  }
  if (!site) return <Spinner />;
  const tabs = [
    { href: `/sites/${site.id}`, label: 'Overview' },
    { href: `/sites/${site.id}/setup`, label: 'Setup' },
    { href: `/sites/${site.id}/settings`, label: 'Settings' },
  ];
  return (
    <div>
      <div class="site-head">
        <p class="eyebrow">{site.domain}</p>
        <h1>{title}</h1>
        <nav aria-label="Site" class="subnav">
          {tabs.map((t) => (
            <Link key={t.href} href={t.href} class="subnav-link" aria-current={path === t.href ? 'page' : undefined}>
              {t.label}
            </Link>
          ))}
        </nav>
      </div>
      {children(site, setSite)}
    </div>
  );
}
