/**
 * Multi-select in a grid, framework-free: a set of ids with an anchor; a drag from the anchor
 * selects the range between it and the photo under the finger (in the grid's order), on top of
 * what was selected before the drag began.
 */

export class SelectionModel {
  readonly ids = new Set<string>();
  private anchor: string | null = null;
  /** What was selected when the current drag began (a drag adds its range to it). */
  private base: Set<string> | null = null;

  get size(): number {
    return this.ids.size;
  }

  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** A long-press: select `id` and start a drag range from it. */
  begin(id: string): void {
    this.ids.add(id);
    this.anchor = id;
    this.base = new Set(this.ids);
  }

  /** The finger is over `id`: the selection is the base plus anchor..id in `order`. */
  extendTo(id: string, order: readonly string[]): boolean {
    if (!this.anchor || !this.base) return false;
    const from = order.indexOf(this.anchor);
    const to = order.indexOf(id);
    if (from < 0 || to < 0) return false;
    const [lo, hi] = from <= to ? [from, to] : [to, from];
    const next = new Set(this.base);
    for (let i = lo; i <= hi; i++) next.add(order[i]!);
    if (next.size === this.ids.size && [...next].every((x) => this.ids.has(x))) return false;
    this.ids.clear();
    for (const x of next) this.ids.add(x);
    return true;
  }

  /** The drag ended. */
  end(): void {
    this.base = null;
  }

  /** A tap while selecting: toggle one photo (it becomes the anchor of a later drag). */
  toggle(id: string): void {
    if (this.ids.has(id)) this.ids.delete(id);
    else this.ids.add(id);
    this.anchor = id;
  }

  /** Photos that left the grid (trashed, taken out of the album) leave the selection. */
  drop(ids: Iterable<string>): void {
    for (const id of ids) this.ids.delete(id);
  }

  clear(): void {
    this.ids.clear();
    this.anchor = null;
    this.base = null;
  }
}

/** Long-press: how long a finger must rest, and how far it may wander before it is a scroll. */
export const LONG_PRESS_MS = 450;
export const LONG_PRESS_SLOP_PX = 10;
