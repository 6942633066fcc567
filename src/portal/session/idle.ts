/**
 * Automatic sign-out (HIPAA automatic logoff): after 15 minutes without
 * activity, and at the latest when the server's absolute limit (8 hours) is
 * reached. A warning comes a minute before. Pure: the clock is a parameter.
 */

export const IDLE_LIMIT_MS = 15 * 60_000;
export const WARNING_MS = 60_000;
/** While someone is active, tell the server at most this often (its idle timer restarts on each request). */
export const KEEP_ALIVE_EVERY_MS = 2 * 60_000;

export interface SessionClock {
  /** Last keypress, click, touch or scroll in this page (epoch ms). */
  lastActivityAt: number;
  /** Last successful API call, which the server counts as activity (epoch ms). */
  lastServerContactAt: number;
  /** The server's absolute end of the session (epoch ms), when it said. */
  absoluteExpiresAt?: number;
}

export type EndReason = 'idle' | 'absolute';

export type SessionPhase =
  | { phase: 'active'; endsAt: number; reason: EndReason }
  | { phase: 'warning'; endsAt: number; reason: EndReason; secondsLeft: number }
  | { phase: 'ended'; reason: EndReason };

/** Where the session stands at `now`. */
export function sessionPhase(clock: SessionClock, now: number): SessionPhase {
  const idleEnd = clock.lastActivityAt + IDLE_LIMIT_MS;
  const absoluteEnd = clock.absoluteExpiresAt ?? Number.POSITIVE_INFINITY;
  const reason: EndReason = absoluteEnd <= idleEnd ? 'absolute' : 'idle';
  const endsAt = Math.min(idleEnd, absoluteEnd);
  if (now >= endsAt) return { phase: 'ended', reason };
  if (endsAt - now <= WARNING_MS) {
    return { phase: 'warning', endsAt, reason, secondsLeft: Math.ceil((endsAt - now) / 1000) };
  }
  return { phase: 'active', endsAt, reason };
}

/**
 * Whether to touch the server now: there was activity here that the server has
 * not seen, and the last contact is old enough that its idle timer would
 * otherwise run out while someone is typing a long reply.
 */
export function shouldKeepAlive(clock: SessionClock, now: number): boolean {
  return (
    clock.lastActivityAt > clock.lastServerContactAt && now - clock.lastServerContactAt >= KEEP_ALIVE_EVERY_MS
  );
}

/** Parses an ISO time from the server; undefined when absent or unreadable. */
export function parseTime(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : t;
}
