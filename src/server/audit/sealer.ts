/**
 * Moves pending audit records into the chain, on PostgreSQL.
 *
 * Why: the chain is one sequence, so whoever appends to it holds its lock
 * from reading the head until commit. Held by every action's own
 * transaction, that lock made every envelope wait for the commits of all
 * those before it, round trip by round trip. Instead an action writes its
 * records to audit_pending in its own transaction, atomically with what it
 * did and without the lock, and a sealer chains whatever is pending in one
 * short transaction per batch: one lock, one head read, one insert and one
 * commit for many records.
 *
 * A record is in exactly one table at any time (the move is one
 * transaction), so nothing is lost or counted twice if a process dies. Any
 * instance seals anyone's records: a sweep every second takes over records
 * whose writer died before sealing them. What is given up: between commit and
 * seal (milliseconds; at most the sweep interval) a pending record is not yet
 * protected by the chain's MACs.
 */
import type { Kysely, Selectable } from 'kysely';
import { trackedTransaction } from '../store/after-commit';
import type { AuditPendingTable, Database } from '../store/schema';
import {
  bindAuditSealer,
  chainAudit,
  lockAuditChain,
  type PendingAuditSealer,
  type UnchainedRow,
} from './audit-log';

/** Records moved per transaction: bounds the lock's hold and the statement's size. */
const BATCH = 500;
/** How often a sealer looks for records nobody sealed (their writer died, or its transaction was untracked). */
const SWEEP_MS = 1000;
/**
 * How long an action's answer waits for its records to be sealed. Longer
 * means the database is failing: the records are committed and the next
 * pass seals them, so the answer goes out.
 */
const WAIT_BOUND_MS = 2000;

/** Moves every pending record into the chain; returns how many it moved. */
export async function sealPendingAudit(db: Kysely<Database>, key: Uint8Array): Promise<number> {
  let moved = 0;
  for (;;) {
    const n = await trackedTransaction(db, async (trx) => {
      // Under the chain's lock before the rows are taken: two sealers never
      // interleave their batches, so records enter the chain in id order.
      await lockAuditChain(trx);
      const taken = await trx
        .deleteFrom('audit_pending')
        .where('id', 'in', trx.selectFrom('audit_pending').select('id').orderBy('id').limit(BATCH))
        .returningAll()
        .execute();
      if (taken.length === 0) return 0;
      taken.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      await chainAudit(trx, key, 'postgres', taken.map(withoutId));
      return taken.length;
    });
    moved += n;
    if (n < BATCH) return moved;
  }
}

function withoutId(row: Selectable<AuditPendingTable>): UnchainedRow {
  return {
    at: row.at,
    actor: row.actor,
    action: row.action,
    target: row.target,
    outcome: row.outcome,
    source_ip: row.source_ip,
    detail: row.detail,
  };
}

/** One process's sealer for one chain. */
export class AuditSealer implements PendingAuditSealer {
  /** The pass running now, if any. */
  #current: Promise<void> | undefined;
  /** The pass that will start after the current one: every request made meanwhile joins it. */
  #next: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failing = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly key: Uint8Array,
    private readonly log: (line: string) => void,
  ) {}

  /** Serves appendAudit for this key, and sweeps for unsealed records every second. */
  start(): void {
    bindAuditSealer(this.key, this);
    this.#timer = setInterval(() => {
      void this.#sweep();
    }, SWEEP_MS);
    this.#timer.unref();
    void this.#sweep();
  }

  /** Stops sweeping and waits for a pass in progress; records still pending wait for the next start. */
  async stop(): Promise<void> {
    bindAuditSealer(this.key, undefined);
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#next;
    await this.#current;
  }

  sealSoon(): Promise<void> {
    let bound: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      bound = setTimeout(resolve, WAIT_BOUND_MS);
    });
    return Promise.race([this.#request(), timeout]).finally(() => {
      clearTimeout(bound);
    });
  }

  /** A pass that starts after this call: records committed before it are in it. */
  #request(): Promise<void> {
    if (this.#next === undefined) {
      const after = this.#current ?? Promise.resolve();
      this.#next = after.then(() => {
        this.#next = undefined;
        const pass = this.#pass();
        this.#current = pass;
        return pass;
      });
    }
    return this.#next;
  }

  async #sweep(): Promise<void> {
    try {
      const any = await this.db.selectFrom('audit_pending').select('id').limit(1).executeTakeFirst();
      if (any !== undefined) await this.#request();
    } catch {
      // The database is away; the next sweep looks again.
    }
  }

  async #pass(): Promise<void> {
    try {
      await sealPendingAudit(this.db, this.key);
      if (this.#failing) this.log('audit: pending records are being sealed into the chain again');
      this.#failing = false;
    } catch (e) {
      // Committed records stay pending and are sealed by a later pass.
      if (!this.#failing) {
        const why = e instanceof Error ? e.message : String(e);
        this.log(`audit: could not seal pending records into the chain (${why}); retrying every second`);
      }
      this.#failing = true;
    }
  }
}
