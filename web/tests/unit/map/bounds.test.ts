import { describe, expect, it } from 'vitest';
import { constrainLatitude, frame, serverBox, wrapLongitude } from '../../../src/lib/map/bounds';

const FIJI: [number, number] = [178.4, -18.1];
const SAMOA: [number, number] = [-171.8, -13.8];
const TONGA: [number, number] = [-175.2, -21.1];
const PARIS: [number, number] = [2.35, 48.85];
const TOKYO: [number, number] = [139.7, 35.7];
const NEW_YORK: [number, number] = [-74.0, 40.7];

describe('frame', () => {
  it('is null without positions', () => {
    expect(frame([])).toBeNull();
    expect(frame([[NaN, 10]])).toBeNull();
  });

  it('is the plain box when the photos lie on one side of the antimeridian', () => {
    expect(frame([PARIS, TOKYO, NEW_YORK])).toEqual({ west: -74, south: 35.7, east: 139.7,
                                                      north: 48.85 });
  });

  it('frames the Pacific, across the antimeridian, for Fiji and Samoa', () => {
    const box = frame([FIJI, SAMOA, TONGA])!;
    expect(box.west).toBe(178.4);
    expect(box.east).toBeCloseTo(188.2, 6); // 171.8°W on the next world copy
    expect(box.east - box.west).toBeCloseTo(9.8, 6);
    expect([box.south, box.north]).toEqual([-21.1, -13.8]);
  });

  it('takes the shorter way round for photos more than 180 degrees apart', () => {
    // Italy and Chukotka (175°W): 173° eastward across Asia, not 187° westward.
    const box = frame([[11.9, 43.5], [-175, 67]])!;
    expect(box.west).toBe(11.9);
    expect(box.east).toBe(185);
    // ...one more photo in Brazil makes the way across the Atlantic the short one.
    const atlantic = frame([[11.9, 43.5], [-175, 67], [-50, -15]])!;
    expect(atlantic).toEqual({ west: -175, south: -15, east: 11.9, north: 67 });
  });

  it('treats 180 and -180 as one meridian, and longitudes past it as wrapped', () => {
    expect(frame([[180, 0], [-179, 1]])).toEqual({ west: -180, south: 0, east: -179, north: 1 });
    expect(frame([[190, 0], [170, 0]])).toEqual({ west: 170, south: 0, east: 190, north: 0 });
  });

  it('is a point for one photo, or many at one place', () => {
    expect(frame([PARIS, PARIS])).toEqual({ west: 2.35, south: 48.85, east: 2.35, north: 48.85 });
  });

  it('keeps the box that does not cross the antimeridian on a tie', () => {
    expect(frame([[-90, 0], [90, 0]])).toEqual({ west: -90, south: 0, east: 90, north: 0 });
  });

  it('spans most of the world when the photos are all around it', () => {
    const box = frame([[0, 0], [120, 0], [-120, 0]])!;
    expect(box.east - box.west).toBe(240);
  });
});

describe('serverBox', () => {
  it('wraps a view across the antimeridian into west > east', () => {
    expect(serverBox({ west: 170, south: -30, east: 195, north: 0 }))
      .toEqual({ west: 170, south: -30, east: -165, north: 0 });
    expect(serverBox({ west: -200, south: -30, east: -170, north: 0 }))
      .toEqual({ west: 160, south: -30, east: -170, north: 0 });
  });

  it('is the world for a view wider than it, and clamps latitudes', () => {
    expect(serverBox({ west: -300, south: -95, east: 400, north: 95 }))
      .toEqual({ west: -180, south: -90, east: 180, north: 90 });
  });

  it('leaves an ordinary view alone, and an east edge on the antimeridian at 180', () => {
    expect(serverBox({ west: -10, south: 40, east: 20, north: 50 }))
      .toEqual({ west: -10, south: 40, east: 20, north: 50 });
    expect(serverBox({ west: 100, south: 0, east: 180, north: 10 }))
      .toEqual({ west: 100, south: 0, east: 180, north: 10 });
  });
});

describe('wrapLongitude', () => {
  it('brings any longitude into [-180, 180)', () => {
    expect(wrapLongitude(190)).toBe(-170);
    expect(wrapLongitude(-190)).toBe(170);
    expect(wrapLongitude(180)).toBe(-180);
    expect(wrapLongitude(540)).toBe(-180);
    expect(wrapLongitude(12.5)).toBe(12.5);
  });
});

describe('constrainLatitude', () => {
  it('centres a world shorter than the view', () => {
    // zoom 0: 512 px of world in an 800 px high view.
    expect(constrainLatitude(55, 0, 800)).toBe(0);
    expect(constrainLatitude(-40, 0.5, 800)).toBe(0);
  });

  it('keeps a world taller than the view covering it', () => {
    // zoom 1: 1024 px; an 800 px view may move 112 px either way from the equator.
    const top = constrainLatitude(80, 1, 800);
    expect(top).toBeGreaterThan(0);
    expect(top).toBeLessThan(80);
    expect(constrainLatitude(-80, 1, 800)).toBeCloseTo(-top, 9);
    // ...and leaves a centre well inside alone.
    expect(constrainLatitude(20, 3, 800)).toBeCloseTo(20, 9);
  });

  it('puts the top of the world at the top of the view when pushed past it', () => {
    // The view's top edge sits at mercator y = 0 (85.05°N): half the view below is the centre.
    const lat = constrainLatitude(89, 2, 600);
    const y = 0.5 - Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360)) / (2 * Math.PI);
    expect(y * 512 * 4).toBeCloseTo(300, 6);
  });
});
