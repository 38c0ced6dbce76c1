/** A thumbhash (base64, as the server sends it) as a data: URL to draw while images load. */

import { thumbHashToDataURL } from 'thumbhash';

const cache = new Map<string, string>();

export function placeholderUrl(hash: string | null | undefined): string | null {
  if (!hash) return null;
  let url = cache.get(hash);
  if (url) return url;
  try {
    const bytes = Uint8Array.from(atob(hash), (c) => c.charCodeAt(0));
    url = thumbHashToDataURL(bytes);
  } catch {
    return null; // a malformed hash: draw nothing rather than fail the viewer
  }
  if (cache.size > 100) cache.clear();
  cache.set(hash, url);
  return url;
}
