/**
 * Long-press to select in a grid, then drag to extend (framework-free, on the grid's scroller).
 *
 * - A press on a tile that rests LONG_PRESS_MS without moving more than the slop starts a
 *   selection there. Moving first is a scroll: no selection, ever, once the scroller scrolled.
 * - After the long-press, moving the same finger extends the range to the tile under it; the
 *   page does not scroll meanwhile (touchmove is cancelled only during that drag).
 * - The click that ends a long-press neither opens nor toggles the photo.
 */
import { distance, type Point } from '../gestures/geometry';
import { LONG_PRESS_MS, LONG_PRESS_SLOP_PX } from './range';

export interface SelectTarget {
  begin(id: string): void;
  extendTo(id: string): void;
  end(): void;
}

function tileId(target: EventTarget | null): string | null {
  const el = target instanceof Element ? target.closest<HTMLElement>('[data-photo-id]') : null;
  return el?.dataset.photoId ?? null;
}

export function attachSelectGestures(scroller: HTMLElement, target: SelectTarget): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let start: Point | null = null;
  let pointer: number | null = null;
  let dragging = false;
  let swallowClick = false;

  const cancel = (): void => {
    clearTimeout(timer);
    timer = undefined;
    start = null;
  };

  const down = (e: PointerEvent): void => {
    if (!e.isPrimary || e.button !== 0) return;
    const id = tileId(e.target);
    if (!id) return;
    cancel();
    swallowClick = false; // a drag that ended the last press made no click to swallow
    start = { x: e.clientX, y: e.clientY };
    pointer = e.pointerId;
    timer = setTimeout(() => {
      timer = undefined;
      dragging = true;
      swallowClick = true;
      target.begin(id);
    }, LONG_PRESS_MS);
  };

  const move = (e: PointerEvent): void => {
    if (e.pointerId !== pointer) return;
    if (timer && start && distance(start, { x: e.clientX, y: e.clientY }) > LONG_PRESS_SLOP_PX) {
      cancel(); // a scroll or a drag, not a press
      return;
    }
    if (!dragging) return;
    const id = tileId(document.elementFromPoint(e.clientX, e.clientY));
    if (id) target.extendTo(id);
  };

  const up = (e: PointerEvent): void => {
    if (e.pointerId !== pointer) return;
    cancel();
    pointer = null;
    if (dragging) {
      dragging = false;
      target.end();
    }
  };

  // The browser takes over a touch that scrolls (pointercancel); a drag-select keeps it.
  const touchmove = (e: TouchEvent): void => {
    if (dragging && e.cancelable) e.preventDefault();
  };
  const click = (e: MouseEvent): void => {
    if (!swallowClick) return;
    swallowClick = false;
    e.preventDefault();
    e.stopPropagation();
  };
  const contextmenu = (e: Event): void => {
    if (tileId(e.target)) e.preventDefault(); // the long-press menu of a link
  };

  scroller.addEventListener('pointerdown', down);
  scroller.addEventListener('pointermove', move);
  scroller.addEventListener('pointerup', up);
  scroller.addEventListener('pointercancel', up);
  scroller.addEventListener('scroll', cancel, { passive: true });
  scroller.addEventListener('touchmove', touchmove, { passive: false });
  scroller.addEventListener('click', click, true);
  scroller.addEventListener('contextmenu', contextmenu);
  return () => {
    cancel();
    scroller.removeEventListener('pointerdown', down);
    scroller.removeEventListener('pointermove', move);
    scroller.removeEventListener('pointerup', up);
    scroller.removeEventListener('pointercancel', up);
    scroller.removeEventListener('scroll', cancel);
    scroller.removeEventListener('touchmove', touchmove);
    scroller.removeEventListener('click', click, true);
    scroller.removeEventListener('contextmenu', contextmenu);
  };
}
