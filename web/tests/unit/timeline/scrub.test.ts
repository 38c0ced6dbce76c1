import { describe, expect, it } from 'vitest';
import { TimelineModel } from '../../../src/lib/timeline/buckets';
import { monthLabel } from '../../../src/lib/timeline/layout';
import {
  fractionForScroll, labelForFraction, maxScroll, scrollForFraction, stepMonth,
} from '../../../src/lib/timeline/scrub';

const VIEWPORT = 800;
const model = new TimelineModel(Array.from({ length: 24 }, (_, i) => ({
  month: `20${23 - Math.floor(i / 12)}-${String(12 - (i % 12)).padStart(2, '0')}`,
  count: 50,
})), 412);

describe('scrubber arithmetic', () => {
  it('maps the track onto the whole scroll range and back', () => {
    expect(scrollForFraction(model, 0, VIEWPORT)).toBe(0);
    expect(scrollForFraction(model, 1, VIEWPORT)).toBe(maxScroll(model, VIEWPORT));
    expect(scrollForFraction(model, 2, VIEWPORT)).toBe(maxScroll(model, VIEWPORT));
    const y = scrollForFraction(model, 0.37, VIEWPORT);
    expect(fractionForScroll(model, y, VIEWPORT)).toBeCloseTo(0.37, 3);
  });

  it('labels the month under a track position', () => {
    expect(labelForFraction(model, 0, VIEWPORT)).toBe(monthLabel('2023-12'));
    const half = scrollForFraction(model, 0.5, VIEWPORT);
    expect(labelForFraction(model, 0.5, VIEWPORT)).toBe(monthLabel(model.monthAt(half)!.month));
    expect(labelForFraction(model, 1, VIEWPORT)).toBe(monthLabel(model.monthAt(
      maxScroll(model, VIEWPORT))!.month));
  });

  it('steps month by month for the keyboard', () => {
    const second = model.months[1]!;
    expect(stepMonth(model, 0, 1)).toBe(second.top);
    expect(stepMonth(model, second.top, 1)).toBe(model.months[2]!.top);
    expect(stepMonth(model, second.top, -1)).toBe(0);
    expect(stepMonth(model, 0, -5)).toBe(0);
    expect(stepMonth(model, 0, 999)).toBe(model.months.at(-1)!.top);
  });

  it('is zero for content shorter than the viewport', () => {
    const small = new TimelineModel([{ month: '2024-01', count: 1 }], 412);
    expect(fractionForScroll(small, 50, VIEWPORT)).toBe(0);
    expect(scrollForFraction(small, 0.5, VIEWPORT)).toBe(0);
  });
});
