/** Telling a one-finger drag apart: which axis it moves on, and what it means when it ends. */

import type { Point, Size } from './geometry';

export type Axis = 'x' | 'y';

/** The axis a drag is locked to once it has moved `slop` px, or null before that. Diagonal
 *  drags go to the dominant axis; vertical wins ties at 45 degrees only when clearly larger. */
export function lockAxis(dx: number, dy: number, slop = 10): Axis | null {
  if (Math.hypot(dx, dy) < slop) return null;
  return Math.abs(dx) >= Math.abs(dy) ? 'x' : 'y';
}

export type SwipeOutcome = 'next' | 'previous' | 'close' | 'info' | 'none';

export interface SwipeInput {
  /** Total movement since the finger went down, px (right and down positive). */
  dx: number;
  dy: number;
  /** Release velocity, px per ms. */
  vx: number;
  vy: number;
  axis: Axis;
  viewport: Size;
}

export interface SwipeThresholds {
  /** A fraction of the viewport's width or height that always commits. */
  distance: number;
  /** A release speed (px/ms) that commits a shorter flick... */
  velocity: number;
  /** ...provided it moved at least this far (px), so a jitter is not a flick. */
  minFlick: number;
}

export const DEFAULT_SWIPE: SwipeThresholds = Object.freeze({
  distance: 0.25,
  velocity: 0.45,
  minFlick: 30,
});

/**
 * What a finished one-finger drag means: far enough, or fast enough in its own direction, to the
 * left -> next photo, to the right -> previous, down -> close, up -> info. A flick back against the
 * drag (moved left, released moving right) cancels it.
 */
export function classifySwipe(s: SwipeInput, th: SwipeThresholds = DEFAULT_SWIPE): SwipeOutcome {
  const along = s.axis === 'x' ? s.dx : s.dy;
  const speed = s.axis === 'x' ? s.vx : s.vy;
  const extent = s.axis === 'x' ? s.viewport.width : s.viewport.height;
  if (along === 0) return 'none';
  const direction = Math.sign(along);
  const againstIt = Math.sign(speed) === -direction && Math.abs(speed) > th.velocity / 3;
  const far = Math.abs(along) >= th.distance * extent;
  const flick = Math.abs(along) >= th.minFlick && speed * direction >= th.velocity;
  if (againstIt || !(far || flick)) return 'none';
  if (s.axis === 'x') return direction < 0 ? 'next' : 'previous';
  return direction > 0 ? 'close' : 'info';
}

interface Sample extends Point {
  t: number;
}

/**
 * Release velocity from the last `window` ms of movement (a single last pair of samples is too
 * noisy on touch screens; the whole drag is too slow to follow a late flick).
 */
export class VelocityTracker {
  private samples: Sample[] = [];

  constructor(private readonly window = 100) {}

  reset(): void {
    this.samples = [];
  }

  add(point: Point, t: number): void {
    this.samples.push({ x: point.x, y: point.y, t });
    const cutoff = t - this.window * 2;
    while (this.samples.length > 2 && this.samples[0]!.t < cutoff) this.samples.shift();
  }

  /** px per ms, at time `now` (0 when the finger has rested longer than the window). */
  velocity(now: number): Point {
    const last = this.samples.at(-1);
    if (!last || now - last.t > this.window) return { x: 0, y: 0 };
    const first = this.samples.find((s) => last.t - s.t <= this.window) ?? last;
    const dt = last.t - first.t;
    if (dt <= 0) return { x: 0, y: 0 };
    return { x: (last.x - first.x) / dt, y: (last.y - first.y) / dt };
  }
}
