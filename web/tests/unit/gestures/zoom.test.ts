import { describe, expect, it } from 'vitest';
import { fitContain, fromCentre, IDENTITY, isZoomed, midpoint } from '../../../src/lib/gestures/geometry';
import {
  clampPan, panBy, panLimit, pinchTransform, rubberBand, settle, toggleZoom, zoomAt,
} from '../../../src/lib/gestures/zoom';

const viewport = { width: 400, height: 800 };
// A 3:2 landscape photo fitted into a 400x800 portrait viewport: 400x266.67.
const fitted = fitContain({ width: 3000, height: 2000 }, viewport);

/** The fitted-box point shown at screen point p (relative to the viewport centre). */
const contentAt = (t: { scale: number; x: number; y: number }, p: { x: number; y: number }) =>
  ({ x: (p.x - t.x) / t.scale, y: (p.y - t.y) / t.scale });

describe('fitContain', () => {
  it('fits a landscape photo to the width of a portrait viewport', () => {
    expect(fitted.width).toBe(400);
    expect(fitted.height).toBeCloseTo(266.667, 2);
  });
  it('fits a portrait photo to the height', () => {
    expect(fitContain({ width: 1000, height: 4000 }, viewport)).toEqual({ width: 200, height: 800 });
  });
  it('does not upscale a tiny photo past the given factor', () => {
    expect(fitContain({ width: 100, height: 50 }, viewport, 2)).toEqual({ width: 200, height: 100 });
  });
  it('falls back to the viewport when the photo size is unknown', () => {
    expect(fitContain({ width: 0, height: 0 }, viewport)).toEqual(viewport);
  });
});

describe('zoomAt', () => {
  it('keeps the content under the focus point still', () => {
    const start = { scale: 1.5, x: 20, y: -10 };
    const focus = fromCentre({ x: 300, y: 250 }, viewport);
    const before = contentAt(start, focus);
    const after = zoomAt(start, focus, 3);
    expect(after.scale).toBe(3);
    const c = contentAt(after, focus);
    expect(c.x).toBeCloseTo(before.x, 9);
    expect(c.y).toBeCloseTo(before.y, 9);
  });
  it('zooming about the centre of an unzoomed photo does not move it', () => {
    expect(zoomAt(IDENTITY, { x: 0, y: 0 }, 2)).toEqual({ scale: 2, x: 0, y: 0 });
  });
});

describe('pinchTransform', () => {
  it('scales by the ratio of finger distances', () => {
    const start = { transform: IDENTITY, a: { x: -50, y: 0 }, b: { x: 50, y: 0 } };
    const t = pinchTransform(start, { x: -100, y: 0 }, { x: 100, y: 0 });
    expect(t.scale).toBeCloseTo(2, 9);
    expect(t.x).toBeCloseTo(0, 9);
    expect(t.y).toBeCloseTo(0, 9);
  });
  it('keeps the content under the first midpoint under the current midpoint (pinch pans)', () => {
    const start = { transform: { scale: 1.2, x: 10, y: 5 }, a: { x: 0, y: 0 }, b: { x: 60, y: 80 } };
    const a = { x: 40, y: 10 };
    const b = { x: 160, y: 170 };
    const t = pinchTransform(start, a, b);
    expect(t.scale).toBeCloseTo(2.4, 9); // distance 100 -> 200
    const before = contentAt(start.transform, midpoint(start.a, start.b));
    const after = contentAt(t, midpoint(a, b));
    expect(after.x).toBeCloseTo(before.x, 9);
    expect(after.y).toBeCloseTo(before.y, 9);
  });
  it('resists past the maximum instead of growing without bound', () => {
    const start = { transform: IDENTITY, a: { x: -10, y: 0 }, b: { x: 10, y: 0 } };
    const t = pinchTransform(start, { x: -1000, y: 0 }, { x: 1000, y: 0 }, { min: 1, max: 4 });
    expect(t.scale).toBeGreaterThan(4);
    expect(t.scale).toBeLessThan(6); // 100x the distance, yet at most max * 1.5
  });
  it('resists below the minimum', () => {
    const start = { transform: IDENTITY, a: { x: -100, y: 0 }, b: { x: 100, y: 0 } };
    const t = pinchTransform(start, { x: -10, y: 0 }, { x: 10, y: 0 }, { min: 1, max: 4 });
    expect(t.scale).toBeLessThan(1);
    expect(t.scale).toBeGreaterThan(0.5);
  });
  it('keeps the scale when both fingers start on one spot', () => {
    const start = { transform: { scale: 2, x: 0, y: 0 }, a: { x: 5, y: 5 }, b: { x: 5, y: 5 } };
    expect(pinchTransform(start, { x: 0, y: 0 }, { x: 50, y: 0 }).scale).toBe(2);
  });
});

