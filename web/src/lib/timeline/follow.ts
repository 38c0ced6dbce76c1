/**
 * Live events into a timeline: batched (one update per burst), planned (insert / mark missing /
 * remove / ask the server), then applied through the grid's `apply` so the view stays still.
 */
import type { PhotoFilter } from '../api/gql/graphql';
import { Batcher, type Timers } from './batcher';
import type { TimelineModel } from './buckets';
import type { TimelinePhoto } from './layout';
import { planLiveBatch, type LiveEventLike } from './live';

export interface LiveTarget {
  model: TimelineModel;
  filter: PhotoFilter | null;
  /** Change the model, compensating the scroll; `inserted` feeds the "N new" pill. */
  apply(mutate: () => void, inserted?: string[]): void;
  markMissing(id: string, missing: boolean): void;
  /** A month's photos from the server, with the filter. */
  load(month: string | null): Promise<TimelinePhoto[]>;
}

export type Listen = (listener: (event: LiveEventLike) => void) => () => void;

/** Follow live events into the target until the returned function is called. */
export function followLive(listen: Listen, target: LiveTarget,
                           opts: { idleMs?: number; maxWaitMs?: number; timers?: Timers } = {}):
  () => void {
  let stopped = false;
  const batcher = new Batcher<LiveEventLike>((events) => {
    const { model } = target;
    const plan = planLiveBatch(events, target.filter, (id) => model.has(id));
    for (const id of plan.missing) if (model.has(id)) target.markMissing(id, true);
    for (const id of plan.present) target.markMissing(id, false);
    const removing = plan.remove.filter((id) => model.has(id));
    if (plan.insert.length || removing.length) {
      target.apply(() => {
        model.insert(plan.insert);
        for (const id of removing) model.remove(id);
      }, plan.insert.map((p) => p.id));
    }
    for (const month of plan.requery) {
      target.load(month).then((photos) => {
        if (stopped) return;
        const fresh = photos.filter((p) => !model.has(p.id)).map((p) => p.id);
        if (fresh.length) target.apply(() => model.setMonthPhotos(month, photos), fresh);
      }, () => undefined /* the next event for that month asks again */);
    }
  }, opts.idleMs ?? 400, opts.maxWaitMs ?? 1000, opts.timers);
  const stop = listen((event) => batcher.add(event));
  return () => {
    stopped = true;
    stop();
    batcher.close();
  };
}
