import { describe, expect, it } from 'vitest';
import { captureAnchor, restoreAnchor } from '../../../src/lib/timeline/anchor';
import { TimelineModel } from '../../../src/lib/timeline/buckets';
import { day, photo } from './helpers';

const VIEWPORT = 800;

function model(): TimelineModel {
  const m = new TimelineModel([
    { month: '2024-05', count: 40 }, { month: '2024-04', count: 40 },
    { month: '2024-03', count: 40 }, { month: '2024-02', count: 40 },
  ], 412);
  m.setMonthPhotos('2024-03', day('mar', '2024-03-10', 40));
  return m;
}

/** Where a photo is on screen (its top minus the scroll offset). */
function onScreen(m: TimelineModel, id: string, scrollTop: number): number {
  return m.tileTop(id)! - scrollTop;
}

describe('scroll compensation', () => {
  it('keeps the photo at the top of the viewport in place when a month above loads', () => {
    const m = model();
    const scrollTop = m.month('2024-03')!.top + 300;
    const anchor = captureAnchor(m, scrollTop);
    expect(anchor.kind).toBe('photo');
    const id = (anchor as { id: string }).id;
    const before = onScreen(m, id, scrollTop);
    // May loads with a very different height than estimated.
    m.setMonthPhotos('2024-05', day('may', '2024-05-01', 90, 0.5));
    const after = restoreAnchor(m, anchor, VIEWPORT);
    expect(after).not.toBe(scrollTop);
    expect(onScreen(m, id, after)).toBeCloseTo(before, 6);
  });

  it('keeps the view still when live photos are inserted above it', () => {
    const m = model();
    const scrollTop = m.month('2024-03')!.top + 500;
    const anchor = captureAnchor(m, scrollTop);
    const id = (anchor as { id: string }).id;
    const before = onScreen(m, id, scrollTop);
    m.insert(Array.from({ length: 50 }, (_, i) => photo(`n${i}`, '2024-06-01T10:00:00')));
    const after = restoreAnchor(m, anchor, VIEWPORT);
    expect(after - scrollTop).toBeCloseTo(m.month('2024-06')!.height, 6);
    expect(onScreen(m, id, after)).toBeCloseTo(before, 6);
  });

  it('keeps the month in place when the viewport is over an unloaded month', () => {
    const m = model();
    const april = m.month('2024-04')!;
    const scrollTop = april.top + 100;
    const anchor = captureAnchor(m, scrollTop);
    expect(anchor).toEqual({ kind: 'month', key: '2024-04', offset: -100 });
    m.setMonthPhotos('2024-05', day('may', '2024-05-01', 3));
    expect(restoreAnchor(m, anchor, VIEWPORT)).toBe(m.month('2024-04')!.top + 100);
  });

  it('at the very top, stays at the top so new photos come into view', () => {
    const m = model();
    const anchor = captureAnchor(m, 0);
    expect(anchor).toEqual({ kind: 'top' });
    m.insert([photo('new', '2024-06-01T10:00:00')]);
    expect(restoreAnchor(m, anchor, VIEWPORT)).toBe(0);
  });

  it('does not scroll when something below the viewport changes', () => {
    const m = model();
    m.setMonthPhotos('2024-05', day('may', '2024-05-01', 40));
    const scrollTop = 200;
    const anchor = captureAnchor(m, scrollTop);
    m.setMonthPhotos('2024-02', day('feb', '2024-02-01', 40, 0.6));
    expect(restoreAnchor(m, anchor, VIEWPORT)).toBe(scrollTop);
  });

  it('clamps to the content when the anchor is gone', () => {
    const m = new TimelineModel([{ month: '2024-03', count: 2 }], 412);
    m.setMonthPhotos('2024-03', day('x', '2024-03-01', 2));
    const anchor = { kind: 'photo' as const, id: 'gone', offset: 0 };
    expect(restoreAnchor(m, anchor, VIEWPORT)).toBe(0);
  });
});
