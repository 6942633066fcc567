import { useEffect, useState } from 'react';
import { parseRoute, routeHash, type Route } from './routing';

/** The current hash route, updated on every hashchange. */
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = (): void => {
      setRoute(parseRoute(window.location.hash));
    };
    window.addEventListener('hashchange', update);
    return () => {
      window.removeEventListener('hashchange', update);
    };
  }, []);
  return route;
}

/** Goes to a route; `replace` keeps the current entry out of history (redirects). */
export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const hash = routeHash(route);
  if (window.location.hash === hash) {
    // Same place again (e.g. after an error): tell listeners anyway.
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    return;
  }
  if (options.replace === true) window.location.replace(hash);
  else window.location.hash = hash;
}
