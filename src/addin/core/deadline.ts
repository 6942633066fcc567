/** A point in time every step of the on-send decision shares. */
export interface Deadline {
  /** Milliseconds left, never negative. */
  left(): number;
  /** The time a step may use: what it would like, but never more than is left. */
  budget(wanted: number): number;
}

export function deadlineIn(ms: number, now: () => number = Date.now): Deadline {
  const end = now() + ms;
  const left = (): number => Math.max(0, end - now());
  return { left, budget: (wanted) => Math.min(wanted, left()) };
}
