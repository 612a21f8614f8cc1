// Routing with the History API under /console/: every screen has an address
// that can be bookmarked, shared and reloaded (the server answers index.html
// for any path under /console/).
import { Store, useStore } from './store';

export const base = '/console';

type Location = { path: string; query: URLSearchParams };

function read(): Location {
  let path = location.pathname.startsWith(base) ? location.pathname.slice(base.length) : location.pathname;
  if (!path.startsWith('/')) path = '/' + path;
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return { path, query: new URLSearchParams(location.search) };
}

const here = new Store<Location>(read());

addEventListener('popstate', () => here.set(read()));

export function useLocation(): Location {
  return useStore(here);
}

// href makes a console address from a path (and query).
export function href(path: string, query?: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v != null && v !== '') params.set(k, v);
  const qs = params.toString();
  return base + path + (qs ? '?' + qs : '');
}

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  here.set(read());
  if (!replace) scrollTo(0, 0);
}

// setQuery changes the current address's query, keeping the path: filters
// and the open attempt live there, so reload and back keep them.
export function setQuery(patch: Record<string, string | null | undefined>, replace = true): void {
  const { path, query } = read();
  const next: Record<string, string> = {};
  query.forEach((v, k) => (next[k] = v));
  for (const [k, v] of Object.entries(patch)) {
    if (v == null || v === '') delete next[k];
    else next[k] = v;
  }
  navigate(href(path, next), replace);
}

// match compares a path with a pattern like /webhooks/:id/:tab? and returns
// the parameters, or null.
export function match(pattern: string, path: string): Record<string, string> | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  const params: Record<string, string> = {};
  for (let i = 0; i < Math.max(p.length, s.length); i++) {
    const part = p[i];
    if (part == null) return null;
    const optional = part.endsWith('?');
    const name = part.replace(/^:/, '').replace(/\?$/, '');
    if (s[i] == null) {
      if (optional) continue;
      return null;
    }
    if (part.startsWith(':')) {
      try {
        params[name] = decodeURIComponent(s[i]);
      } catch {
        return null; // a malformed address matches no screen
      }
    }
    else if (part !== s[i]) return null;
  }
  return params;
}

// onLinkClick makes plain <a href="/console/…"> links navigate in the page.
export function onLinkClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element).closest('a');
  if (!a || a.target || a.hasAttribute('download')) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || !url.pathname.startsWith(base + '/') && url.pathname !== base) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
}
