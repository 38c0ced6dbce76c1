import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batcher, type Timers } from '../../../src/lib/timeline/batcher';

/** Fake timers plus an explicit animation-frame queue the test runs by hand. */
function frames() {
  const queue: (() => void)[] = [];
  const timers: Timers = {
    set: (fn, ms) => setTimeout(fn, ms),
    clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    now: () => Date.now(),
    frame: (fn) => queue.push(fn),
  };
  const runFrame = () => queue.splice(0).forEach((fn) => fn());
  return { timers, runFrame, queued: () => queue.length };
}

describe('Batcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('hands a lone arrival over on the next frame, without waiting for the stream to settle', () => {
    const batches: number[][] = [];
    const f = frames();
    const b = new Batcher<number>((items) => batches.push(items), { timers: f.timers });
    b.add(1);
    expect(batches).toHaveLength(0); // not synchronously: the next frame paints it
    f.runFrame();
    expect(batches).toEqual([[1]]);
    // A second lone arrival after a quiet spell: at once again.
    vi.advanceTimersByTime(2000);
    b.add(2);
    f.runFrame();
    expect(batches).toEqual([[1], [2]]);
  });

  it('with plain timers, a lone arrival is handed over within a frame or so, not after idleMs', () => {
    const batches: number[][] = [];
    const b = new Batcher<number>((items) => batches.push(items), { idleMs: 400 });
    b.add(1);
    vi.advanceTimersByTime(20);
    expect(batches).toEqual([[1]]);
  });

  it('coalesces a burst: the first event paints at once, the other 49 as one more batch', () => {
    const batches: number[][] = [];
    const f = frames();
    const b = new Batcher<number>((items) => batches.push(items),
                                  { quietMs: 250, idleMs: 250, maxWaitMs: 1000, timers: f.timers });
    for (let i = 0; i < 50; i++) {
      b.add(i);
      if (i === 0) f.runFrame();
      vi.advanceTimersByTime(5);
    }
    expect(batches).toEqual([[0]]);
    vi.advanceTimersByTime(249);
    expect(batches).toHaveLength(2);
    expect(batches[1]).toHaveLength(49);
    expect(b.pending).toBe(0);
  });

  it('events arriving before the frame join it', () => {
    const batches: number[][] = [];
    const f = frames();
    const b = new Batcher<number>((items) => batches.push(items), { timers: f.timers });
    b.add(1);
    b.add(2);
    b.add(3);
    expect(f.queued()).toBe(1);
    f.runFrame();
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('flushes at most maxWait after the first pending event of a steady stream', () => {
    const batches: number[][] = [];
    const f = frames();
    const b = new Batcher<number>((items) => batches.push(items),
                                  { quietMs: 250, idleMs: 250, maxWaitMs: 1000, timers: f.timers });
    for (let i = 0; i < 30; i++) {
      b.add(i);
      f.runFrame();
      vi.advanceTimersByTime(100); // never quiet for 250 ms
    }
    // 3,000 ms of events: the first at once, then a batch about every second, not one at the end.
    expect(batches[0]).toEqual([0]);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(batches.length).toBeLessThanOrEqual(5);
    vi.advanceTimersByTime(1000);
    expect(batches.flat()).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });

  it('hands over by maxWait even when no frame comes (a hidden tab)', () => {
    const batches: number[][] = [];
    const f = frames();
    const b = new Batcher<number>((items) => batches.push(items),
                                  { maxWaitMs: 1000, timers: f.timers });
    b.add(1);
    vi.advanceTimersByTime(1000);
    expect(batches).toEqual([[1]]);
    f.runFrame(); // the late frame finds nothing due
    expect(batches).toEqual([[1]]);
  });

  it('waits for nothing when empty, and flush() hands over at once', () => {
    const batches: number[][] = [];
    const b = new Batcher<number>((items) => batches.push(items));
    b.flush();
    expect(batches).toHaveLength(0);
    b.add(1);
    b.flush();
    expect(batches).toEqual([[1]]);
    vi.advanceTimersByTime(5000);
    expect(batches).toHaveLength(1);
  });

  it('drops pending items and ignores new ones once closed', () => {
    const batches: number[][] = [];
    const b = new Batcher<number>((items) => batches.push(items));
    b.add(1);
    b.close();
    b.add(2);
    vi.advanceTimersByTime(5000);
    expect(batches).toHaveLength(0);
  });
});
