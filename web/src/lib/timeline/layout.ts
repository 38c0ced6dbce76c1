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
  /** Above the day's first tile: days share rows, so a label may start mid-row. */
  left: number;
  /** Room for the label before the next day's label in the same band (or the row's end). */
  width: number;
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

/**
 * Lay out a loaded month: a month header, then its photos as one justified sequence, so a day
 * of one or two photos shares its row with the next days instead of leaving the row empty.
 * Each row where a day starts gets a band above it with that day's label over its first tile.
 */
export function layoutMonth(photos: TimelinePhoto[], opts: LayoutOptions): MonthLayout {
  const headers: DayHeader[] = [];
  const tiles: PlacedTile[] = [];
  if (photos.length === 0) return { headers, tiles, height: MONTH_HEADER + MONTH_GAP };
  const { boxes, height } = justify(photos.map((p) => p.ratio), opts);
  // Rows by their top; the days starting in each.
  const starts = new Map<number, { day: string | null; left: number }[]>();
  let previous: string | null | undefined;
  photos.forEach((photo, i) => {
    const day = dayOf(photo.takenAt);
    if (i > 0 && day === previous) return;
    previous = day;
    const b = boxes[i]!;
    const row = starts.get(b.top) ?? [];
    row.push({ day, left: b.left });
    starts.set(b.top, row);
  });
  // Each band pushes every later row down by DAY_HEADER.
  const rowTops = [...new Set(boxes.map((b) => b.top))].sort((a, b) => a - b);
  const shift = new Map<number, number>();
  let added = 0;
  for (const top of rowTops) {
    const row = starts.get(top);
    if (row) {
      row.forEach((start, k) => {
        const end = row[k + 1]?.left ?? opts.width;
        headers.push({ day: start.day, top: MONTH_HEADER + top + added, left: start.left,
                       width: Math.max(0, end - start.left - opts.gap) });
      });
      added += DAY_HEADER;
    }
    shift.set(top, added);
  }
  photos.forEach((photo, i) => {
    const b = boxes[i]!;
    tiles.push({ photo, box: { ...b, top: MONTH_HEADER + b.top + shift.get(b.top)! } });
  });
  return { headers, tiles, height: MONTH_HEADER + height + added + MONTH_GAP };
}

/** The height a month of `count` photos will probably take before its photos are known. */
export function estimateMonthHeight(count: number, opts: LayoutOptions): number {
  if (count <= 0) return MONTH_HEADER + MONTH_GAP;
  const perRow = Math.max(1, Math.floor((opts.width + opts.gap)
    / (opts.rowHeight * AVERAGE_RATIO + opts.gap)));
  // About one day per five photos (at most one per photo, at least one); days share rows,
  // so a row has at most one band of day labels.
  const days = Math.max(1, Math.min(count, Math.round(count / 5)));
  const rows = Math.ceil(count / perRow);
  return MONTH_HEADER + Math.min(days, rows) * DAY_HEADER + rows * (opts.rowHeight + opts.gap)
    - opts.gap + MONTH_GAP;
}

const MONTH_FORMAT = new Intl.DateTimeFormat(undefined, {
  month: 'long', year: 'numeric', timeZone: 'UTC',
});
const DAY_FORMAT = new Intl.DateTimeFormat(undefined, {
  weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC',
});
const SHORT_DAY_FORMAT = new Intl.DateTimeFormat(undefined, {
  day: 'numeric', month: 'short', timeZone: 'UTC',
});
/** Below this many pixels a day label drops its weekday (a day of one narrow photo). */
export const SHORT_LABEL_WIDTH = 112;

/** 'March 2024' for '2024-03'; 'No date' for null. */
export function monthLabel(month: string | null): string {
  if (!month) return 'No date';
  const [y, m] = month.split('-').map(Number);
  return MONTH_FORMAT.format(new Date(Date.UTC(y!, (m ?? 1) - 1, 1)));
}

/** 'Mon, 4 Mar' for '2024-03-04' ('4 Mar' when `short`); 'No date' for null. */
export function dayLabel(day: string | null, short = false): string {
  if (!day) return 'No date';
  const [y, m, d] = day.split('-').map(Number);
  return (short ? SHORT_DAY_FORMAT : DAY_FORMAT).format(new Date(Date.UTC(y!, (m ?? 1) - 1, d ?? 1)));
}
