import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { HttpError } from '../errors';
import { sha256 } from '../ids';
import type { Db } from '../store/db';
import type { Database } from '../store/schema';
import type { PortalConfig } from './config';

/**
 * Brute-force throttling for what strangers reach: sign-in, registration,
 * password reset, secure links. Attempts are counted per key (an account
 * address, a client address, or the pair) in the store, so every server
 * instance sees the same counts and a restart forgets nothing; past a key's
 * threshold, attempts wait, and each further attempt doubles the wait up to a
 * cap. Keys hold a hash of the address, never the address itself.
 *
 * Sign-in takes its attempt before the password is checked (`reserve`): one
 * statement per key both refuses a waiting key and counts the attempt, so N
 * guesses in flight at once cost N attempts, whichever instance they reach.
 *
 * The answer while waiting is the same whether or not an account exists.
 */

export type ThrottleScope = 'signin' | 'register' | 'reset' | 'link' | 'forgot' | 'signin-link';

export interface ThrottleKey {
  key: string;
  /** Attempts allowed before the waiting starts. */
  threshold: number;
}

/** What `reserve` took, to give back when the attempt turns out not to count. */
export interface Reservation {
  readonly taken: readonly { key: ThrottleKey; blockedUntil: string | null }[];
}

/** RATE_LIMITED with the wait in seconds, for a Retry-After header. */
export class WaitError extends HttpError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super('RATE_LIMITED', message);
  }
}

/** Thrown inside `reserve`'s transaction to roll back the keys already taken. */
class Refused extends Error {
  constructor(readonly key: ThrottleKey) {
    super('throttled');
  }
}

type Executor = Transaction<Database> | Kysely<Database>;

export class Throttle {
  constructor(
    private readonly db: Db,
    private readonly config: PortalConfig['throttle'],
  ) {}

  /** Every client together, for one account address. */
  forAddress(scope: ThrottleScope, address: string, threshold = this.config.addressFailures): ThrottleKey {
    return { key: `${scope}:address:${sha256(address.toLowerCase())}`, threshold };
  }

  /** One client, for one account address: what one guesser may try before the address is at stake. */
  forAddressAndClient(
    scope: ThrottleScope,
    address: string,
    ip: string,
    threshold = this.config.addressClientFailures,
  ): ThrottleKey {
    return { key: `${scope}:address-client:${sha256(`${address.toLowerCase()}\n${ip}`)}`, threshold };
  }

  /** One client, all account addresses together. */
  forClient(scope: ThrottleScope, ip: string, threshold = this.config.clientFailures): ThrottleKey {
    return { key: `${scope}:client:${sha256(ip)}`, threshold };
  }

  /**
   * Takes one attempt from every key, in the caller's transaction, or throws
   * RATE_LIMITED (a WaitError) when any key is waiting; then the transaction
   * must roll back, so a refused attempt costs nothing. Keys are taken in one
   * fixed order so that two transactions never wait for each other's rows.
   */
  async reserve(trx: Transaction<Database>, keys: readonly ThrottleKey[], now: Date): Promise<Reservation> {
    const taken: { key: ThrottleKey; blockedUntil: string | null }[] = [];
    const sorted = [...keys].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    try {
      for (const k of sorted) {
        const row = await this.#take(trx, k, now);
        if (row === undefined) throw new Refused(k);
        taken.push({ key: k, blockedUntil: row.blocked_until });
      }
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      // Read in the same transaction: on the embedded store it holds the only connection.
      throw await this.#waitError(trx, [e.key], now);
    }
    return { taken };
  }

  /**
   * Gives back the attempts of a reservation that did not count: the password
   * was right, or it was never checked. A wait the reservation itself started
   * is lifted, unless a later attempt has started another since.
   */
  async giveBack(reservation: Reservation, only?: readonly ThrottleKey[]): Promise<void> {
    for (const { key, blockedUntil } of reservation.taken) {
      if (only !== undefined && !only.some((k) => k.key === key.key)) continue;
      await this.db
        .updateTable('portal_throttle')
        .set({
          failures: sql<number>`failures - 1`,
          blocked_until:
            blockedUntil === null
              ? sql<string | null>`blocked_until`
              : sql<
                  string | null
                >`CASE WHEN blocked_until = ${blockedUntil} AND failures - 1 < ${key.threshold} THEN NULL ELSE blocked_until END`,
        })
        .where('key', '=', key.key)
        .where('failures', '>', 0)
        .execute();
    }
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
    if (until > now.getTime()) throw waitError(until, now);
  }

  /**
   * Counts a failure (or, for counted actions such as reset mails, an attempt)
   * against every key, each in one statement, waiting or not.
   */
  async fail(keys: readonly ThrottleKey[], now: Date): Promise<void> {
    for (const k of keys) await this.#take(this.db, k, now, { evenWhileWaiting: true });
  }

