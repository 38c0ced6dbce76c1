import { describe, expect, it } from 'vitest';
import {
  DAY_HEADER, MONTH_GAP, MONTH_HEADER, dayLabel, dayOf, estimateMonthHeight, justify, layoutMonth,
  layoutOptions, monthLabel, monthOf, rowHeightFor,
} from '../../../src/lib/timeline/layout';
import { day, photo } from './helpers';

describe('layout', () => {
  it('picks smaller rows on phones than on desktops', () => {
    expect(rowHeightFor(412)).toBeGreaterThanOrEqual(120);
    expect(rowHeightFor(412)).toBeLessThanOrEqual(160);
    expect(rowHeightFor(1440)).toBeGreaterThan(rowHeightFor(412));
  });

  it('reads wall-clock days and months whatever the zone', () => {
    expect(dayOf('2024-03-04T23:30:00-08:00')).toBe('2024-03-04');
    expect(monthOf('2024-03-04T23:30:00+14:00')).toBe('2024-03');
    expect(monthOf(null)).toBeNull();
    expect(dayOf('garbage')).toBeNull();
  });

  it('justifies rows to the container width', () => {
    const opts = layoutOptions(400);
    const { boxes, height } = justify(Array(12).fill(1.5), opts);
    expect(boxes).toHaveLength(12);
    // Every full row spans the width (gap included) within a pixel.
    const rows = new Map<number, typeof boxes>();
    for (const b of boxes) rows.set(b.top, [...(rows.get(b.top) ?? []), b]);
    const tops = [...rows.keys()].sort((a, b) => a - b);
    expect(tops.length).toBeGreaterThan(1);
    for (const top of tops.slice(0, -1)) {
      const row = rows.get(top)!;
      const right = Math.max(...row.map((b) => b.left + b.width));
      expect(right).toBeGreaterThan(400 - 1.5);
      expect(right).toBeLessThanOrEqual(400 + 0.5);
      for (const b of row) expect(b.height).toBeGreaterThan(opts.rowHeight * 0.7);
    }
    const last = boxes.at(-1)!;
    expect(height).toBeCloseTo(last.top + last.height, 0);
  });

  it('keeps a tile\'s aspect ratio', () => {
    const { boxes } = justify([0.75, 1.5, 1, 2], layoutOptions(800));
    const ratios = boxes.map((b) => b.width / b.height);
    expect(ratios[0]).toBeCloseTo(0.75, 1);
    expect(ratios[1]).toBeCloseTo(1.5, 1);
    expect(ratios[3]).toBeCloseTo(2, 1);
  });

  it('treats unknown ratios as square', () => {
    const { boxes } = justify([0, Number.NaN], layoutOptions(800));
    expect(boxes[0]!.width).toBeCloseTo(boxes[0]!.height, 0);
  });

  it('groups a month by day with a header above each day, tops never decreasing', () => {
    const photos = [...day('a', '2024-03-10', 7), ...day('b', '2024-03-02', 3),
      photo('u', null)];
    const layout = layoutMonth(photos, layoutOptions(412));
    expect(layout.headers.map((h) => h.day)).toEqual(['2024-03-10', '2024-03-02', null]);
    expect(layout.headers[0]!.top).toBe(MONTH_HEADER);
    expect(layout.tiles.map((t) => t.photo.id)).toEqual(photos.map((p) => p.id));
    // The first tile of a day sits right under its header.
    const firstB = layout.tiles.find((t) => t.photo.id === 'b0')!;
    expect(firstB.box.top).toBe(layout.headers[1]!.top + DAY_HEADER);
    for (let i = 1; i < layout.tiles.length; i++) {
      expect(layout.tiles[i]!.box.top).toBeGreaterThanOrEqual(layout.tiles[i - 1]!.box.top);
    }
    const last = layout.tiles.at(-1)!.box;
    expect(layout.height).toBeCloseTo(last.top + last.height + MONTH_GAP, 0);
  });

  it('lets days of one or two photos share a row, each labelled over its first tile', () => {
    const opts = layoutOptions(412);
    // Eight days of one photo each: on a phone that is two or three rows, not eight.
    const photos = Array.from({ length: 8 }, (_, d) =>
      photo(`p${d}`, `2024-03-${String(20 - d).padStart(2, '0')}T12:00:00`, d % 3 ? 1.5 : 0.75));
    const layout = layoutMonth(photos, opts);
    const rowTops = new Set(layout.tiles.map((t) => t.box.top));
    expect(rowTops.size).toBeLessThanOrEqual(3);
    expect(layout.headers).toHaveLength(8);
    for (const h of layout.headers) {
      const first = layout.tiles.find((t) => dayOf(t.photo.takenAt) === h.day)!;
      expect(h.left).toBe(first.box.left);
      expect(first.box.top).toBe(h.top + DAY_HEADER);
      expect(h.left + h.width).toBeLessThanOrEqual(opts.width);
    }
    // Labels in one band never overlap.
    const bands = new Map<number, typeof layout.headers>();
    for (const h of layout.headers) bands.set(h.top, [...(bands.get(h.top) ?? []), h]);
    for (const band of bands.values()) {
      for (let i = 1; i < band.length; i++) {
        expect(band[i - 1]!.left + band[i - 1]!.width).toBeLessThanOrEqual(band[i]!.left);
      }
    }
    // Every row spans the width except the last (the phone's row is used, not left empty).
    const tops = [...rowTops].sort((a, b) => a - b);
    for (const top of tops.slice(0, -1)) {
      const right = Math.max(...layout.tiles.filter((t) => t.box.top === top)
        .map((t) => t.box.left + t.box.width));
      expect(right).toBeGreaterThan(412 - 2);
    }
  });

  it('estimates an unloaded month close to its real height', () => {
    const opts = layoutOptions(412);
    const photos = Array.from({ length: 20 }, (_, d) =>
      day(`d${d}-`, `2024-05-${String(28 - d).padStart(2, '0')}`, 5, d % 2 ? 0.75 : 1.33)).flat();
    const real = layoutMonth(photos, opts).height;
    const estimate = estimateMonthHeight(photos.length, opts);
    expect(estimate / real).toBeGreaterThan(0.6);
    expect(estimate / real).toBeLessThan(1.6);
    expect(estimateMonthHeight(1000, opts)).toBeGreaterThan(estimateMonthHeight(100, opts));
    // Wider viewports fit more photos per row: fewer pixels per photo.
    expect(estimateMonthHeight(1000, layoutOptions(1400)) / layoutOptions(1400).rowHeight)
      .toBeLessThan(estimateMonthHeight(1000, opts) / opts.rowHeight);
  });

  it('labels months and days', () => {
    expect(monthLabel('2024-03')).toMatch(/2024/);
    expect(monthLabel('2024-03')).toMatch(/Mar/);
    expect(monthLabel(null)).toBe('No date');
    expect(dayLabel('2024-03-04')).toMatch(/4/);
    expect(dayLabel(null)).toBe('No date');
  });
});

describe('whole pixels', () => {
  it('places every tile and month on whole pixels (exact scroll compensation)', () => {
    const layout = layoutMonth([...day('a', '2024-03-10', 13, 1.37), ...day('b', '2024-03-02', 7, 0.71)],
      layoutOptions(411));
    for (const { box } of layout.tiles) {
      for (const v of [box.top, box.left, box.width, box.height]) expect(Number.isInteger(v)).toBe(true);
    }
    expect(Number.isInteger(layout.height)).toBe(true);
  });
});
