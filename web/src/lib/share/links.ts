/** The Share & embed screen's plain logic: origins typed by a person, expiry choices, status. */

export type Expiry = 'never' | '1d' | '7d' | '30d';

export const EXPIRY_LABELS: Record<Expiry, string> = {
  never: 'Never', '1d': 'In a day', '7d': 'In a week', '30d': 'In 30 days',
};

const DAY_MS = 86_400_000;

/** The ISO instant a choice expires at, or null for "never". */
export function expiresAt(choice: Expiry, now: number): string | null {
  const days = { never: 0, '1d': 1, '7d': 7, '30d': 30 }[choice];
  return days ? new Date(now + days * DAY_MS).toISOString() : null;
}

/**
 * Origins from a text box (one per line, or separated by commas or spaces): each reduced to
 * `scheme://host[:port]`; the ones that are no http(s) address come back in `bad`.
 */
export function parseOrigins(text: string): { origins: string[]; bad: string[] } {
  const origins: string[] = [];
  const bad: string[] = [];
  for (const part of text.split(/[\s,]+/).filter(Boolean)) {
    let url: URL | null = null;
    try {
      url = new URL(part);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
      bad.push(part);
    } else if (!origins.includes(url.origin)) {
      origins.push(url.origin);
    }
  }
  return { origins, bad };
}

export type LinkStatus = 'active' | 'revoked' | 'expired';

export function linkStatus(link: { revokedAt: string | null; expiresAt: string | null },
                           now: number): LinkStatus {
  if (link.revokedAt) return 'revoked';
  if (link.expiresAt && Date.parse(link.expiresAt) <= now) return 'expired';
  return 'active';
}

/** What a share link covers: one album, or the photos one filter matches. */
export type ShareScope = { album: string } | { filter: object };

/**
 * The app path of the Share & embed screen, opened on a scope: `/share?album=<id>` or
 * `/share?filter=<the PhotoFilter as JSON>` (the screen reads either, see routes/Share.svelte).
 */
export function shareScreenPath(scope: ShareScope): string {
  const query = new URLSearchParams();
  if ('album' in scope) query.set('album', scope.album);
  else query.set('filter', JSON.stringify(scope.filter));
  return `/share?${query.toString()}`;
}
