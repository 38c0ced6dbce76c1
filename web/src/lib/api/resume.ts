/**
 * Resume bookkeeping for the live event stream: remember the last sequence delivered, hand it
 * to the next subscription as `since`, and drop anything at or below it. Sequences are decimal
 * strings of a 64-bit counter, so they are compared as BigInt (never as numbers or text).
 */

export type Sequence = string;

export class ResumeCursor {
  #last: bigint | null = null;

  /** `start`: a sequence already seen (e.g. restored), or null for "live only". */
  constructor(start: Sequence | null = null) {
    if (start !== null) this.#last = parse(start);
  }

  /** The `since` argument for the next (re)subscription; null before any event arrived. */
  get since(): Sequence | null {
    return this.#last === null ? null : this.#last.toString();
  }

  /** True when `sequence` is new (and it becomes the last seen); false for a replayed one. */
  accept(sequence: Sequence): boolean {
    const value = parse(sequence);
    if (this.#last !== null && value <= this.#last) return false;
    this.#last = value;
    return true;
  }

  /** Forget everything (another library was chosen). */
  reset(start: Sequence | null = null): void {
    this.#last = start === null ? null : parse(start);
  }
}

function parse(sequence: Sequence): bigint {
  if (!/^\d+$/.test(sequence)) throw new TypeError(`not an event sequence: ${sequence}`);
  return BigInt(sequence);
}
