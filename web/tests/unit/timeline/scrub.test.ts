import { describe, expect, it } from 'vitest';
import { TimelineModel } from '../../../src/lib/timeline/buckets';
import { monthLabel } from '../../../src/lib/timeline/layout';
import { labelAt, stepMonth } from '../../../src/lib/timeline/scrub';

const model = new TimelineModel(Array.from({ length: 24 }, (_, i) => ({
  month: `20${23 - Math.floor(i / 12)}-${String(12 - (i % 12)).padStart(2, '0')}`,
  count: 50,
})), 412);

describe('scrubber arithmetic', () => {
  it('labels the month under a position, clamped to the timeline', () => {
    expect(labelAt(model, -100)).toBe(monthLabel('2023-12'));
    expect(labelAt(model, 0)).toBe(monthLabel('2023-12'));
    const fifth = model.months[4]!;
    expect(labelAt(model, fifth.top)).toBe(monthLabel(fifth.month));
    expect(labelAt(model, fifth.top - 1)).toBe(monthLabel(model.months[3]!.month));
    expect(labelAt(model, 1e9)).toBe(monthLabel('2022-01'));
    expect(labelAt(new TimelineModel([], 412), 0)).toBe('');
  });

  it('steps month by month for the keyboard', () => {
    const second = model.months[1]!;
    expect(stepMonth(model, 0, 1)).toBe(second.top);
    expect(stepMonth(model, second.top, 1)).toBe(model.months[2]!.top);
    expect(stepMonth(model, second.top, -1)).toBe(0);
    expect(stepMonth(model, 0, -5)).toBe(0);
    expect(stepMonth(model, 0, 12)).toBe(model.months[12]!.top);
    expect(stepMonth(model, 0, 999)).toBe(model.months.at(-1)!.top);
    expect(stepMonth(new TimelineModel([], 412), 0, 1)).toBe(0);
  });
});
