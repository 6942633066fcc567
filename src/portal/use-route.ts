import { useEffect, useState } from 'react';
import { parseRoute, routeHash, type Route } from './routing';

/**
 * Fired by `navigate` at once: hashchange comes a task later, and by then a
 * render with the new session but the old route could have redirected
 * somewhere else (sign-out landing on a sign-in page without its reason).
 */
const NAVIGATED = 'portal-navigated';

/** The current hash route, updated on every hashchange and every `navigate`. */
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = (): void => {
      const next = parseRoute(window.location.hash);
      // hashchange follows every navigate: the same place keeps its object, so nothing re-renders.
      setRoute((previous) => (routeHash(previous) === routeHash(next) ? previous : next));
    };
    window.addEventListener('hashchange', update);
    window.addEventListener(NAVIGATED, update);
    return () => {
      window.removeEventListener('hashchange', update);
      window.removeEventListener(NAVIGATED, update);
    };
  }, []);
  return route;
}

/** Goes to a route; `replace` keeps the current entry out of history (redirects). */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const hash = routeHash(route);
  if (window.location.hash !== hash) {
    if (options.replace === true) window.location.replace(hash);
    else window.location.hash = hash;
  }
  // The address is updated synchronously; let the app render the new route in the same batch.
  window.dispatchEvent(new Event(NAVIGATED));
}
