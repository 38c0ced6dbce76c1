/**
 * The timeline as months: every month known from `timeBuckets` with its count; unloaded months
 * take an estimated height, loaded ones are laid out by day. Offsets are recomputed after each
 * change (plain TS: the grid decides when to redraw).
 */
import {
  estimateMonthHeight, layoutMonth, layoutOptions, monthOf, type LayoutOptions, type MonthLayout,
  type TimelinePhoto,
} from './layout';

export interface Bucket {
  month: string | null;
  count: number;
}

export class Month {
  /** 'YYYY-MM' or null (undated, always last). */
  readonly month: string | null;
  count: number;
  photos: TimelinePhoto[] | null = null;
  layout: MonthLayout | null = null;
  top = 0;
  height = 0;

  constructor(month: string | null, count: number) {
    this.month = month;
    this.count = count;
  }

  /** Stable key for keyed rendering ('undated' for null). */
  get key(): string {
    return this.month ?? 'undated';
  }

  get loaded(): boolean {
    return this.photos !== null;
  }
}

/** Newest first; undated last. */
function compareMonths(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? 1 : -1;
}

/** Newest first by wall-clock takenAt, undated last, then by id for a stable order. */
export function comparePhotos(a: TimelinePhoto, b: TimelinePhoto): number {
  const ta = a.takenAt?.slice(0, 19) ?? null;
  const tb = b.takenAt?.slice(0, 19) ?? null;
  if (ta !== tb) {
    if (ta === null) return 1;
    if (tb === null) return -1;
    return ta < tb ? 1 : -1;
  }
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export class TimelineModel {
  months: Month[] = [];
  opts: LayoutOptions = layoutOptions(360);
  totalHeight = 0;
  /** Where each photo of a loaded month lives. */
  #index = new Map<string, Month>();

  constructor(buckets: Bucket[] = [], width = 360) {
    this.opts = layoutOptions(width);
    this.setBuckets(buckets);
  }

  setBuckets(buckets: Bucket[]): void {
    this.months = buckets.filter((b) => b.count > 0).map((b) => new Month(b.month, b.count));
    this.months.sort((a, b) => compareMonths(a.month, b.month));
    this.#index.clear();
    this.#relayoutAll();
  }

  get photoCount(): number {
    return this.months.reduce((n, m) => n + m.count, 0);
  }

  /** Relayout everything for a new width (does nothing when the layout options are the same). */
  setWidth(width: number): boolean {
    const next = layoutOptions(width);
    if (next.width === this.opts.width && next.rowHeight === this.opts.rowHeight) return false;
    this.opts = next;
    this.#relayoutAll();
    return true;
  }

  month(key: string | null): Month | undefined {
    return this.months.find((m) => m.month === key);
  }

  /** The loaded month holding the photo, if any. */
  monthOfPhoto(id: string): Month | undefined {
    return this.#index.get(id);
  }

  has(id: string): boolean {
    return this.#index.has(id);
  }

  /** A month's photos arrived (server order is newest first; sorted again to be safe). */
  setMonthPhotos(key: string | null, photos: TimelinePhoto[]): void {
    let month = this.month(key);
    if (!month) {
      if (photos.length === 0) return;
      month = this.#addMonth(key);
    }
    if (month.photos) for (const p of month.photos) this.#index.delete(p.id);
    month.photos = [...photos].sort(comparePhotos);
    month.count = month.photos.length;
    for (const p of month.photos) this.#index.set(p.id, month);
    if (month.count === 0) {
      this.months = this.months.filter((m) => m !== month);
    }
    this.#layoutMonth(month);
    this.#offsets();
  }

  /**
   * Insert live photos (already known to match the view). Photos already present are skipped;
   * months not loaded only grow their count. Returns how many photos were new.
   */
  insert(photos: TimelinePhoto[]): number {
    let added = 0;
    const touched = new Set<Month>();
    for (const photo of photos) {
      if (this.#index.has(photo.id)) continue;
      const key = monthOf(photo.takenAt);
      let month = this.month(key);
      if (!month) {
        month = this.#addMonth(key);
        month.photos = [];
        month.count = 0;
      }
      month.count += 1;
      if (month.photos) {
        month.photos.push(photo);
        this.#index.set(photo.id, month);
      }
      touched.add(month);
      added += 1;
    }
    for (const month of touched) {
      month.photos?.sort(comparePhotos);
      this.#layoutMonth(month);
    }
    if (touched.size) this.#offsets();
    return added;
  }

  /**
   * The server's months after a gap in the live stream (a reconnect that could not resume):
   * unloaded months take the new counts, new months appear unloaded, months gone are dropped.
   * Returns the loaded months, which the caller reloads (their photos may have changed).
   */
  mergeBuckets(buckets: Bucket[]): Month[] {
    const fresh = new Map(buckets.filter((b) => b.count > 0).map((b) => [b.month, b.count]));
    const loaded: Month[] = [];
    this.months = this.months.filter((m) => m.loaded || fresh.has(m.month));
    for (const month of this.months) {
      if (month.loaded) loaded.push(month);
      else month.count = fresh.get(month.month)!;
    }
    for (const [key, count] of fresh) {
      if (this.month(key)) continue;
      this.#addMonth(key).count = count;
    }
    this.#relayoutAll();
    return loaded;
  }

  /** Mark a photo's files missing (the tile stays). Returns whether it is shown. */
  markMissing(id: string, missing = true): boolean {
    const photo = this.#index.get(id)?.photos?.find((p) => p.id === id);
    if (!photo) return false;
    photo.missing = missing;
    return true;
  }

  /** A photo deleted from the library. Returns whether anything changed. */
  remove(id: string): boolean {
    const month = this.#index.get(id);
    if (!month?.photos) return false;
    month.photos = month.photos.filter((p) => p.id !== id);
    month.count = month.photos.length;
    this.#index.delete(id);
    if (month.count === 0) this.months = this.months.filter((m) => m !== month);
    else this.#layoutMonth(month);
    this.#offsets();
    return true;
  }

  /**
   * The photo `step` places after (+1: older) or before (-1) `id` in timeline order, crossing
   * into the next loaded month; null at either end or when that month is not loaded yet.
   */
  neighbour(id: string, step: 1 | -1): TimelinePhoto | null {
    const month = this.#index.get(id);
    if (!month?.photos) return null;
    const at = month.photos.findIndex((p) => p.id === id);
    const inMonth = month.photos[at + step];
    if (inMonth) return inMonth;
    const next = this.months[this.months.indexOf(month) + step];
    if (!next?.photos?.length) return null;
    return step === 1 ? next.photos[0]! : next.photos[next.photos.length - 1]!;
  }

  /** Index of the month at vertical position `y` (clamped). */
  monthIndexAt(y: number): number {
    const months = this.months;
    if (months.length === 0) return -1;
    let lo = 0;
    let hi = months.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (months[mid]!.top <= y) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** The month shown at vertical position `y`. */
  monthAt(y: number): Month | undefined {
    return this.months[this.monthIndexAt(y)];
  }

  /** Absolute box of a photo of a loaded month. */
  tileTop(id: string): number | null {
    const month = this.#index.get(id);
    const tile = month?.layout?.tiles.find((t) => t.photo.id === id);
    return month && tile ? month.top + tile.box.top : null;
  }

  #addMonth(key: string | null): Month {
    const month = new Month(key, 0);
    const at = this.months.findIndex((m) => compareMonths(m.month, key) > 0);
    if (at < 0) this.months.push(month);
    else this.months.splice(at, 0, month);
    return month;
  }

  #layoutMonth(month: Month): void {
    if (month.photos) {
      month.layout = layoutMonth(month.photos, this.opts);
      month.height = month.layout.height;
    } else {
      month.layout = null;
      month.height = estimateMonthHeight(month.count, this.opts);
    }
  }

  #relayoutAll(): void {
    for (const month of this.months) this.#layoutMonth(month);
    this.#offsets();
  }

  #offsets(): void {
    let y = 0;
    for (const month of this.months) {
      month.top = y;
      y += month.height;
    }
    this.totalHeight = y;
  }
}
