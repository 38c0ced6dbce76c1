/**
 * Collects live events into grid updates. A lone arrival (the stream was quiet for `quietMs`)
 * is handed over on the next animation frame: one dropped file shows at once. Events that
 * follow closely are a burst: they coalesce until the stream has been quiet for `idleMs`, and
 * never wait more than `maxWaitMs`, so a burst of 50 files is one or two grid updates, not 50.
 */
export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
  now(): number;
  /** Run before the next paint (requestAnimationFrame where there is one). */
  frame?(fn: () => void): unknown;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
};

export interface BatcherOptions {
  /** A gap this long since the last event makes the next one a lone arrival. */
  quietMs?: number;
  /** During a burst: hand over once no event came for this long. */
  idleMs?: number;
  /** During a burst: hand over at most this long after the first pending event. */
  maxWaitMs?: number;
  timers?: Timers;
}

export class Batcher<T> {
  #items: T[] = [];
  #timer: unknown = null;
  /** The frame flush that is due (0: none); a frame callback that is no longer due does nothing. */
  #frameDue = 0;
  #frameSeq = 0;
  #firstAt = 0;
  #lastAt = Number.NEGATIVE_INFINITY;
  #closed = false;
  readonly #quietMs: number;
  readonly #idleMs: number;
  readonly #maxWaitMs: number;
  readonly #timers: Timers;

  constructor(private readonly flushTo: (items: T[]) => void, opts: BatcherOptions = {}) {
    this.#quietMs = opts.quietMs ?? 250;
    this.#idleMs = opts.idleMs ?? 250;
    this.#maxWaitMs = opts.maxWaitMs ?? 1000;
    this.#timers = opts.timers ?? realTimers;
  }

  get pending(): number {
    return this.#items.length;
  }

  add(item: T): void {
    if (this.#closed) return;
    const now = this.#timers.now();
    const quiet = now - this.#lastAt >= this.#quietMs;
    this.#lastAt = now;
    const wasEmpty = this.#items.length === 0;
    this.#items.push(item);
    if (wasEmpty) this.#firstAt = now;
    if (this.#frameDue !== 0) return; // joins the update already due on the next frame
    if (wasEmpty && quiet) {
      this.#onNextFrame();
      return;
    }
    // A burst: wait for a pause, bounded by the max wait since the first pending event.
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    const waited = now - this.#firstAt;
    const wait = Math.max(0, Math.min(this.#idleMs, this.#maxWaitMs - waited));
    this.#timer = this.#timers.set(() => this.flush(), wait);
  }

  #onNextFrame(): void {
    const token = ++this.#frameSeq;
    this.#frameDue = token;
    const run = (): void => {
      if (this.#frameDue === token) this.flush();
    };
    const frame = this.#timers.frame
      ?? (typeof requestAnimationFrame === 'function' && this.#timers === realTimers
        ? (fn: () => void) => requestAnimationFrame(fn) : null);
    if (frame) frame(run);
    else this.#timers.set(run, 0);
    // A hidden tab gets no frames: hand over by the max wait anyway.
    this.#timer = this.#timers.set(() => this.flush(), this.#maxWaitMs);
  }

  /** Hand over what is pending now. */
  flush(): void {
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    this.#timer = null;
    this.#frameDue = 0;
    if (this.#items.length === 0) return;
    const items = this.#items;
    this.#items = [];
    this.flushTo(items);
  }

  /** Drop what is pending and accept nothing more. */
  close(): void {
    if (this.#timer !== null) this.#timers.clear(this.#timer);
    this.#timer = null;
    this.#frameDue = 0;
    this.#items = [];
    this.#closed = true;
  }
}
