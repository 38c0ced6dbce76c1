import { describe, expect, it } from 'vitest';
import { TimelineModel } from '../../../src/lib/timeline/buckets';
import { computeWindow } from '../../../src/lib/timeline/windowing';
import { day } from './helpers';

/** A library of `months` months of `perMonth` photos each, every month loaded. */
function library(months: number, perMonth: number, loaded = true): TimelineModel {
  const keys = Array.from({ length: months }, (_, i) => {
    const y = 2024 - Math.floor(i / 12);
    const m = 12 - (i % 12);
    return `${y}-${String(m).padStart(2, '0')}`;
  });
  const model = new TimelineModel(keys.map((month) => ({ month, count: perMonth })), 412);
  if (loaded) {
    for (const key of keys) {
      const photos = Array.from({ length: perMonth / 10 }, (_, d) =>
        day(`${key}/${d}/`, `${key}-${String(28 - d).padStart(2, '0')}`, 10)).flat();
      model.setMonthPhotos(key, photos);
    }
  }
  return model;
}

describe('computeWindow', () => {
  it('keeps the number of tiles bounded wherever the viewport is', () => {
    const model = library(60, 100); // 6,000 photos
    const viewport = 800;
    let most = 0;
    for (let y = 0; y < model.totalHeight; y += 997) {
      const w = computeWindow(model, y, viewport, 400);
      const tiles = w.months.reduce((n, m) => n + m.tiles.length, 0);
      most = Math.max(most, tiles);
      expect(tiles).toBeGreaterThan(0);
    }
    // 1,600 px of window at ~132 px rows and ~3 per row: far below the 6,000 photos.
    expect(most).toBeLessThan(80);
  });

  it('returns exactly the tiles that intersect the window', () => {
    const model = library(3, 100);
    const scrollTop = 2500;
    const viewport = 700;
    const margin = 100;
    const w = computeWindow(model, scrollTop, viewport, margin);
    const shown = new Set(w.months.flatMap((m) => m.tiles.map((t) => t.photo.id)));
    for (const month of model.months) {
      for (const t of month.layout!.tiles) {
        const top = month.top + t.box.top;
        const inside = top < scrollTop + viewport + margin
          && top + t.box.height > scrollTop - margin;
        expect(shown.has(t.photo.id)).toBe(inside);
      }
    }
  });

  it('includes months that only partly intersect, and no others', () => {
    const model = library(4, 20);
    const second = model.months[1]!;
    const w = computeWindow(model, second.top + second.height - 10, 5, 0);
    expect(w.months.map((m) => m.month.month)).toEqual([second.month]);
    const w2 = computeWindow(model, second.top + second.height - 10, 50, 0);
    expect(w2.months.map((m) => m.month)).toEqual([second, model.months[2]]);
  });

  it('asks to load unloaded months near the viewport, nearest first', () => {
    const model = library(30, 40, false);
    const target = model.months[10]!;
    const w = computeWindow(model, target.top, 800, 200, 800);
    expect(w.toLoad[0]).toBe(target);
    expect(w.toLoad.length).toBeGreaterThan(1);
    for (const m of w.toLoad) {
      expect(m.top).toBeLessThan(target.top + 800 + 800);
      expect(m.top + m.height).toBeGreaterThan(target.top - 800);
    }
    // Far months are not requested: a 100k library opens with a handful of month loads.
    expect(w.toLoad.length).toBeLessThan(10);
    // Unloaded months in view are drawn (as placeholders) with no tiles.
    expect(w.months.every((m) => m.tiles.length === 0)).toBe(true);
  });

  it('asks nothing once the months near the viewport are loaded', () => {
    const model = library(3, 20);
    expect(computeWindow(model, 0, 800, 400).toLoad).toEqual([]);
  });

  it('shows the day headers within the window', () => {
    const model = library(1, 30);
    const w = computeWindow(model, 0, 10000, 0);
    expect(w.months[0]!.headers.map((h) => h.day)).toEqual(['2024-12-28', '2024-12-27',
      '2024-12-26']);
  });
});
