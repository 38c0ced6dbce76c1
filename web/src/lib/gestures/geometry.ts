/** Points, the zoom transform and fitting an image into the viewport: the shared vocabulary. */

export interface Point {
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

/**
 * How the current photo is drawn: its "fitted" box (contained in the viewport, centred) is scaled
 * by `scale` about its centre, then moved by (`x`, `y`) px. A screen point p, relative to the
 * viewport centre, shows the fitted-box point c (relative to its centre) where p = t + scale * c.
 */
export interface Transform {
  scale: number;
  x: number;
  y: number;
}

export const IDENTITY: Transform = Object.freeze({ scale: 1, x: 0, y: 0 });

export function distance(a: Point, b: Point): number {
  return Math.hypot(b.x - a.x, b.y - a.y);
}

export function midpoint(a: Point, b: Point): Point {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** The largest size with the image's aspect ratio that fits in the viewport (never upscaled past
 *  `maxUpscale` times the image's own pixels, so a tiny photo is not blown up to a blur). */
export function fitContain(image: Size, viewport: Size, maxUpscale = Infinity): Size {
  if (image.width <= 0 || image.height <= 0 || viewport.width <= 0 || viewport.height <= 0) {
    return { width: Math.max(0, viewport.width), height: Math.max(0, viewport.height) };
  }
  const factor = Math.min(viewport.width / image.width, viewport.height / image.height, maxUpscale);
  return { width: image.width * factor, height: image.height * factor };
}

/** A point given in viewport coordinates (top-left origin) relative to the viewport centre. */
export function fromCentre(point: Point, viewport: Size): Point {
  return { x: point.x - viewport.width / 2, y: point.y - viewport.height / 2 };
}

export function isZoomed(t: Transform, epsilon = 0.01): boolean {
  return t.scale > 1 + epsilon;
}
