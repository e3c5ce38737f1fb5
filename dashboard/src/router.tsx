// A small history-API router: `useLocation` re-renders on navigation,
// `navigate` pushes or replaces, `Link` is an <a> that navigates without a
// reload (modifier clicks still open new tabs), `match` reads `:params`.
import type { ComponentChildren, LooseAnchorHTMLAttributes, TargetedMouseEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const kEvent = 'df:navigate';

export interface Loc {
  path: string;
  query: URLSearchParams;
}

function current(): Loc {
  return { path: location.pathname.replace(/\/+$/, '') || '/', query: new URLSearchParams(location.search) };
}

export function navigate(to: string, { replace = false } = {}) {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(kEvent));
}

export function useLocation(): Loc {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = () => setLoc(current());
    window.addEventListener('popstate', update);
    window.addEventListener(kEvent, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(kEvent, update);
    };
  }, []);
  return loc;
}

// "/sites/:id/setup" against "/sites/dfid_1/setup" -> {id: "dfid_1"}, else null.
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/');
  const s = path.split('/');
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) {
      if (!s[i]) return null;
      params[p[i].slice(1)] = decodeURIComponent(s[i]);
    } else if (p[i] !== s[i]) {
      return null;
    }
  }
  return params;
}

// Only same-site paths are followed after login ("/x", not "//evil" or "http:").
export function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : null;
}

type LinkProps = Omit<LooseAnchorHTMLAttributes<HTMLAnchorElement>, 'role'> & { href: string; children?: ComponentChildren };

export function Link({ href, onClick, ...rest }: LinkProps) {
  const handle = (e: TargetedMouseEvent<HTMLAnchorElement>) => {
    if (onClick) (onClick as (e: TargetedMouseEvent<HTMLAnchorElement>) => void)(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}
