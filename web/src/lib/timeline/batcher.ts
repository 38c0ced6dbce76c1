/**
 * Collects live events and hands them over as one batch once the stream has been quiet for
 * `idleMs`, or `maxWaitMs` after the first one: a burst of 50 files is one grid update.
 */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  now(): number;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export class Batcher<T> {
  #items: T[] = [];
  #timer: unknown = null;
  #firstAt = 0;
  #closed = false;

  constructor(
    private readonly flushTo: (items: T[]) => void,
    private readonly idleMs = 400,
    private readonly maxWaitMs = 1000,
    private readonly timers: Timers = realTimers,
  ) {}

  get pending(): number {
    return this.#items.length;
  }

  add(item: T): void {
    if (this.#closed) return;
    if (this.#items.length === 0) this.#firstAt = this.timers.now();
    this.#items.push(item);
    if (this.#timer !== null) this.timers.clear(this.#timer);
    const waited = this.timers.now() - this.#firstAt;
    const wait = Math.max(0, Math.min(this.idleMs, this.maxWaitMs - waited));
    this.#timer = this.timers.set(() => this.flush(), wait);
  }

  /** Hand over what is pending now. */
  flush(): void {
    if (this.#timer !== null) this.timers.clear(this.#timer);
    this.#timer = null;
    if (this.#items.length === 0) return;
    const items = this.#items;
    this.#items = [];
    this.flushTo(items);
  }

  /** Drop what is pending and accept nothing more. */
  close(): void {
    if (this.#timer !== null) this.timers.clear(this.#timer);
    this.#timer = null;
    this.#items = [];
    this.#closed = true;
  }
}
