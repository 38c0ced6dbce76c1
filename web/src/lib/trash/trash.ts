/**
 * The trash as a grid: trashed photos become timeline tiles dated by when they were trashed
 * (so the grid's month and day headings read "trashed in/on", most recent first), all pages
 * loaded up front (a trash is small) into one TimelineModel. Plain TS, unit-tested.
 */
import { TimelineModel, type Bucket } from '../timeline/buckets';
import { monthOf, type TimelinePhoto } from '../timeline/layout';

/** The fields of a trashed photo the grid needs (the trash query's node). */
export interface TrashNode {
  id: string;
  width?: number | null;
  height?: number | null;
  placeholder?: string | null;
  thumbnailUrl?: string | null;
  trashedAt?: string | null;
  durationMs?: number | null;
}

export interface TrashPage {
  nodes: TrashNode[];
  endCursor: string | null;
  hasNextPage: boolean;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** An ISO instant as this device's wall-clock time ('2026-12-05T08:47:00'): day headings
 * follow the day the person trashed it where they are. */
export function localWallClock(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso.slice(0, 19);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T`
    + `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** One grid tile for a trashed photo, dated by its trashing. */
export function trashTile(node: TrashNode): TimelinePhoto {
  const ratio = node.width && node.height ? node.width / node.height : 1;
  return {
    id: node.id,
    ratio,
    placeholder: node.placeholder ?? null,
    takenAt: node.trashedAt ? localWallClock(node.trashedAt) : null,
    thumbnailUrl: node.thumbnailUrl ?? '',
    missing: false,
    durationMs: node.durationMs ?? null,
  };
}

/** The grid model of these tiles: one loaded month per month of trashing. */
export function trashModel(tiles: TimelinePhoto[], width: number): TimelineModel {
  const byMonth = new Map<string | null, TimelinePhoto[]>();
  for (const tile of tiles) {
    const key = monthOf(tile.takenAt);
    const list = byMonth.get(key) ?? [];
    list.push(tile);
    byMonth.set(key, list);
  }
  const buckets: Bucket[] = [...byMonth].map(([month, list]) => ({ month, count: list.length }));
  const model = new TimelineModel(buckets, width);
  for (const [month, list] of byMonth) model.setMonthPhotos(month, list);
  return model;
}

/** Every page of the trash, following cursors (at most `limit` photos, a runaway guard). */
export async function loadAllPages(page: (after: string | null) => Promise<TrashPage>,
                                   limit = 20_000): Promise<TrashNode[]> {
  const nodes: TrashNode[] = [];
  let after: string | null = null;
  for (;;) {
    const got: TrashPage = await page(after);
    nodes.push(...got.nodes);
    if (!got.hasNextPage || !got.endCursor || got.endCursor === after
        || nodes.length >= limit) return nodes;
    after = got.endCursor;
  }
}
