/** Thumbhash (base64) -> a small PNG data URL, decoded once per photo and kept (bounded). */
import { thumbHashToDataURL } from 'thumbhash';

const LIMIT = 2000;
const cache = new Map<string, string | null>();

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The placeholder image for a thumbhash; null when it cannot be read. */
export function placeholderURL(hash: string | null | undefined): string | null {
  if (!hash) return null;
  const hit = cache.get(hash);
  if (hit !== undefined) return hit;
  let url: string | null;
  try {
    url = thumbHashToDataURL(decodeBase64(hash));
  } catch {
    url = null; // a malformed hash draws the plain placeholder colour
  }
  if (cache.size >= LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(hash, url);
  return url;
}
