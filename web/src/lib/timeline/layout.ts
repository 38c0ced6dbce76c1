/** Justified rows for one month of the timeline, grouped by day (plain TS, no DOM). */
import justifiedLayout from 'justified-layout';

export interface TimelinePhoto {
  id: string;
  /** width / height as displayed. */
  ratio: number;
  placeholder: string | null;
  /** ISO 8601; its first 10 characters are the wall-clock day. */
  takenAt: string | null;
  thumbnailUrl: string;
  missing: boolean;
  /** Videos: length in ms, shown on the tile. */
  durationMs?: number | null;
}

export interface Box {
  top: number;
  left: number;
  width: number;
  height: number;
}

export interface PlacedTile {
  photo: TimelinePhoto;
  box: Box;
}

export interface DayHeader {
  /** 'YYYY-MM-DD', or null for undated photos. */
  day: string | null;
  top: number;
}

/** A month laid out: positions relative to the month's top edge. */
export interface MonthLayout {
  headers: DayHeader[];
  /** In display order; their tops never decrease. */
  tiles: PlacedTile[];
  height: number;
}

export interface LayoutOptions {
  width: number;
  rowHeight: number;
  gap: number;
}

export const MONTH_HEADER = 44;
export const DAY_HEADER = 32;
/** Space after a month's last row. */
export const MONTH_GAP = 8;
/** Average width/height of an unknown month's photos (phones shoot 4:3 both ways). */
const AVERAGE_RATIO = 1.1;

/** Row height for a viewport width: ~130 px on phones, larger on tablets and desktops. */
export function rowHeightFor(width: number): number {
  if (width < 600) return 130;
  if (width < 1100) return 180;
  return 235;
}

export function gapFor(width: number): number {
  return width < 600 ? 2 : 4;
}

export function layoutOptions(width: number): LayoutOptions {
  return { width: Math.max(1, width), rowHeight: rowHeightFor(width), gap: gapFor(width) };
}

/** The wall-clock day of an ISO date ('YYYY-MM-DD'), or null. */
export function dayOf(takenAt: string | null): string | null {
  return takenAt && /^\d{4}-\d{2}-\d{2}/.test(takenAt) ? takenAt.slice(0, 10) : null;
}

/** The wall-clock month of an ISO date ('YYYY-MM'), or null. */
export function monthOf(takenAt: string | null): string | null {
  const day = dayOf(takenAt);
  return day ? day.slice(0, 7) : null;
}

/** Justified rows for photos of the given ratios, `top` = 0 at the first row. */
export function justify(ratios: number[], opts: LayoutOptions): { boxes: Box[]; height: number } {
  if (ratios.length === 0) return { boxes: [], height: 0 };
  const result = justifiedLayout(ratios.map((r) => (r > 0 && Number.isFinite(r) ? r : 1)), {
    containerWidth: opts.width,
    containerPadding: 0,
    boxSpacing: opts.gap,
    targetRowHeight: opts.rowHeight,
    targetRowHeightTolerance: 0.25,
    // A single very wide panorama must not become a sliver, nor a tall one a column.
    maxNumRows: Number.POSITIVE_INFINITY,
  });
  // Whole pixels: month heights then change by whole pixels, so scroll compensation (scrollTop
  // snaps to device pixels) puts the view back exactly, and tile edges stay crisp.
  return {
    boxes: result.boxes.map((b) => {
      const left = Math.round(b.left);
      const top = Math.round(b.top);
      return { top, left, width: Math.round(b.left + b.width) - left,
               height: Math.round(b.top + b.height) - top };
    }),
    height: Math.round(result.containerHeight),
  };
}

/** Lay out a loaded month: a month header, then per day a header and its justified rows. */
export function layoutMonth(photos: TimelinePhoto[], opts: LayoutOptions): MonthLayout {
  const headers: DayHeader[] = [];
  const tiles: PlacedTile[] = [];
  let y = MONTH_HEADER;
  let start = 0;
  while (start < photos.length) {
    const day = dayOf(photos[start]!.takenAt);
    let end = start + 1;
    while (end < photos.length && dayOf(photos[end]!.takenAt) === day) end++;
    const group = photos.slice(start, end);
    headers.push({ day, top: y });
    y += DAY_HEADER;
    const { boxes, height } = justify(group.map((p) => p.ratio), opts);
    group.forEach((photo, i) => {
      const b = boxes[i]!;
      tiles.push({ photo, box: { ...b, top: b.top + y } });
    });
    y += height;
    start = end;
  }
  return { headers, tiles, height: y + MONTH_GAP };
}

/** The height a month of `count` photos will probably take before its photos are known. */
export function estimateMonthHeight(count: number, opts: LayoutOptions): number {
  if (count <= 0) return MONTH_HEADER + MONTH_GAP;
  const perRow = Math.max(1, Math.floor((opts.width + opts.gap)
    / (opts.rowHeight * AVERAGE_RATIO + opts.gap)));
  // About one day per five photos (at most one per photo, at least one).
  const days = Math.max(1, Math.min(count, Math.round(count / 5)));
  const rows = Math.max(days, Math.ceil(count / perRow));
  return MONTH_HEADER + days * DAY_HEADER + rows * (opts.rowHeight + opts.gap) - opts.gap
    + MONTH_GAP;
}

const MONTH_FORMAT = new Intl.DateTimeFormat(undefined, {
  month: 'long', year: 'numeric', timeZone: 'UTC',
});
const DAY_FORMAT = new Intl.DateTimeFormat(undefined, {
  weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC',
});

/** 'March 2024' for '2024-03'; 'No date' for null. */
export function monthLabel(month: string | null): string {
  if (!month) return 'No date';
  const [y, m] = month.split('-').map(Number);
  return MONTH_FORMAT.format(new Date(Date.UTC(y!, (m ?? 1) - 1, 1)));
}

/** 'Mon, 4 Mar' for '2024-03-04'; 'No date' for null. */
export function dayLabel(day: string | null): string {
  if (!day) return 'No date';
  const [y, m, d] = day.split('-').map(Number);
  return DAY_FORMAT.format(new Date(Date.UTC(y!, (m ?? 1) - 1, d ?? 1)));
}
