/** The scrubber's arithmetic over the model: the month at a position, month steps. */
import type { TimelineModel } from './buckets';
import { monthLabel } from './layout';

/** The label of the month at vertical position `y` of the timeline ('' when empty). */
export function labelAt(model: TimelineModel, y: number): string {
  const month = model.monthAt(Math.max(0, y));
  return month ? monthLabel(month.month) : '';
}

/** The scroll offset of the month `step` months after (positive: older) the one at scrollTop. */
export function stepMonth(model: TimelineModel, scrollTop: number, step: number): number {
  const i = model.monthIndexAt(scrollTop + 1);
  if (i < 0) return 0;
  const target = Math.min(model.months.length - 1, Math.max(0, i + step));
  return model.months[target]!.top;
}
