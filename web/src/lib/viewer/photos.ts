/** The viewer's photos: fetched once, kept briefly (thumbnail URLs carry short-lived tokens). */

import { request } from '../api/client';
import type { ViewerPhotoFragment } from '../api/gql/graphql';
import { ViewerPhotoQuery } from '../api/operations/photo';

export type ViewerPhoto = ViewerPhotoFragment;

const KEEP_MS = 5 * 60_000;
const cache = new Map<string, { at: number; photo: Promise<ViewerPhoto | null> }>();

/** The photo with everything the viewer shows; `fresh` skips the cache (a live event came). */
export function loadPhoto(id: string, fresh = false): Promise<ViewerPhoto | null> {
  const hit = cache.get(id);
  if (!fresh && hit && Date.now() - hit.at < KEEP_MS) return hit.photo;
  const photo = request(ViewerPhotoQuery, { id }).then((data) => data.photo ?? null);
  cache.set(id, { at: Date.now(), photo });
  photo.catch(() => cache.delete(id));
  if (cache.size > 40) cache.delete(cache.keys().next().value as string);
  return photo;
}

/** Keep what an edit or a refetch returned, so swiping back shows it. */
export function rememberPhoto(photo: ViewerPhoto): void {
  cache.set(photo.id, { at: Date.now(), photo: Promise.resolve(photo) });
}

export function forgetPhoto(id: string): void {
  cache.delete(id);
}
