import type { Kysely, Transaction } from 'kysely';
import { committed, discarded, trackCommit } from './after-commit';

/** A unit of work that must commit atomically: all its writes, or none. */
export type Work<DB, T> = (trx: Transaction<DB>) => Promise<T>;

interface Pending<DB> {
  work: Work<DB, unknown>;
  resolve(value: unknown): void;
  reject(reason: unknown): void;
}

/**
 * Group commit for the embedded store. SQLite with synchronous=FULL syncs the
 * disk at every commit, and that sync costs more than everything else an
 * envelope needs. Units of work that arrive while the event loop is busy are
 * run together in one transaction, each inside its own savepoint, and share
 * one commit (one sync).
 *
 * Each unit still succeeds or fails alone: a unit that throws is rolled back
 * to its savepoint and its caller gets the error, while the others commit.
 * No caller hears "done" before the shared commit has reached the disk; if the
 * commit itself fails, every caller in the group gets that error.
 */
export class GroupCommit<DB> {
  #queue: Pending<DB>[] = [];
  #scheduled = false;
  /** Sizes of the last groups committed: more than one unit means writers are competing. */
  #recentGroups: number[] = [];
  /** Groups run one after another: the store has one connection. */
  #running: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Kysely<DB>,
    /** The most units one transaction takes, so one group's latency stays bounded. */
    private readonly maxGroup = 64,
    private readonly windowMs = 2,
  ) {}

  run<T>(work: Work<DB, T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ work: work, resolve: resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        // Under load (a recent group had company), a short window lets the
        // requests in flight join this group instead of each paying for a
        // sync of its own. A lone writer is not kept waiting for company that
        // is not coming.
        const start = () => {
          this.#scheduled = false;
          this.#running = this.#running.then(() => this.#drain());
        };
        if (this.#recentGroups.some((size) => size > 1)) setTimeout(start, this.windowMs);
        else setImmediate(start);
      }
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const group = this.#queue.splice(0, this.maxGroup);
      this.#recentGroups = [group.length, ...this.#recentGroups.slice(0, 7)];
      await this.#commit(group);
    }
  }

  async #commit(group: Pending<DB>[]): Promise<void> {
    const outcomes: { ok: boolean; value: unknown }[] = [];
    // The transaction object each unit was handed, for its after-commit hooks.
    const units: object[] = [];
    let trx;
    try {
      trx = await this.db.startTransaction().execute();
    } catch (e) {
      for (const p of group) p.reject(e);
      return;
    }
    try {
      for (const [i, p] of group.entries()) {
        const name = `unit${String(i)}`;
        const sp = await trx.savepoint(name).execute();
        units.push(sp);
        trackCommit(sp);
        try {
          outcomes.push({ ok: true, value: await p.work(sp) });
          await sp.releaseSavepoint(name).execute();
        } catch (e) {
          await sp.rollbackToSavepoint(name).execute();
          await sp.releaseSavepoint(name).execute();
          outcomes.push({ ok: false, value: e });
        }
      }
      await trx.commit().execute();
    } catch (e) {
      // The transaction itself failed (the disk, the connection): nothing in it committed.
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      for (const unit of units) discarded(unit);
      for (const p of group) p.reject(e);
      return;
    }
    for (const [i, p] of group.entries()) {
      const outcome = outcomes[i]!;
      if (outcome.ok) {
        // Before the caller hears "done": what it does next may depend on the hooks' effect.
        void committed(units[i]!).then(() => {
          p.resolve(outcome.value);
        });
      } else {
        discarded(units[i]!);
        p.reject(outcome.value);
      }
    }
  }
}
