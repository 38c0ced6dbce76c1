/**
 * A share link's photos as the public share API sends them (columns, paths relative to the
 * link's base), and the list operations live updates need. Plain TS: used by the widget and
 * the share page, tested in Node.
 */
import type { TimelinePhoto } from '../timeline/layout';

/** `GET /embed/v1/<token>/photos` and live `added`/`updated` messages: one list per field. */
export interface SharedColumns {
  id: string[];
  w: (number | null)[];
  h: (number | null)[];
  ph: (string | null)[];
  t: (string | null)[];
  grid: (string | null)[];
  preview: (string | null)[];
}

export interface SharedPhoto extends TimelinePhoto {
  previewUrl: string;
}

export type ShareOrder = 'taken' | 'added';

export type LiveMessage =
  | { type: 'ready' }
  | { type: 'resync' }
  | { type: 'added' | 'updated'; photos: SharedColumns }
  | { type: 'removed'; ids: string[] };

/** `<server>/embed/v1/<token>/`: what media paths in answers are relative to. */
export function shareBase(server: string, token: string): string {
  return `${server.replace(/\/+$/, '')}/embed/v1/${encodeURIComponent(token)}/`;
}

/** The socket URL of a share base (`http` -> `ws`). */
export function liveUrl(base: string): string {
  return base.replace(/^http/, 'ws') + 'live';
}

export function fromColumns(columns: SharedColumns, base: string): SharedPhoto[] {
  return columns.id.map((id, i) => {
    const w = columns.w[i] ?? 0;
    const h = columns.h[i] ?? 0;
    const grid = columns.grid[i];
    const preview = columns.preview[i];
    return {
      id,
      ratio: w > 0 && h > 0 ? w / h : 1,
      placeholder: columns.ph[i] ?? null,
      takenAt: columns.t[i] ?? null,
      thumbnailUrl: grid ? base + grid : '',
      previewUrl: preview ? base + preview : grid ? base + grid : '',
      missing: false,
    };
  });
}

/** Newest taken first, undated last (the server's TAKEN_AT_DESC, by wall-clock text). */
function takenBefore(a: SharedPhoto, b: SharedPhoto): boolean {
  if (a.takenAt === null) return false;
  if (b.takenAt === null) return true;
  return a.takenAt.slice(0, 19) > b.takenAt.slice(0, 19);
}

/**
 * `incoming` put into `list`: known ids replaced in place, new ones where the order puts
 * them ('added': first), then cut to `max`. Returns the new list and the ids that are new.
 */
export function upsert(list: SharedPhoto[], incoming: SharedPhoto[], order: ShareOrder,
                       max: number): { photos: SharedPhoto[]; added: string[] } {
  const byId = new Map(incoming.map((p) => [p.id, p]));
  const photos = list.map((p) => byId.get(p.id) ?? p);
  const known = new Set(list.map((p) => p.id));
  const added: string[] = [];
  for (const photo of incoming) {
    if (known.has(photo.id)) continue;
    known.add(photo.id);
    added.push(photo.id);
    if (order === 'added') {
      photos.unshift(photo);
      continue;
    }
    const at = photos.findIndex((p) => takenBefore(photo, p));
    photos.splice(at < 0 ? photos.length : at, 0, photo);
  }
  const kept = photos.slice(0, Math.max(0, max));
  const keptIds = new Set(kept.map((p) => p.id));
  return { photos: kept, added: added.filter((id) => keptIds.has(id)) };
}

export function without(list: SharedPhoto[], ids: string[]): SharedPhoto[] {
  const gone = new Set(ids);
  return list.filter((p) => !gone.has(p.id));
}

/** A fresh first page replacing the list: which ids are new to the visitor. */
export function replaced(list: SharedPhoto[], fresh: SharedPhoto[]): string[] {
  const known = new Set(list.map((p) => p.id));
  return fresh.filter((p) => !known.has(p.id)).map((p) => p.id);
}
