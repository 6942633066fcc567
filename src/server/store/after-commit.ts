import type { Kysely, Transaction } from 'kysely';

/**
 * Work that may only happen once a transaction's writes are durable: the
 * audit anchor, kept outside the database, must never vouch for a record
 * that was rolled back, or `audit verify` would report a truncation that
 * never happened.
 *
 * The store knows when each unit of work it runs has committed (on SQLite a
 * unit shares its commit with others, see GroupCommit), so it tracks the
 * transaction object it hands to the unit; code deep inside the unit registers
 * a hook on that same object. A transaction the store did not open (a caller's
 * own `db.transaction()`) is not tracked, and `afterCommit` says so.
 */
type Hook = () => void;

const pending = new WeakMap<object, Hook[]>();

/** Starts tracking a transaction object the store is about to hand to a unit of work. */
export function trackCommit(trx: object): void {
  pending.set(trx, []);
}

/** The unit's writes are durable: runs its hooks, in the order they were added. */
export function committed(trx: object): void {
  const hooks = pending.get(trx);
  pending.delete(trx);
  for (const hook of hooks ?? []) {
    try {
      hook();
    } catch {
      // A hook is bookkeeping after the fact: it cannot undo the commit, and
      // the caller's result must not turn into an error because of it.
    }
  }
}

/** The unit rolled back (alone, or with its whole group): its hooks never run. */
export function discarded(trx: object): void {
  pending.delete(trx);
}

/**
 * Runs `hook` once `trx` has committed. Returns false, and drops the hook,
 * when `trx` is not a transaction the store tracks: then nobody can say when
 * (or whether) it commits.
 */
export function afterCommit(trx: object, hook: Hook): boolean {
  const hooks = pending.get(trx);
  if (hooks === undefined) return false;
  hooks.push(hook);
  return true;
}

/** `db.transaction().execute(work)`, with the transaction tracked and its hooks run after the commit. */
export async function trackedTransaction<DB, T>(
  db: Kysely<DB>,
  work: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  let handle: object | undefined;
  try {
    const result = await db.transaction().execute((trx) => {
      handle = trx;
      trackCommit(trx);
      return work(trx);
    });
    committed(handle!);
    return result;
  } catch (e) {
    if (handle !== undefined) discarded(handle);
    throw e;
  }
}
