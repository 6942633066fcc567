/**
 * Start-up against services that may not be up yet (the database restarting
 * while an orchestrator starts the fleet): an unreachable service is waited
 * for, with a line saying so, instead of ending the process.
 */

/** Between attempts: doubling from 1 s to at most 15 s. */
const FIRST_WAIT_MS = 1000;
const LONGEST_WAIT_MS = 15_000;

export interface WaitOptions {
  /** Which service, for the log line ("PostgreSQL at 10.0.0.5:5432"). */
  what: string;
  /** Whether an error means "not reachable yet" (anything else ends start-up at once). */
  retryable(error: unknown): boolean;
  log(line: string): void;
  /** Give up after this long (default: never, as a service manager would want). */
  deadlineMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export async function untilReachable<T>(open: () => Promise<T>, options: WaitOptions): Promise<T> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const started = Date.now();
  let wait = FIRST_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      const opened = await open();
      if (attempt > 1) options.log(`${options.what} is reachable again; starting`);
      return opened;
    } catch (error) {
      if (!options.retryable(error)) throw error;
      if (options.deadlineMs !== undefined && Date.now() - started + wait > options.deadlineMs) throw error;
      options.log(
        `${options.what} is not reachable (${reason(error)}); trying again in ${Math.round(wait / 1000)} s`,
      );
      await sleep(wait);
      wait = Math.min(wait * 2, LONGEST_WAIT_MS);
    }
  }
}

/** The socket's or the database's code where the error chain has one, else the top message. */
function reason(error: unknown): string {
  for (let e: unknown = error, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.message.slice(0, 120) : 'unknown error';
}

/** "PostgreSQL at host:port" from a connection string, never its password. */
export function describeDatabase(url: string): string {
  try {
    const u = new URL(url);
    return `PostgreSQL at ${u.hostname}:${u.port || '5432'}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}
