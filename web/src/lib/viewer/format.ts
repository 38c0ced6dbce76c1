/** How the info sheet words a photo's date, exposure, place and tag types. Plain TS. */

import type { TagType } from '../api/gql/graphql';

const ISO = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

export interface TakenAtText {
  /** The wall-clock date and time where the photo was taken, e.g. "Sat 2 Nov 2024, 09:30". */
  when: string;
  /** Its zone: "UTC+01:00", "Europe/Paris (UTC+01:00)", "local time", "from the file's date". */
  zone: string;
}

/**
 * The date as the photographer's clock read it: never converted to the browser's zone (a photo
 * taken at 09:30 in Tokyo says 09:30), with the offset or zone name beside it. A floating date
 * (no offset known) is marked "local time".
 */
export function formatTakenAt(takenAt: string | null | undefined, source: string | null | undefined,
                              timeZone: string | null | undefined): TakenAtText | null {
  if (!takenAt) return null;
  const m = ISO.exec(takenAt.trim());
  if (!m) return { when: takenAt, zone: '' };
  const [, y, mo, d, h, mi, , off] = m;
  const weekday = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDay();
  const when = `${WEEKDAYS[weekday]} ${Number(d)} ${MONTHS[Number(mo) - 1]} ${y}, ${h}:${mi}`;
  let zone: string;
  if (!off || source === 'floating') zone = 'local time';
  else {
    const normal = off.length === 5 ? `${off.slice(0, 3)}:${off.slice(3)}` : off;
    const offset = off === 'Z' || normal === '+00:00' ? 'UTC' : `UTC${normal}`;
    // "UTC (UTC)" says nothing twice: name the zone only when it adds something.
    zone = timeZone && timeZone !== 'UTC' && timeZone !== 'Etc/UTC' ? `${timeZone} (${offset})`
      : offset;
  }
  if (source === 'file') zone = `${zone}, from the file's date`;
  return { when, zone };
}

/** 1/250 s for short exposures, 0.5 s or 2 s for long ones. */
export function formatShutter(seconds: number | null | undefined): string | null {
  if (seconds == null || !(seconds > 0)) return null;
  if (seconds >= 0.3) return `${Number(seconds.toFixed(1))} s`;
  return `1/${Math.round(1 / seconds)} s`;
}

export function formatAperture(f: number | null | undefined): string | null {
  return f == null || !(f > 0) ? null : `f/${Number(f.toFixed(1))}`;
}

export function formatFocalLength(mm: number | null | undefined): string | null {
  if (mm == null || !(mm > 0)) return null;
  return `${mm < 10 ? Number(mm.toFixed(1)) : Math.round(mm)} mm`;
}

export function formatIso(iso: number | null | undefined): string | null {
  return iso == null || !(iso > 0) ? null : `ISO ${iso}`;
}

/** "48.85840° N, 2.29450° E" (five decimals: about a metre). */
export function formatCoordinates(lat: number | null | undefined,
                                  lon: number | null | undefined): string | null {
  if (lat == null || lon == null) return null;
  const ns = lat >= 0 ? 'N' : 'S';
  const ew = lon >= 0 ? 'E' : 'W';
  return `${Math.abs(lat).toFixed(5)}° ${ns}, ${Math.abs(lon).toFixed(5)}° ${ew}`;
}

/**
 * The `data-tag-type` of a tag: the lower-cased TagType, except COLOR, which is `colour` (the
 * spelling the server stores and the web contract names).
 */
export function tagTypeAttribute(type: TagType): string {
  return type === 'COLOR' ? 'colour' : type.toLowerCase();
}

/** Tag groups in the order the sheet shows them, with their headings. */
export const TAG_GROUPS: readonly { type: TagType; heading: string }[] = [
  { type: 'PERSON', heading: 'People' },
  { type: 'OBJECT', heading: 'Objects' },
  { type: 'SCENE', heading: 'Scene' },
  { type: 'LOCATION', heading: 'Places' },
  { type: 'EVENT', heading: 'Events' },
  { type: 'COLOR', heading: 'Colours' },
  { type: 'STYLE', heading: 'Style' },
  { type: 'ALBUM', heading: 'Albums' },
  { type: 'USER', heading: 'Your tags' },
];

/** Tags grouped by type in the sheet's order, each group sorted by confidence then name; empty
 *  groups left out. A tag the photo carries more than once (one PERSON tag per face, say) is
 *  listed once. Unnamed PERSON tags (a face nobody has named yet) are counted, not listed. */
export function groupTags<T extends { id: string; name: string; type: TagType; confidence: number }>(
    tags: readonly T[]): { type: TagType; heading: string; tags: T[]; unnamed: number }[] {
  const unique = new Map<string, T>();
  for (const tag of tags) {
    const seen = unique.get(tag.id);
    if (!seen || tag.confidence > seen.confidence) unique.set(tag.id, tag);
  }
  return TAG_GROUPS.map(({ type, heading }) => {
    const ofType = [...unique.values()].filter((t) => t.type === type);
    const named = ofType.filter((t) => t.name.trim() !== '')
      .sort((a, b) => b.confidence - a.confidence || a.name.localeCompare(b.name));
    return { type, heading, tags: named, unnamed: ofType.length - named.length };
  }).filter((g) => g.tags.length > 0 || g.unnamed > 0);
}