describe('rubberBand', () => {
  it('leaves scales inside the limits alone', () => {
    expect(rubberBand(2.5, { min: 1, max: 4 })).toBe(2.5);
  });
  it('is continuous at the limit and monotonic beyond it', () => {
    const limits = { min: 1, max: 4 };
    expect(rubberBand(4.0001, limits)).toBeCloseTo(4, 3);
    expect(rubberBand(6, limits)).toBeGreaterThan(rubberBand(5, limits));
    expect(rubberBand(0.5, limits)).toBeLessThan(rubberBand(0.8, limits));
  });
});

describe('pan limits', () => {
  it('a photo narrower than the viewport cannot pan on that axis', () => {
    expect(panLimit(266.67, 2, 800)).toBe(0);
  });
  it('a zoomed photo pans until its edge meets the viewport edge', () => {
    expect(panLimit(400, 2, 400)).toBe(200);
  });
  it('clampPan pins the translation to the limits', () => {
    const t = clampPan({ scale: 2, x: 500, y: 300 }, fitted, viewport);
    expect(t.x).toBe(200);
    expect(t.y).toBe(0); // 533 px tall in an 800 px viewport: stays centred
    expect(clampPan({ scale: 2, x: -500, y: 0 }, fitted, viewport).x).toBe(-200);
  });
  it('panBy follows the finger inside the limits and resists outside them', () => {
    const t = { scale: 2, x: 150, y: 0 };
    expect(panBy(t, 30, 0, fitted, viewport).x).toBe(180);
    const past = panBy(t, 110, 0, fitted, viewport).x; // 60 px past the 200 px limit
    expect(past).toBeCloseTo(220, 9);
    expect(panBy(t, 0, 90, fitted, viewport).y).toBeCloseTo(30, 9); // no room vertically
  });
});

describe('settle', () => {
  it('springs back to fit when pinched below the minimum', () => {
    expect(settle({ scale: 0.7, x: 30, y: -40 }, fitted, viewport, { x: 0, y: 0 }))
      .toEqual({ scale: 1, x: 0, y: 0 });
  });
  it('comes back to the maximum about the focus point, then clamps the pan', () => {
    const t = settle({ scale: 5, x: 0, y: 0 }, fitted, viewport, { x: 100, y: 0 });
    expect(t.scale).toBe(4);
    expect(Math.abs(t.x)).toBeLessThanOrEqual(panLimit(fitted.width, 4, viewport.width));
    expect(t.x).toBeCloseTo(20, 9); // 100 - 0.8 * (100 - 0)
  });
  it('pulls a photo dragged past its edge back to the edge', () => {
    expect(settle({ scale: 2, x: 260, y: 0 }, fitted, viewport, { x: 0, y: 0 }).x).toBe(200);
  });
});

describe('toggleZoom (double tap)', () => {
  it('zooms in about the tapped point', () => {
    const tap = { x: 50, y: 20 };
    const t = toggleZoom(IDENTITY, tap, fitted, viewport, 2.5);
    expect(t.scale).toBe(2.5);
    expect(t.x).toBeCloseTo(50 - 2.5 * 50, 9); // the tapped content stays under the finger
    expect(isZoomed(t)).toBe(true);
  });
  it('clamps so tapping in the black band shows no gap', () => {
    // Below the photo (it is 267 px tall): zoomed 2.5x it is 667 px, still shorter than 800.
    const t = toggleZoom(IDENTITY, { x: 0, y: 300 }, fitted, viewport, 2.5);
    expect(t.y).toBe(0);
    const wide = toggleZoom(IDENTITY, { x: 0, y: 300 }, fitted, viewport, 4); // 1067 px tall
    expect(wide.y).toBe(-panLimit(fitted.height, 4, viewport.height));
  });
  it('zooms back out to fit from any zoom', () => {
    expect(toggleZoom({ scale: 3, x: 40, y: 9 }, { x: 0, y: 0 }, fitted, viewport))
      .toEqual({ scale: 1, x: 0, y: 0 });
  });
});
