/** Zooming about a point, pinch transforms and keeping a zoomed photo inside the viewport. */

import { clamp, distance, midpoint, type Point, type Size, type Transform } from './geometry';

export interface ZoomLimits {
  min: number;
  max: number;
}

export const DEFAULT_LIMITS: ZoomLimits = Object.freeze({ min: 1, max: 4 });

/** Scale to `scale` keeping the content under `focus` (relative to the viewport centre) still. */
export function zoomAt(t: Transform, focus: Point, scale: number): Transform {
  const ratio = scale / t.scale;
  return { scale, x: focus.x - ratio * (focus.x - t.x), y: focus.y - ratio * (focus.y - t.y) };
}

/**
 * Past a limit, a gesture meets resistance instead of a wall: the overshoot is compressed
 * (half-way towards `limit * (1 + softness)`), and it springs back when the fingers lift.
 */
export function rubberBand(scale: number, limits: ZoomLimits, softness = 0.5): number {
  if (scale > limits.max) {
    const over = scale / limits.max - 1;
    return limits.max * (1 + (softness * over) / (softness + over));
  }
  if (scale < limits.min) {
    const under = 1 - scale / limits.min;
    return limits.min * (1 - (softness * under) / (softness + under));
  }
  return scale;
}

export interface PinchStart {
  transform: Transform;
  a: Point;
  b: Point;
}

/**
 * The transform while two fingers move from (start.a, start.b) to (a, b), all relative to the
 * viewport centre: the scale follows the change in finger distance (with rubber-banding past the
 * limits) and the content under the fingers' first midpoint follows their current midpoint, so
 * pinching also pans.
 */
export function pinchTransform(start: PinchStart, a: Point, b: Point,
                               limits: ZoomLimits = DEFAULT_LIMITS): Transform {
  const startDistance = distance(start.a, start.b);
  const raw = startDistance > 0 ? (start.transform.scale * distance(a, b)) / startDistance
    : start.transform.scale;
  const scale = rubberBand(raw, limits);
  const from = midpoint(start.a, start.b);
  const to = midpoint(a, b);
  const t = start.transform;
  // Content point under the first midpoint, then placed under the current one.
  const cx = (from.x - t.x) / t.scale;
  const cy = (from.y - t.y) / t.scale;
  return { scale, x: to.x - scale * cx, y: to.y - scale * cy };
}

/** How far the photo may move on one axis: none while it is narrower than the viewport (it stays
 *  centred), else until its edge meets the viewport's edge. */
export function panLimit(fitted: number, scale: number, viewport: number): number {
  return Math.max(0, (fitted * scale - viewport) / 2);
}

/** The transform with its translation clamped so no gap opens between a photo edge and the
 *  viewport edge (and a photo smaller than the viewport stays centred on that axis). */
export function clampPan(t: Transform, fitted: Size, viewport: Size): Transform {
  const lx = panLimit(fitted.width, t.scale, viewport.width);
  const ly = panLimit(fitted.height, t.scale, viewport.height);
  // "+ 0" turns -0 (from clamping to [-0, 0]) into 0.
  return { scale: t.scale, x: clamp(t.x, -lx, lx) + 0, y: clamp(t.y, -ly, ly) + 0 };
}

/** Where a transform comes to rest after a gesture: scale inside the limits (zoomed about
 *  `focus`, usually the fingers' last midpoint), then the pan clamped. */
export function settle(t: Transform, fitted: Size, viewport: Size, focus: Point,
                       limits: ZoomLimits = DEFAULT_LIMITS): Transform {
  const scale = clamp(t.scale, limits.min, limits.max);
  const scaled = scale === t.scale ? t : zoomAt(t, focus, scale);
  const rested = clampPan(scaled, fitted, viewport);
  return rested.scale <= limits.min ? { scale: limits.min, x: 0, y: 0 } : rested;
}

/** Drag a zoomed photo by (dx, dy) with resistance past the pan limits (a third of the
 *  overshoot shows), so an edge can be felt but the photo never flies away. */
export function panBy(t: Transform, dx: number, dy: number, fitted: Size, viewport: Size): Transform {
  const resist = (value: number, limit: number): number => {
    if (value > limit) return limit + (value - limit) / 3;
    if (value < -limit) return -limit + (value + limit) / 3;
    return value;
  };
  return {
    scale: t.scale,
    x: resist(t.x + dx, panLimit(fitted.width, t.scale, viewport.width)),
    y: resist(t.y + dy, panLimit(fitted.height, t.scale, viewport.height)),
  };
}

/**
 * Double-tap (or double-click) zoom: zoomed out -> `target` about the tapped point (clamped so no
 * gap shows); zoomed in -> back to fit.
 */
export function toggleZoom(t: Transform, tap: Point, fitted: Size, viewport: Size,
                           target = 2.5): Transform {
  if (t.scale > 1.01) return { scale: 1, x: 0, y: 0 };
  return clampPan(zoomAt(t, tap, target), fitted, viewport);
}
