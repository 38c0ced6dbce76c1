/**
 * What the viewer needs from the screen that opened it: the photo's neighbours in that screen's
 * order (so swipes follow the grid, filtered or not) and what to show before the photo's own
 * query answers. Tiny and free of the viewer itself, so grids import it without pulling the
 * lazy-loaded viewer into the main bundle.
 *
 * Usage by a grid, before `navigate('/photos/' + id)`:
 *   prepareViewer({ getNeighbour: (id, step) => ..., seed: [tile data of the opened photo] })
 */

/** What a grid already knows about a photo: enough to draw it at once. */
export interface ViewerSeed {
  id: string;
  /** width / height as displayed; 1 when unknown. */
  ratio?: number | null;
  placeholder?: string | null;
  /** GRID thumbnail URL. */
  thumbnailUrl?: string | null;
}

/** The photo `step` places after (+1, older in the timeline) or before (-1) `id`, or null. */
export type GetNeighbour = (id: string, step: 1 | -1) => ViewerSeed | null;

class ViewerNav {
  /** Set by the opening screen; null when the viewer was opened directly by URL. */
  getNeighbour = $state<GetNeighbour | null>(null);
  /** The photo on show (grids may scroll it into view so closing lands on it). */
  currentId = $state<string | null>(null);
  #seeds = new Map<string, ViewerSeed>();

  seed(id: string): ViewerSeed | null {
    return this.#seeds.get(id) ?? null;
  }

  remember(seed: ViewerSeed): void {
    this.#seeds.set(seed.id, seed);
    if (this.#seeds.size > 50) this.#seeds.delete(this.#seeds.keys().next().value as string);
  }

  neighbour(id: string, step: 1 | -1): ViewerSeed | null {
    const found = this.getNeighbour?.(id, step) ?? null;
    if (found) this.remember(found);
    return found;
  }
}

export const viewerNav = new ViewerNav();

/** Called by a grid when a tile opens the viewer. */
export function prepareViewer(options: { getNeighbour: GetNeighbour | null; seed?: ViewerSeed }): void {
  viewerNav.getNeighbour = options.getNeighbour;
  if (options.seed) viewerNav.remember(options.seed);
}
