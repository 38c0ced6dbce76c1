import type { TimelinePhoto } from '../../../src/lib/timeline/layout';

/** A photo taken at `takenAt` (ISO) with a ratio. */
export function photo(id: string, takenAt: string | null, ratio = 1.5): TimelinePhoto {
  return { id, ratio, placeholder: null, takenAt, thumbnailUrl: `/t/${id}`, missing: false };
}

/** `n` photos of one day, newest first, ids prefixed. */
export function day(prefix: string, date: string, n: number, ratio = 1.5): TimelinePhoto[] {
  return Array.from({ length: n }, (_, i) =>
    photo(`${prefix}${i}`, `${date}T${String(23 - (i % 24)).padStart(2, '0')}:00:00`, ratio));
}
