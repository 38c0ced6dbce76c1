/** The app's routes: path patterns -> `{ name, params, query }` (pure, unit-tested). */

export type RouteName = 'photos' | 'search' | 'photo' | 'live' | 'signin' | 'setup' | 'settings'
  | 'share' | 'people' | 'person' | 'faces' | 'albums' | 'album' | 'map' | 'trash'
  | 'notfound';

export interface Route {
  name: RouteName;
  params: Record<string, string>;
  query: Record<string, string>;
  /** Path and search, as in the address bar. */
  href: string;
}

const PATTERNS: [RegExp, RouteName, string[]][] = [
  [/^\/$/, 'photos', []],
  [/^\/search\/?$/, 'search', []],
  [/^\/photos\/([^/]+)\/?$/, 'photo', ['id']],
  [/^\/live\/?$/, 'live', []],
  [/^\/signin\/?$/, 'signin', []],
  [/^\/setup\/?$/, 'setup', []],
  [/^\/settings\/?$/, 'settings', []],
  // Share & embed (issue 9): ?album=<id>, or ?filter=<PhotoFilter JSON> from a search.
  [/^\/share\/?$/, 'share', []],
  [/^\/people\/?$/, 'people', []],
  [/^\/people\/review\/?$/, 'faces', []],
  [/^\/people\/([^/]+)\/?$/, 'person', ['id']],
  [/^\/albums\/?$/, 'albums', []],
  [/^\/albums\/([^/]+)\/?$/, 'album', ['id']],
  [/^\/map\/?$/, 'map', []],
  [/^\/trash\/?$/, 'trash', []],
];

/** Routes drawn over another screen rather than replacing it. */
export const OVERLAYS: ReadonlySet<RouteName> = new Set(['photo']);

export function match(href: string): Route {
  const url = new URL(href, 'http://app.invalid');
  const query: Record<string, string> = {};
  url.searchParams.forEach((value, key) => {
    query[key] = value;
  });
  for (const [pattern, name, keys] of PATTERNS) {
    const found = pattern.exec(url.pathname);
    if (!found) continue;
    const params: Record<string, string> = {};
    keys.forEach((key, i) => {
      params[key] = decodeURIComponent(found[i + 1] ?? '');
    });
    return { name, params, query, href: url.pathname + url.search };
  }
  return { name: 'notfound', params: {}, query, href: url.pathname + url.search };
}
