/**
 * Turns a batch of live events into one timeline update: which photos to insert, which to mark
 * missing or remove, and which months to ask the server about (filter not decidable here).
 */
import type { PhotoFilter } from '../api/gql/graphql';
import type { TimelinePhoto } from './layout';
import { monthOf } from './layout';
import { isEmptyFilter, matchesFilter, type MatchablePhoto } from './match';

export interface LiveEventLike {
  kind: string;
  photoId: string | null;
  photo: (MatchablePhoto & {
    id: string;
    width?: number | null;
    height?: number | null;
    placeholder?: string | null;
    thumbnailUrl?: string | null;
    missing?: boolean;
    durationMs?: number | null;
  }) | null;
}

export interface LivePlan {
  insert: TimelinePhoto[];
  /** Months ('YYYY-MM' or null) to reload from the server with the filter. */
  requery: Set<string | null>;
  missing: string[];
  present: string[];
  remove: string[];
}

/** A live photo as a tile; null when it cannot be drawn yet (no thumbnail). */
export function toTimelinePhoto(photo: NonNullable<LiveEventLike['photo']>): TimelinePhoto | null {
  if (!photo.thumbnailUrl) return null;
  const ratio = photo.width && photo.height ? photo.width / photo.height : 1;
  return {
    id: photo.id,
    ratio,
    placeholder: photo.placeholder ?? null,
    takenAt: photo.takenAt ?? null,
    thumbnailUrl: photo.thumbnailUrl,
    missing: photo.missing ?? false,
    durationMs: photo.durationMs ?? null,
  };
}

/**
 * `shown(id)` says whether the photo is already in the grid. Only PHOTO_ADDED introduces a
 * photo in an unfiltered view; with a filter, a later event (tags arrived, rating changed) may
 * make a photo match, so those are checked too.
 */
export function planLiveBatch(events: LiveEventLike[], filter: PhotoFilter | null | undefined,
                              shown: (id: string) => boolean): LivePlan {
  const plan: LivePlan = { insert: [], requery: new Set(), missing: [], present: [], remove: [] };
  const filtered = !isEmptyFilter(filter);
  const latest = new Map<string, LiveEventLike>();
  for (const event of events) {
    const id = event.photo?.id ?? event.photoId;
    if (!id) continue;
    if (event.kind === 'PHOTO_REMOVED') {
      latest.delete(id);
      plan.remove.push(id);
      continue;
    }
    if (event.kind === 'PHOTO_MISSING') {
      plan.missing.push(id);
      continue;
    }
    if (event.kind === 'PHOTO_ADDED' && event.photo?.missing === false && shown(id)) {
      plan.present.push(id); // a file that was missing came back
    }
    if (!event.photo) continue;
    const introduces = event.kind === 'PHOTO_ADDED'
      || (filtered && ['PHOTO_TAGGED', 'PHOTO_UPDATED', 'PHOTO_METADATA'].includes(event.kind));
    if (introduces) latest.set(id, event);
  }
  const removed = new Set(plan.remove);
  for (const [id, event] of latest) {
    if (removed.has(id) || shown(id)) continue;
    const photo = event.photo!;
    const match = matchesFilter(photo, filter);
    if (match === false) continue;
    if (match === 'unknown') {
      plan.requery.add(monthOf(photo.takenAt));
      continue;
    }
    const tile = toTimelinePhoto(photo);
    if (tile) plan.insert.push(tile);
  }
  return plan;
}
