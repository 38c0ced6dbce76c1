/**
 * The search filter in the URL (shareable, survives a reload): short readable keys, ranges as
 * `min..max`, picked tags/camera/lens as `id:label` so their chips can be drawn without a query.
 */
import type { PhotoFilter, TagType } from '../api/gql/graphql';

export interface Picked {
  id: string;
  label: string;
}

/** What the search screen shows: the filter plus the labels of what was picked. */
export interface SearchState {
  text: string;
  tags: Picked[];
  tagType: TagType | null;
  camera: Picked | null;
  lens: Picked | null;
  /** 'YYYY-MM-DD', inclusive. */
  from: string | null;
  /** 'YYYY-MM-DD', inclusive (the filter's takenBefore is the next day). */
  to: string | null;
  minRating: number | null;
  hasLocation: boolean | null;
  aperture: Range;
  iso: Range;
  focalLength: Range;
  exposureTime: Range;
}

export interface Range {
  min: number | null;
  max: number | null;
}

const TAG_TYPES: TagType[] = ['OBJECT', 'SCENE', 'PERSON', 'COLOR', 'LOCATION', 'EVENT', 'STYLE',
  'ALBUM', 'USER'];

export function emptySearch(): SearchState {
  return {
    text: '', tags: [], tagType: null, camera: null, lens: null, from: null, to: null,
    minRating: null, hasLocation: null, aperture: noRange(), iso: noRange(),
    focalLength: noRange(), exposureTime: noRange(),
  };
}

function noRange(): Range {
  return { min: null, max: null };
}

function rangeText(r: Range): string | null {
  if (r.min === null && r.max === null) return null;
  return `${r.min ?? ''}..${r.max ?? ''}`;
}

function parseNumber(s: string | undefined, int: boolean): number | null {
  if (s === undefined || s.trim() === '') return null;
  const n = Number(s);
  if (!Number.isFinite(n)) return null;
  return int ? Math.round(n) : n;
}

function parseRange(s: string | null, int = false): Range {
  if (!s) return noRange();
  const [lo, hi] = s.split('..');
  const r = { min: parseNumber(lo, int), max: parseNumber(hi, int) };
  if (r.min !== null && r.max !== null && r.min > r.max) return { min: r.max, max: r.min };
  return r;
}

function pickedText(p: Picked): string {
  return `${p.id}:${p.label}`;
}

function parsePicked(s: string | null): Picked | null {
  if (!s) return null;
  const at = s.indexOf(':');
  const id = at < 0 ? s : s.slice(0, at);
  if (!id) return null;
  return { id, label: at < 0 ? id : s.slice(at + 1) };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** URL query for a search (keys in a fixed order; empty parts left out). */
export function searchToQuery(state: SearchState): URLSearchParams {
  const q = new URLSearchParams();
  if (state.text.trim()) q.set('q', state.text.trim());
  for (const tag of state.tags) q.append('tag', pickedText(tag));
  if (state.tagType) q.set('type', state.tagType.toLowerCase());
  if (state.camera) q.set('camera', pickedText(state.camera));
  if (state.lens) q.set('lens', pickedText(state.lens));
  if (state.from) q.set('from', state.from);
  if (state.to) q.set('to', state.to);
  if (state.minRating) q.set('rating', String(state.minRating));
  if (state.hasLocation !== null) q.set('located', state.hasLocation ? '1' : '0');
  const ranges: [string, Range][] = [['f', state.aperture], ['iso', state.iso],
    ['mm', state.focalLength], ['s', state.exposureTime]];
  for (const [key, range] of ranges) {
    const text = rangeText(range);
    if (text) q.set(key, text);
  }
  return q;
}

/** The search in a URL query; anything unreadable is ignored (a hand-edited link still works). */
export function queryToSearch(query: URLSearchParams | string): SearchState {
  const q = typeof query === 'string' ? new URLSearchParams(query) : query;
  const type = q.get('type')?.toUpperCase() as TagType | undefined;
  const rating = parseNumber(q.get('rating') ?? undefined, true);
  const located = q.get('located');
  const from = q.get('from');
  const to = q.get('to');
  return {
    // `text` too: the filter's own name, what people (and other tools) write by hand.
    text: (q.get('q') ?? q.get('text'))?.trim() ?? '',
    tags: q.getAll('tag').map(parsePicked).filter((p): p is Picked => p !== null),
    tagType: type && TAG_TYPES.includes(type) ? type : null,
    camera: parsePicked(q.get('camera')),
    lens: parsePicked(q.get('lens')),
    from: from && DATE.test(from) ? from : null,
    to: to && DATE.test(to) ? to : null,
    minRating: rating !== null && rating >= 1 && rating <= 5 ? rating : null,
    hasLocation: located === '1' ? true : located === '0' ? false : null,
    aperture: parseRange(q.get('f')),
    iso: parseRange(q.get('iso'), true),
    focalLength: parseRange(q.get('mm')),
    exposureTime: parseRange(q.get('s')),
  };
}

/** The day after 'YYYY-MM-DD' (the filter's upper date bound is exclusive). */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y!, m! - 1, d! + 1)).toISOString().slice(0, 10);
}

function rangeInput(r: Range): { min?: number; max?: number } | undefined {
  if (r.min === null && r.max === null) return undefined;
  return { ...(r.min !== null ? { min: r.min } : {}), ...(r.max !== null ? { max: r.max } : {}) };
}

/** The GraphQL PhotoFilter for a search; null when it selects everything. */
export function searchToFilter(state: SearchState): PhotoFilter | null {
  const f: PhotoFilter = {};
  if (state.text.trim()) f.text = state.text.trim();
  if (state.tags.length) f.tags = state.tags.map((t) => t.id);
  if (state.tagType) f.tagType = state.tagType;
  if (state.camera) f.cameraId = state.camera.id;
  if (state.lens) f.lensId = state.lens.id;
  if (state.from) f.takenAfter = state.from;
  if (state.to) f.takenBefore = nextDay(state.to);
  if (state.minRating) f.minRating = state.minRating;
  if (state.hasLocation !== null) f.hasLocation = state.hasLocation;
  const aperture = rangeInput(state.aperture);
  if (aperture) f.aperture = aperture;
  const iso = rangeInput(state.iso);
  if (iso) f.iso = iso;
  const focal = rangeInput(state.focalLength);
  if (focal) f.focalLength = focal;
  const exposure = rangeInput(state.exposureTime);
  if (exposure) f.exposureTime = exposure;
  return Object.keys(f).length ? f : null;
}
