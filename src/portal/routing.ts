/**
 * Hash routes. The app lives at `/portal/` and keeps its place in the hash, so
 * the server needs one page and nothing sensitive lands in a server log: secure
 * links, reset links and sign-in links arrive as cookies, never in the hash.
 */

/** Why the person is looking at the sign-in page, shown as a plain explanation. */
export type SignInReason = 'idle' | 'absolute' | 'session-ended' | 'signed-out' | 'password-reset';

export type Route =
  | { name: 'start' }
  | { name: 'link' }
  | { name: 'sign-in'; reason?: SignInReason }
  | { name: 'forgot' }
  | { name: 'reset' }
  /** Ask for a one-time sign-in link by e-mail (the way in while password sign-in waits). */
  | { name: 'email-link' }
  /** Reached from that link (its token is in a cookie): one click signs in. */
  | { name: 'email-link-sign-in' }
  | { name: 'inbox' }
  | { name: 'thread'; id: string }
  | { name: 'new'; to?: string }
  | { name: 'not-found' };

const REASONS: readonly SignInReason[] = [
  'idle',
  'absolute',
  'session-ended',
  'signed-out',
  'password-reset',
];

/** Ids are opaque to the portal, but only this alphabet can reach the API in a path. */
const ID = /^[\w-]{1,128}$/;

function decode(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/** `#/thread/abc?x=1` → `{name: 'thread', id: 'abc'}`; anything unknown → not-found. */
export function parseRoute(hash: string): Route {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  const queryAt = raw.indexOf('?');
  const path = queryAt === -1 ? raw : raw.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : raw.slice(queryAt + 1));
  const parts = path.split('/').filter((p) => p !== '');
  const [first, second, ...rest] = parts;
  if (rest.length > 0) return { name: 'not-found' };
  switch (first) {
    case undefined:
      return { name: 'start' };
    case 'link':
    case 'forgot':
    case 'reset':
    case 'email-link':
    case 'email-link-sign-in':
    case 'inbox':
      return second === undefined ? { name: first } : { name: 'not-found' };
    case 'sign-in': {
      if (second !== undefined) return { name: 'not-found' };
      const reason = query.get('reason');
      const known = REASONS.find((r) => r === reason);
      return known === undefined ? { name: 'sign-in' } : { name: 'sign-in', reason: known };
    }
    case 'thread': {
      const id = second === undefined ? undefined : decode(second);
      return id !== undefined && ID.test(id) ? { name: 'thread', id } : { name: 'not-found' };
    }
    case 'new': {
      if (second !== undefined) return { name: 'not-found' };
      const to = query.get('to');
      return to === null || to === '' ? { name: 'new' } : { name: 'new', to };
    }
    default:
      return { name: 'not-found' };
  }
}

/** The hash for a route; `parseRoute(routeHash(r))` gives `r` back. */
export function routeHash(route: Route): string {
  switch (route.name) {
    case 'start':
      return '#/';
    case 'thread':
      return `#/thread/${encodeURIComponent(route.id)}`;
    case 'sign-in':
      return route.reason === undefined ? '#/sign-in' : `#/sign-in?reason=${route.reason}`;
    case 'new':
      return route.to === undefined ? '#/new' : `#/new?${new URLSearchParams({ to: route.to }).toString()}`;
    default:
      return `#/${route.name}`;
  }
}

/** Routes that need a signed-in recipient. */
export function needsSession(route: Route): boolean {
  return route.name === 'inbox' || route.name === 'thread' || route.name === 'new';
}

/** The page title for a route, for `document.title` and the heading a screen reader lands on. */
export function routeTitle(route: Route): string {
  switch (route.name) {
    case 'start':
      return 'Secure messages';
    case 'link':
      return 'Your secure message';
    case 'sign-in':
      return 'Sign in';
    case 'forgot':
      return 'Forgot your password?';
    case 'reset':
      return 'Choose a new password';
    case 'email-link':
      return 'Email me a sign-in link';
    case 'email-link-sign-in':
      return 'Sign in with your e-mailed link';
    case 'inbox':
      return 'Inbox';
    case 'thread':
      return 'Conversation';
    case 'new':
      return 'New secure message';
    case 'not-found':
      return 'Page not found';
  }
}

/** What the sign-in page says about why the person is there. */
export function signInReasonText(reason: SignInReason | undefined): string | undefined {
  switch (reason) {
    case 'idle':
      return 'You were signed out after 15 minutes without activity, to keep your messages private. Sign in again to continue.';
    case 'absolute':
      return 'You were signed out because a session lasts at most 8 hours. Sign in again to continue.';
    case 'session-ended':
      return 'Your session has ended. Sign in again to continue.';
    case 'signed-out':
      return 'You have signed out.';
    case 'password-reset':
      return 'Your password has been changed. Sign in with your new password.';
    case undefined:
      return undefined;
  }
}
