/** Taps and double taps from pointer down/up times and positions. */

import { distance, type Point } from './geometry';

export interface TapOptions {
  /** Longest press that is still a tap, ms. */
  maxDuration: number;
  /** Farthest a finger may wander during a tap, px. */
  maxMovement: number;
  /** Longest gap between the two taps of a double tap, ms. */
  maxInterval: number;
  /** Farthest apart the two taps of a double tap may be, px. */
  maxDistance: number;
}

export const DEFAULT_TAP: TapOptions = Object.freeze({
  maxDuration: 300,
  maxMovement: 10,
  maxInterval: 300,
  maxDistance: 40,
});

/** Whether a press from (down, at downTime) to (up, at upTime) was a tap. */
export function isTap(down: Point, downTime: number, up: Point, upTime: number,
                      options: TapOptions = DEFAULT_TAP): boolean {
  return upTime - downTime <= options.maxDuration && distance(down, up) <= options.maxMovement;
}

export type TapKind = 'single' | 'double';

/**
 * Feed it each tap; it says whether this tap completes a double tap. A third quick tap starts a
 * new pair (it is a 'single'), so triple taps do not zoom in and straight back out.
 */
export class DoubleTapDetector {
  private last: { point: Point; t: number } | null = null;

  constructor(private readonly options: TapOptions = DEFAULT_TAP) {}

  tap(point: Point, t: number): TapKind {
    const previous = this.last;
    if (previous && t - previous.t <= this.options.maxInterval
        && distance(previous.point, point) <= this.options.maxDistance) {
      this.last = null;
      return 'double';
    }
    this.last = { point, t };
    return 'single';
  }

  /** Forget a pending first tap (a drag or a second finger came in between). */
  reset(): void {
    this.last = null;
  }
}
