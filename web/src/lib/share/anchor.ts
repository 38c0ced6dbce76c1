/**
 * Keep what the visitor looks at in place when photos are inserted above it inside a
 * scrolled box: note the first visible tile and its offset, then scroll so it stays put.
 */
import type { Box } from '../timeline/layout';

export interface GridAnchor {
  id: string;
  offset: number;
}

/** The first tile whose bottom is below `scrollTop`; null at the very top (new photos show). */
export function captureGridAnchor(ids: string[], boxes: Box[], scrollTop: number,
                                  topSlack = 1): GridAnchor | null {
  if (scrollTop <= topSlack) return null;
  const i = boxes.findIndex((b) => b.top + b.height > scrollTop);
  if (i < 0) return null;
  return { id: ids[i]!, offset: boxes[i]!.top - scrollTop };
}

/** The scrollTop that puts the anchor's tile back at its offset (null: leave it). */
export function restoreGridAnchor(anchor: GridAnchor | null, ids: string[],
                                  boxes: Box[]): number | null {
  if (anchor === null) return null;
  const i = ids.indexOf(anchor.id);
  if (i < 0) return null;
  return Math.max(0, boxes[i]!.top - anchor.offset);
}
