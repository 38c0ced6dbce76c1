/**
 * Live events into a timeline: batched (one update per burst), planned (insert / mark missing /
 * remove / ask the server), then applied through the grid's `apply` so the view stays still.
 */
import type { PhotoFilter } from '../api/gql/graphql';
import { Batcher, type Timers } from './batcher';
import type { Bucket, TimelineModel } from './buckets';
import type { TimelinePhoto } from './layout';
import { isEmptyFilter } from './match';
import { planLiveBatch, type LiveEventLike } from './live';

/** Kinds that can change a timeline (see planLiveBatch); the rest never reach the batcher. */
const GRID_KINDS = new Set(['PHOTO_ADDED', 'PHOTO_MISSING', 'PHOTO_REMOVED']);
const FILTERED_KINDS = new Set(['PHOTO_TAGGED', 'PHOTO_UPDATED', 'PHOTO_METADATA']);

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
                           opts: { quietMs?: number; idleMs?: number; maxWaitMs?: number;
                                   timers?: Timers } = {}):
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
  }, opts);
  // Classifier progress (stages, tags, job counts) streams while photos arrive: it must not
  // turn a lone new photo into a "burst" that waits, so only what can change the grid counts.
  const filtered = !isEmptyFilter(target.filter);
  const stop = listen((event) => {
    if (GRID_KINDS.has(event.kind) || (filtered && FILTERED_KINDS.has(event.kind))) {
      batcher.add(event);
    }
  });
  return () => {
    stopped = true;
    stop();
    batcher.close();
  };
}

/**
 * Catch up after a gap in the live stream (the socket came back without a sequence to resume
 * from, or the log no longer reaches back): months and counts again, then every loaded month
 * again; photos not shown before are inserted as live ones would be (scroll kept, pill counted).
 */
export async function resyncTimeline(target: LiveTarget,
                                     buckets: () => Promise<Bucket[]>): Promise<void> {
  const { model } = target;
  const fresh = await buckets();
  let loaded: ReturnType<TimelineModel['mergeBuckets']> = [];
  target.apply(() => {
    loaded = model.mergeBuckets(fresh);
  });
  await Promise.all(loaded.map(async (month) => {
    const before = new Set(month.photos?.map((p) => p.id));
    const photos = await target.load(month.month);
    if (!model.months.includes(month)) return;
    // Live photos inserted while the request was out may be newer than its answer: keep them.
    const answered = new Set(photos.map((p) => p.id));
    const since = (month.photos ?? []).filter((p) => !before.has(p.id) && !answered.has(p.id));
    const added = photos.filter((p) => !model.has(p.id)).map((p) => p.id);
    target.apply(() => model.setMonthPhotos(month.month, [...photos, ...since]), added);
  }));
}
