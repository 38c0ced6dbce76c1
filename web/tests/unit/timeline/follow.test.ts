import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PhotoFilter } from '../../../src/lib/api/gql/graphql';
import { captureAnchor, restoreAnchor } from '../../../src/lib/timeline/anchor';
import { TimelineModel } from '../../../src/lib/timeline/buckets';
import { followLive, resyncTimeline, type LiveTarget } from '../../../src/lib/timeline/follow';
import type { TimelinePhoto } from '../../../src/lib/timeline/layout';
import type { LiveEventLike } from '../../../src/lib/timeline/live';
import { day, photo } from './helpers';

type Tag = { id: string; name: string; type: string };

function added(id: string, takenAt: string, tags: Tag[] = []): LiveEventLike {
  return { kind: 'PHOTO_ADDED', photoId: id, photo: { id, takenAt, rating: 0, tags, width: 3,
    height: 2, placeholder: null, thumbnailUrl: `/t/${id}`, missing: false } };
}

/** A live source the test pushes events into, and a target recording the grid updates. */
function setup(filter: PhotoFilter | null, server: Record<string, TimelinePhoto[]> = {}) {
  const listeners = new Set<(e: LiveEventLike) => void>();
  const model = new TimelineModel([{ month: '2024-03', count: 20 }, { month: '2024-02', count: 20 }], 412);
  model.setMonthPhotos('2024-03', day('m', '2024-03-10', 20));
  const applied: string[][] = [];
  const missing: [string, boolean][] = [];
  let scrollTop = model.month('2024-02')!.top + 50; // looking at February
  const target: LiveTarget = {
    model,
    filter,
    apply(mutate, inserted = []) {
      const anchor = captureAnchor(model, scrollTop);
      mutate();
      scrollTop = restoreAnchor(model, anchor, 800);
      applied.push(inserted);
    },
    markMissing: (id, m) => missing.push([id, m]),
    load: async (month) => server[String(month)] ?? [],
  };
  const stop = followLive((fn) => {
    listeners.add(fn);
    return () => listeners.delete(fn);
  }, target);
  const emit = (e: LiveEventLike) => listeners.forEach((fn) => fn(e));
  return { model, applied, missing, emit, stop, listeners, target, scrollTop: () => scrollTop };
}

describe('followLive', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('applies a burst of 50 added photos in at most two updates, keeping the view still', () => {
    const t = setup(null);
    const febTop = t.model.month('2024-02')!.top;
    const offset = t.scrollTop() - febTop;
    for (let i = 0; i < 50; i++) {
      t.emit(added(`n${i}`, `2024-03-1${i % 10}T0${i % 10}:00:00`));
      vi.advanceTimersByTime(10);
    }
    vi.advanceTimersByTime(1000);
    expect(t.applied.length).toBeGreaterThanOrEqual(1);
    expect(t.applied.length).toBeLessThanOrEqual(2);
    expect(t.applied.flat()).toHaveLength(50);
    expect(t.model.month('2024-03')!.count).toBe(70);
    // February moved down by March's growth; the scroll followed it.
    expect(t.scrollTop() - t.model.month('2024-02')!.top).toBeCloseTo(offset, 6);
  });

  it('inserts a lone new photo within a frame, even while classifier events stream', () => {
    const t = setup(null);
    // Another photo's stages finishing every 50 ms: not a burst of grid changes.
    for (let i = 0; i < 10; i++) {
      t.emit({ kind: 'STAGE_DONE', photoId: 'm1', photo: null });
      t.emit({ kind: 'PHOTO_TAGGED', photoId: 'm1', photo: null });
      vi.advanceTimersByTime(50);
    }
    t.emit(added('lone', '2024-03-20T10:00:00'));
    vi.advanceTimersByTime(20);
    expect(t.applied).toEqual([['lone']]);
  });

  it('inserts nothing that does not match the filter', () => {
    const t = setup({ text: 'dog' });
    t.emit(added('cat', '2024-03-12T10:00:00', [{ id: '1', name: 'Cat', type: 'OBJECT' }]));
    t.emit(added('dog', '2024-03-12T11:00:00', [{ id: '2', name: 'Dog', type: 'OBJECT' }]));
    vi.advanceTimersByTime(1000);
    expect(t.applied).toEqual([['dog']]);
    expect(t.model.has('cat')).toBe(false);
  });

  it('asks the server for the month when the filter needs it, and inserts what it returns', async () => {
    const t = setup({ cameraId: '9' }, {
      '2024-03': [...day('m', '2024-03-10', 20), photo('x', '2024-03-15T10:00:00')],
    });
    t.emit(added('x', '2024-03-15T10:00:00'));
    t.emit(added('y', '2024-03-16T10:00:00'));
    await vi.advanceTimersByTimeAsync(1000);
    expect(t.applied).toEqual([['x']]);
    expect(t.model.has('x')).toBe(true);
    expect(t.model.has('y')).toBe(false);
  });

  it('marks missing photos (never removes them) and stops listening when stopped', () => {
    const t = setup(null);
    t.emit({ kind: 'PHOTO_MISSING', photoId: 'm3', photo: null });
    vi.advanceTimersByTime(1000);
    expect(t.missing).toEqual([['m3', true]]);
    expect(t.model.has('m3')).toBe(true);
    t.stop();
    expect(t.listeners.size).toBe(0);
  });

  it('catches up after a gap: new months appear, loaded months gain what was imported meanwhile', async () => {
    const march = [...day('m', '2024-03-10', 20), photo('gap1', '2024-03-25T10:00:00')];
    const t = setup(null, { '2024-03': march });
    const febTop = t.model.month('2024-02')!.top;
    const offset = t.scrollTop() - febTop;
    await resyncTimeline(t.target, async () => [
      { month: '2024-05', count: 2 }, { month: '2024-03', count: 21 }, { month: '2024-02', count: 20 },
    ]);
    expect(t.model.months.map((m) => [m.month, m.count])).toEqual(
      [['2024-05', 2], ['2024-03', 21], ['2024-02', 20]]);
    expect(t.model.has('gap1')).toBe(true);
    expect(t.applied.flat()).toEqual(['gap1']);
    // What the person looked at (February) did not move on screen.
    expect(t.scrollTop() - t.model.month('2024-02')!.top).toBeCloseTo(offset, 6);
  });
});
