/**
 * Scroll compensation: before the timeline changes, note what the person is looking at (the
 * first tile at the top of the viewport, or the month there); after, compute the scroll offset
 * that puts it back at the same place on screen. Applied in the same frame, nothing they look
 * at moves when a month above loads or photos are inserted above.
 */
import type { TimelineModel } from './buckets';

export type Anchor =
  | { kind: 'top' }
  | { kind: 'photo'; id: string; offset: number }
  | { kind: 'month'; key: string | null; offset: number };

/**
 * What is at the top of the viewport. At the very top (scrollTop <= `topSlack`) the anchor is
 * the top itself: new photos then appear in view, which is what someone at the top expects.
 */
export function captureAnchor(model: TimelineModel, scrollTop: number, topSlack = 1): Anchor {
  if (scrollTop <= topSlack) return { kind: 'top' };
  const month = model.monthAt(scrollTop);
  if (!month) return { kind: 'top' };
  const tiles = month.layout?.tiles;
  if (tiles) {
    const local = scrollTop - month.top;
    // The first tile whose bottom is below the viewport's top edge.
    const tile = tiles.find((t) => t.box.top + t.box.height > local);
    if (tile) return { kind: 'photo', id: tile.photo.id, offset: month.top + tile.box.top - scrollTop };
  }
  return { kind: 'month', key: month.month, offset: month.top - scrollTop };
}

/** The scrollTop that puts the anchor back where it was (clamped to the content). */
export function restoreAnchor(model: TimelineModel, anchor: Anchor, viewport: number): number {
  let target = 0;
  if (anchor.kind === 'photo') {
    const top = model.tileTop(anchor.id);
    if (top !== null) target = top - anchor.offset;
    else return restoreAnchor(model, { kind: 'top' }, viewport);
  } else if (anchor.kind === 'month') {
    const month = model.month(anchor.key);
    if (month) target = month.top - anchor.offset;
  }
  return Math.max(0, Math.min(target, Math.max(0, model.totalHeight - viewport)));
}
