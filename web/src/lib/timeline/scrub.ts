/** The scrubber's arithmetic: track position <-> scroll offset <-> month label. */
import type { TimelineModel } from './buckets';
import { monthLabel } from './layout';

/** Largest scroll offset of the content. */
export function maxScroll(model: TimelineModel, viewport: number): number {
  return Math.max(0, model.totalHeight - viewport);
}

/** 0..1 down the scrubber's track for a scroll offset. */
export function fractionForScroll(model: TimelineModel, scrollTop: number, viewport: number): number {
  const max = maxScroll(model, viewport);
  return max === 0 ? 0 : Math.min(1, Math.max(0, scrollTop / max));
}

/** The scroll offset for a point 0..1 down the track. */
export function scrollForFraction(model: TimelineModel, fraction: number, viewport: number): number {
  return Math.round(Math.min(1, Math.max(0, fraction)) * maxScroll(model, viewport));
}

/** The month label shown while scrubbing at `fraction`. */
export function labelForFraction(model: TimelineModel, fraction: number, viewport: number): string {
  const month = model.monthAt(scrollForFraction(model, fraction, viewport));
  return month ? monthLabel(month.month) : '';
}

/** The scroll offset of the month `step` months after (positive: older) the one at scrollTop. */
export function stepMonth(model: TimelineModel, scrollTop: number, step: number): number {
  const i = model.monthIndexAt(scrollTop + 1);
  if (i < 0) return 0;
  const target = Math.min(model.months.length - 1, Math.max(0, i + step));
  return model.months[target]!.top;
}
