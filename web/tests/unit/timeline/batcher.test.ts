import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Batcher } from '../../../src/lib/timeline/batcher';

describe('Batcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('hands over a burst as one batch once the stream is quiet', () => {
    const batches: number[][] = [];
    const b = new Batcher<number>((items) => batches.push(items), 400, 1000);
    for (let i = 0; i < 50; i++) {
      b.add(i);
      vi.advanceTimersByTime(5);
    }
    expect(batches).toHaveLength(0);
    vi.advanceTimersByTime(399);
    expect(batches).toHaveLength(1);
    expect(batches[0]).toHaveLength(50);
    expect(b.pending).toBe(0);
  });

  it('flushes at most maxWait after the first event of a steady stream', () => {
    const batches: number[][] = [];
    const b = new Batcher<number>((items) => batches.push(items), 400, 1000);
    for (let i = 0; i < 30; i++) {
      b.add(i);
      vi.advanceTimersByTime(100); // never quiet for 400 ms
    }
    // 3,000 ms of events: a batch every ~second, not one at the end.
    expect(batches.length).toBeGreaterThanOrEqual(2);
    expect(batches.length).toBeLessThanOrEqual(3);
    expect(batches.flat()).toEqual(Array.from({ length: batches.flat().length }, (_, i) => i));
    vi.advanceTimersByTime(1000);
    expect(batches.flat()).toHaveLength(30);
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
