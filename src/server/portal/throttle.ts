import { sql } from 'kysely';
import { HttpError } from '../errors';
import { sha256 } from '../ids';
import type { Db } from '../store/db';
import type { PortalConfig } from './config';

/**
 * Brute-force throttling for what strangers reach: sign-in, registration,
 * password reset, secure links. Failures are counted per account address and
 * per client address in the store (so every server instance sees the same
 * counts, and a restart forgets nothing); past a threshold, attempts wait,
 * and each further failure doubles the wait up to a cap. Keys hold a hash of
 * the address, never the address itself.
 *
 * The answer while waiting is the same whether or not an account exists.
 */

export type ThrottleScope = 'signin' | 'register' | 'reset' | 'link' | 'forgot';

export interface ThrottleKey {
  key: string;
  /** Failures allowed before the waiting starts. */
  threshold: number;
}

export class Throttle {
  constructor(
    private readonly db: Db,
    private readonly config: PortalConfig['throttle'],
  ) {}

  forAddress(scope: ThrottleScope, address: string, threshold = this.config.addressFailures): ThrottleKey {
    return { key: `${scope}:address:${sha256(address.toLowerCase())}`, threshold };
  }

  forClient(scope: ThrottleScope, ip: string, threshold = this.config.clientFailures): ThrottleKey {
    return { key: `${scope}:client:${sha256(ip)}`, threshold };
  }

  /** Throws RATE_LIMITED when any key is waiting. */
  async check(keys: readonly ThrottleKey[], now: Date): Promise<void> {
    const rows = await this.db
      .selectFrom('portal_throttle')
      .select(['blocked_until'])
      .where(
        'key',
        'in',
        keys.map((k) => k.key),
      )
      .execute();
    let until = 0;
    for (const r of rows) {
      if (r.blocked_until !== null) until = Math.max(until, Date.parse(r.blocked_until));
    }
    if (until > now.getTime()) {
      const seconds = Math.ceil((until - now.getTime()) / 1000);
      throw new HttpError('RATE_LIMITED', `too many attempts; try again in ${formatWait(seconds)}`);
    }
  }

  /** Counts a failure (or, for counted actions such as reset mails, an attempt) against every key. */
  async fail(keys: readonly ThrottleKey[], now: Date): Promise<void> {
    for (const k of keys) await this.#failOne(k, now);
  }

  /** A success forgets the failures of these keys. */
  async clear(keys: readonly ThrottleKey[]): Promise<void> {
    await this.db
      .deleteFrom('portal_throttle')
      .where(
        'key',
        'in',
        keys.map((k) => k.key),
      )
      .execute();
  }

  /** How many attempts a key has made in the current window. */
  async count(key: ThrottleKey, now: Date): Promise<number> {
    const row = await this.db
      .selectFrom('portal_throttle')
      .select(['failures', 'first_failure_at'])
      .where('key', '=', key.key)
      .executeTakeFirst();
    if (row === undefined || this.#stale(row.first_failure_at, now)) return 0;
    return row.failures;
  }

  async #failOne(k: ThrottleKey, now: Date): Promise<void> {
    const at = now.toISOString();
    // One atomic increment, so parallel guesses cannot slip under the count.
    await this.db
      .insertInto('portal_throttle')
      .values({ key: k.key, failures: 1, first_failure_at: at, blocked_until: null })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({ failures: sql<number>`portal_throttle.failures + 1` }),
      )
      .execute();
    const row = await this.db
      .selectFrom('portal_throttle')
      .select(['failures', 'first_failure_at'])
      .where('key', '=', k.key)
      .executeTakeFirstOrThrow();
    let failures = row.failures;
    let first = row.first_failure_at;
    if (this.#stale(first, now)) {
      // The window has passed: this failure starts a new count.
      failures = 1;
      first = at;
    }
    const over = failures - k.threshold;
    const blocked =
      over >= 0
        ? new Date(
            now.getTime() +
              Math.min(this.config.maxDelaySeconds, this.config.baseDelaySeconds * 2 ** Math.min(over, 20)) *
                1000,
          ).toISOString()
        : null;
    await this.db
      .updateTable('portal_throttle')
      .set({ failures, first_failure_at: first, blocked_until: blocked })
      .where('key', '=', k.key)
      .execute();
  }

  #stale(firstFailureAt: string, now: Date): boolean {
    return now.getTime() - Date.parse(firstFailureAt) > this.config.windowMinutes * 60_000;
  }
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}
