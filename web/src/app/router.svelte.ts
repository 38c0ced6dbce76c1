/**
 * History-API router. `route` is the screen in the URL; `base` is the screen drawn beneath an
 * overlay route (the viewer, `/photos/:id`, opens over the grid it came from, and browser back
 * closes it by returning to that grid's entry).
 */

import { match, OVERLAYS, type Route } from './route-match';

export { match, type Route, type RouteName } from './route-match';

interface HistoryState {
  /** The href of the screen beneath an overlay, when it was opened from inside the app. */
  under?: string;
}

function current(): Route {
  return match(location.pathname + location.search);
}

/** The route in the address bar (mutated in place, so `route.name` etc. stay reactive). */
export const route = $state<Route>(current());
/** The screen beneath: the route itself, or for an overlay the screen it was opened over. */
export const base = $state<Route>(match('/'));

class Router {
  get route(): Route {
    return route;
  }

  get base(): Route {
    return base;
  }

  /** True when the overlay was opened from inside the app (back returns to the grid). */
  #openedInApp = false;

  constructor() {
    this.#sync(history.state as HistoryState | null);
    addEventListener('popstate', (event: PopStateEvent) =>
      this.#sync(event.state as HistoryState | null));
  }

  #sync(state: HistoryState | null): void {
    const now = current();
    Object.assign(route, now);
    if (OVERLAYS.has(now.name)) {
      this.#openedInApp = Boolean(state?.under);
      Object.assign(base, match(state?.under ?? '/'));
    } else {
      this.#openedInApp = false;
      Object.assign(base, now);
    }
  }

  /** Go to `path` (with its query); `replace` swaps the current history entry. */
  navigate(path: string, { replace = false }: { replace?: boolean } = {}): void {
    const target = match(path);
    const state: HistoryState = {};
    if (OVERLAYS.has(target.name)) {
      // Opened over the current screen (or, from one overlay to the next, over the same one).
      state.under = OVERLAYS.has(this.route.name) ? this.base.href : this.route.href;
    }
    if (target.href === this.route.href && !replace) return;
    if (replace) history.replaceState(state, '', target.href);
    else history.pushState(state, '', target.href);
    this.#sync(state);
    if (!OVERLAYS.has(target.name) && !replace) scrollTo({ top: 0 });
  }

  /** Close an overlay, or go back: to the grid it was opened over when possible. */
  back(): void {
    if (OVERLAYS.has(this.route.name) && !this.#openedInApp) {
      this.navigate(this.base.href, { replace: true });
      return;
    }
    if (history.length > 1) history.back();
    else this.navigate('/', { replace: true });
  }
}

export const router = new Router();

/** Shortcuts matching the contract: `navigate`, `back` (and `route` above). */
export const navigate = (path: string, opts?: { replace?: boolean }): void =>
  router.navigate(path, opts);
export const back = (): void => router.back();
