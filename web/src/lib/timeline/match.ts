/**
 * Does a live photo match the current filter? Decided on the client from what a live event
 * carries (tags, rating, date); 'unknown' when the filter asks about something the event does
 * not carry (camera, lens, exposure, place): the caller then asks the server for that month.
 */
import type { PhotoFilter } from '../api/gql/graphql';

export interface MatchablePhoto {
  takenAt: string | null;
  rating: number;
  tags: { id: string; name: string; type: string }[];
}

export type Match = boolean | 'unknown';

/** Filter keys the client cannot decide from a live photo. */
const SERVER_ONLY: (keyof PhotoFilter)[] = [
  'cameraId', 'lensId', 'aperture', 'iso', 'focalLength', 'exposureTime', 'flash',
  'hasLocation', 'bbox',
];

function present(value: unknown): boolean {
  if (value === null || value === undefined || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** True when the filter selects every photo. */
export function isEmptyFilter(filter: PhotoFilter | null | undefined): boolean {
  if (!filter) return true;
  return Object.values(filter).every((v) => !present(v));
}

/** Compare wall-clock prefixes when both sides are plain dates or carry no zone. */
function comparableDate(value: string): string | null {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+$/.test(value)) return value;
  return null;
}

export function matchesFilter(photo: MatchablePhoto, filter: PhotoFilter | null | undefined): Match {
  if (!filter || isEmptyFilter(filter)) return true;
  let unknown = false;
  for (const key of SERVER_ONLY) if (present(filter[key])) unknown = true;

  const names = photo.tags.map((t) => t.name.toLowerCase());
  if (present(filter.tags)) {
    const ids = new Set(photo.tags.map((t) => t.id));
    if (!filter.tags!.every((id) => ids.has(id))) return false;
  }
  if (present(filter.tagType)) {
    const type = filter.tagType!.toLowerCase();
    if (!photo.tags.some((t) => t.type.toLowerCase() === type)) return false;
  }
  if (present(filter.tagNames)) {
    const type = filter.tagType?.toLowerCase();
    const have = new Set(photo.tags.filter((t) => !type || t.type.toLowerCase() === type)
      .map((t) => t.name.toLowerCase()));
    if (!filter.tagNames!.every((n) => have.has(n.toLowerCase()))) return false;
  }
  if (present(filter.text)) {
    const words = filter.text!.toLowerCase().split(/\s+/).filter(Boolean);
    if (!words.every((w) => names.some((n) => n.includes(w)))) return false;
  }
  if (present(filter.minRating) && photo.rating < filter.minRating!) return false;

  for (const [bound, after] of [[filter.takenAfter, true], [filter.takenBefore, false]] as const) {
    if (!present(bound)) continue;
    if (!photo.takenAt) return false;
    const b = comparableDate(bound!);
    const t = comparableDate(photo.takenAt.slice(0, 19));
    if (b === null || t === null || /[zZ+-]\d{0,2}:?\d{0,2}$/.test(photo.takenAt.slice(19))) {
      unknown = true; // zones involved: the server knows how to compare them
      continue;
    }
    const tt = t.slice(0, b.length);
    if (after ? tt < b : tt >= b) return false;
  }
  return unknown ? 'unknown' : true;
}
