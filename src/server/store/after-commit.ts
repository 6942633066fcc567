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
/**
 * A hook may return a promise: the caller hears "done" once it settles (the
 * audit sealer uses this, so a 201 means the record is in the chain).
 */
type Hook = () => void | Promise<void>;

const pending = new WeakMap<object, Hook[]>();

/** Starts tracking a transaction object the store is about to hand to a unit of work. */
export function trackCommit(trx: object): void {
  pending.set(trx, []);
}

/**
 * The unit's writes are durable: runs its hooks, in the order they were
 * added, and resolves once those that returned a promise have settled.
 */
export async function committed(trx: object): Promise<void> {
  const hooks = pending.get(trx);
  pending.delete(trx);
  const waits: Promise<void>[] = [];
  for (const hook of hooks ?? []) {
    // A hook is bookkeeping after the fact: it cannot undo the commit, and
    // the caller's result must not turn into an error because of it.
    try {
      const result = hook();
      if (result !== undefined) waits.push(result.catch(() => undefined));
    } catch {
      // as above
    }
  }
  await Promise.all(waits);
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
    await committed(handle!);
    return result;
  } catch (e) {
    if (handle !== undefined) discarded(handle);
    throw e;
  }
}