  /**
   * Counts one use against `key` in one statement and answers how many uses
   * its window now holds, this one included. For caps such as "three mails
   * per address": two requests at once cannot both see the last free one.
   * `windowMinutes` overrides the window the throttle's settings give.
   */
  async tally(key: ThrottleKey, now: Date, windowMinutes?: number): Promise<number> {
    const row = await this.#take(this.db, key, now, {
      evenWhileWaiting: true,
      ...(windowMinutes !== undefined ? { windowMinutes } : {}),
    });
    return row?.failures ?? Number.POSITIVE_INFINITY;
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
    if (row === undefined || now.getTime() - Date.parse(row.first_failure_at) > this.#windowMs()) return 0;
    return row.failures;
  }

  /**
   * One attempt against one key, in a single INSERT ... ON CONFLICT DO UPDATE
   * ... RETURNING, which SQLite and PostgreSQL both run atomically (PostgreSQL
   * locks the row; a concurrent attempt on it waits and then sees this one's
   * count). The new count and the wait it starts are computed in the same
   * statement from the row as it is, so no read-then-write gap remains.
   * Without `evenWhileWaiting`, a key that is waiting is left alone and
   * nothing is returned.
   */
  async #take(
    db: Executor,
    k: ThrottleKey,
    now: Date,
    options: { evenWhileWaiting?: boolean; windowMinutes?: number } = {},
  ): Promise<{ failures: number; blocked_until: string | null } | undefined> {
    const at = now.toISOString();
    // ISO-8601 UTC strings of one length order like the times they name.
    const staleBefore = new Date(now.getTime() - this.#windowMs(options.windowMinutes)).toISOString();
    const stale = sql<boolean>`portal_throttle.first_failure_at < ${staleBefore}`;
    const next = sql<number>`(CASE WHEN ${stale} THEN 1 ELSE portal_throttle.failures + 1 END)`;
    return db
      .insertInto('portal_throttle')
      .values({
        key: k.key,
        failures: 1,
        first_failure_at: at,
        blocked_until: k.threshold <= 1 ? this.#waitUntil(0, now) : null,
      })
      .onConflict((oc) => {
        const update = oc.column('key').doUpdateSet({
          failures: next,
          first_failure_at: sql<string>`CASE WHEN ${stale} THEN ${at} ELSE portal_throttle.first_failure_at END`,
          blocked_until: this.#blockedAfter(next, k.threshold, now),
        });
        return options.evenWhileWaiting === true
          ? update
          : update.where(
              sql<boolean>`portal_throttle.blocked_until IS NULL OR portal_throttle.blocked_until <= ${at}`,
            );
      })
      .returning(['failures', 'blocked_until'])
      .executeTakeFirst();
  }

  /**
   * The wait that the `attempts`-th attempt starts, as SQL: none below the
   * threshold, then the base delay doubled per attempt over it, up to the cap.
   * The few possible ends are computed here and chosen in the statement.
   */
  #blockedAfter(attempts: RawBuilder<number>, threshold: number, now: Date): RawBuilder<string | null> {
    const ends: RawBuilder<unknown>[] = [];
    let over = 0;
    for (; over <= 20; over++) {
      const end = this.#waitUntil(over, now);
      ends.push(sql`WHEN ${over} THEN ${end}`);
      if (this.#delaySeconds(over) >= this.config.maxDelaySeconds) break;
    }
    const longest = this.#waitUntil(over, now);
    return sql<
      string | null
    >`CASE WHEN ${attempts} < ${threshold} THEN NULL ELSE CASE ${attempts} - ${threshold} ${sql.join(ends, sql` `)} ELSE ${longest} END END`;
  }

  #delaySeconds(over: number): number {
    return Math.min(this.config.maxDelaySeconds, this.config.baseDelaySeconds * 2 ** Math.min(over, 20));
  }

  #waitUntil(over: number, now: Date): string {
    return new Date(now.getTime() + this.#delaySeconds(over) * 1000).toISOString();
  }

  #windowMs(windowMinutes = this.config.windowMinutes): number {
    return windowMinutes * 60_000;
  }

  async #waitError(db: Executor, keys: readonly ThrottleKey[], now: Date): Promise<WaitError> {
    const rows = await db
      .selectFrom('portal_throttle')
      .select(['blocked_until'])
      .where(
        'key',
        'in',
        keys.map((k) => k.key),
      )
      .execute();
    let until = now.getTime() + 1000;
    for (const r of rows) if (r.blocked_until !== null) until = Math.max(until, Date.parse(r.blocked_until));
    return waitError(until, now);
  }
}

function waitError(until: number, now: Date): WaitError {
  const seconds = Math.max(1, Math.ceil((until - now.getTime()) / 1000));
  return new WaitError(`too many attempts; try again in ${formatWait(seconds)}`, seconds);
}

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} s`;
  return `${Math.ceil(seconds / 60)} min`;
}
