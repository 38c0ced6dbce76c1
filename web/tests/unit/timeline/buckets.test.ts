import { describe, expect, it } from 'vitest';
import { TimelineModel, comparePhotos } from '../../../src/lib/timeline/buckets';
import { estimateMonthHeight, layoutOptions } from '../../../src/lib/timeline/layout';
import { day, photo } from './helpers';

const BUCKETS = [
  { month: '2024-01', count: 30 },
  { month: null, count: 4 },
  { month: '2024-03', count: 10 },
  { month: '2023-12', count: 0 },
];

describe('TimelineModel', () => {
  it('orders months newest first, undated last, skipping empty ones', () => {
    const model = new TimelineModel(BUCKETS, 412);
    expect(model.months.map((m) => m.month)).toEqual(['2024-03', '2024-01', null]);
    expect(model.photoCount).toBe(44);
  });

  it('gives unloaded months estimated heights and stacks them', () => {
    const model = new TimelineModel(BUCKETS, 412);
    const opts = layoutOptions(412);
    const [a, b, c] = model.months;
    expect(a!.height).toBe(estimateMonthHeight(10, opts));
    expect(b!.top).toBe(a!.height);
    expect(c!.top).toBe(a!.height + b!.height);
    expect(model.totalHeight).toBe(c!.top + c!.height);
  });

  it('lays out a loaded month and moves the months below it', () => {
    const model = new TimelineModel(BUCKETS, 412);
    const before = model.months[1]!.top;
    model.setMonthPhotos('2024-03', day('m', '2024-03-05', 10));
    const march = model.month('2024-03')!;
    expect(march.loaded).toBe(true);
    expect(march.layout!.tiles).toHaveLength(10);
    expect(model.months[1]!.top).toBe(march.height);
    expect(model.months[1]!.top - before).toBe(march.height - estimateMonthHeight(10,
      layoutOptions(412)));
    expect(model.has('m3')).toBe(true);
    expect(model.tileTop('m0')).toBe(march.top + march.layout!.tiles[0]!.box.top);
  });

  it('inserts live photos in date order into a loaded month', () => {
    const model = new TimelineModel(BUCKETS, 412);
    model.setMonthPhotos('2024-03', day('m', '2024-03-05', 4));
    const added = model.insert([photo('new', '2024-03-20T10:00:00'),
      photo('mid', '2024-03-05T20:30:00')]);
    expect(added).toBe(2);
    const ids = model.month('2024-03')!.photos!.map((p) => p.id);
    expect(ids[0]).toBe('new');
    // m0..m3 were taken at 23h, 22h, 21h, 20h: 20:30 goes between m2 and m3.
    expect(ids).toEqual(['new', 'm0', 'm1', 'm2', 'mid', 'm3']);
    expect(model.month('2024-03')!.count).toBe(6);
    expect(model.month('2024-03')!.layout!.headers.map((h) => h.day))
      .toEqual(['2024-03-20', '2024-03-05']);
  });

  it('skips photos it already shows and only counts photos of unloaded months', () => {
    const model = new TimelineModel(BUCKETS, 412);
    model.setMonthPhotos('2024-03', day('m', '2024-03-05', 4));
    const janHeight = model.month('2024-01')!.height;
    expect(model.insert([photo('m1', '2024-03-05T22:00:00')])).toBe(0);
    expect(model.insert([photo('j', '2024-01-02T10:00:00')])).toBe(1);
    const jan = model.month('2024-01')!;
    expect(jan.count).toBe(31);
    expect(jan.loaded).toBe(false);
    expect(jan.height).toBeGreaterThanOrEqual(janHeight);
  });

  it('creates a month for a photo of a month it did not have, in order', () => {
    const model = new TimelineModel(BUCKETS, 412);
    model.insert([photo('f', '2024-02-14T12:00:00'), photo('z', '2025-06-01T08:00:00')]);
    expect(model.months.map((m) => m.month)).toEqual(['2025-06', '2024-03', '2024-02',
      '2024-01', null]);
    expect(model.month('2024-02')!.photos!.map((p) => p.id)).toEqual(['f']);
    expect(model.months[1]!.top).toBe(model.months[0]!.height);
  });

  it('marks a missing photo without removing it', () => {
    const model = new TimelineModel(BUCKETS, 412);
    model.setMonthPhotos('2024-03', day('m', '2024-03-05', 4));
    const height = model.totalHeight;
    expect(model.markMissing('m2')).toBe(true);
    expect(model.month('2024-03')!.photos!.find((p) => p.id === 'm2')!.missing).toBe(true);
    expect(model.month('2024-03')!.photos).toHaveLength(4);
    expect(model.totalHeight).toBe(height);
    expect(model.markMissing('nope')).toBe(false);
  });

  it('removes a deleted photo and drops a month that became empty', () => {
    const model = new TimelineModel([{ month: '2024-03', count: 1 }], 412);
    model.setMonthPhotos('2024-03', [photo('x', '2024-03-01T00:00:00')]);
    expect(model.remove('x')).toBe(true);
    expect(model.months).toHaveLength(0);
    expect(model.totalHeight).toBe(0);
  });

  it('finds the month at a position by binary search', () => {
    const model = new TimelineModel(BUCKETS, 412);
    const [a, b, c] = model.months;
    expect(model.monthAt(0)).toBe(a);
    expect(model.monthAt(b!.top)).toBe(b);
    expect(model.monthAt(b!.top - 1)).toBe(a);
    expect(model.monthAt(c!.top + 5)).toBe(c);
    expect(model.monthAt(1e9)).toBe(c);
    expect(model.monthAt(-50)).toBe(a);
  });

  it('relayouts on a new width only when the layout changes', () => {
    const model = new TimelineModel(BUCKETS, 412);
    model.setMonthPhotos('2024-03', day('m', '2024-03-05', 10));
    const phone = model.totalHeight;
    expect(model.setWidth(412)).toBe(false);
    expect(model.setWidth(1400)).toBe(true);
    expect(model.totalHeight).not.toBe(phone);
    expect(model.month('2024-03')!.layout!.tiles[0]!.box.height).toBeGreaterThan(150);
  });

  it('sorts photos newest first by wall clock, undated last', () => {
    const list = [photo('a', null), photo('b', '2024-01-01T00:00:00+05:00'),
      photo('c', '2024-01-02T00:00:00Z')];
    expect(list.sort(comparePhotos).map((p) => p.id)).toEqual(['c', 'b', 'a']);
  });

  it('finds neighbours in timeline order across loaded months', () => {
    const model = new TimelineModel(BUCKETS, 412);
    model.setMonthPhotos('2024-03', day('m', '2024-03-05', 3));
    model.setMonthPhotos('2024-01', day('j', '2024-01-05', 2));
    expect(model.neighbour('m0', 1)!.id).toBe('m1');
    expect(model.neighbour('m1', -1)!.id).toBe('m0');
    expect(model.neighbour('m0', -1)).toBeNull();
    expect(model.neighbour('m2', 1)!.id).toBe('j0');
    expect(model.neighbour('j0', -1)!.id).toBe('m2');
    // The undated month after January is not loaded yet.
    expect(model.neighbour('j1', 1)).toBeNull();
    expect(model.neighbour('nope', 1)).toBeNull();
  });
});
