/** Which months and tiles intersect the viewport (plus a margin): the DOM holds only those. */
import type { TimelineModel, Month } from './buckets';
import type { DayHeader, PlacedTile } from './layout';

export interface VisibleMonth {
  month: Month;
  tiles: PlacedTile[];
  headers: DayHeader[];
}

export interface TimelineWindow {
  months: VisibleMonth[];
  /** Unloaded months near the viewport (within `loadMargin`), nearest first. */
  toLoad: Month[];
}

/** First index whose bottom edge (top + height) is below `y`, by binary search. */
function firstEndingAfter<T>(items: T[], y: number, top: (t: T) => number,
                             height: (t: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const item = items[mid]!;
    if (top(item) + height(item) <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The months and tiles within [scrollTop - margin, scrollTop + viewport + margin]. Tiles of a
 * month are sorted by top, so this is two binary searches per month plus the tiles drawn.
 */
export function computeWindow(model: TimelineModel, scrollTop: number, viewport: number,
                              margin: number, loadMargin = margin): TimelineWindow {
  const from = scrollTop - margin;
  const to = scrollTop + viewport + margin;
  const months: VisibleMonth[] = [];
  const all = model.months;
  let i = firstEndingAfter(all, from, (m) => m.top, (m) => m.height);
  for (; i < all.length && all[i]!.top < to; i++) {
    const month = all[i]!;
    if (!month.layout) {
      months.push({ month, tiles: [], headers: [] });
      continue;
    }
    const localFrom = from - month.top;
    const localTo = to - month.top;
    const tiles = month.layout.tiles;
    // Tiles' tops never decrease, and rows have one height: bottoms never decrease either.
    const start = firstEndingAfter(tiles, localFrom, (t) => t.box.top, (t) => t.box.height);
    let end = start;
    while (end < tiles.length && tiles[end]!.box.top < localTo) end++;
    const headers = month.layout.headers.filter(
      (h) => h.top < localTo && h.top + 40 > localFrom);
    months.push({ month, tiles: tiles.slice(start, end), headers });
  }
  const loadFrom = scrollTop - loadMargin;
  const loadTo = scrollTop + viewport + loadMargin;
  const centre = scrollTop + viewport / 2;
  const toLoad = all
    .filter((m) => !m.loaded && m.top < loadTo && m.top + m.height > loadFrom)
    .sort((a, b) => distance(a, centre) - distance(b, centre));
  return { months, toLoad };
}

function distance(month: Month, y: number): number {
  if (y < month.top) return month.top - y;
  if (y > month.top + month.height) return y - month.top - month.height;
  return 0;
}
