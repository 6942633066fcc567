import { sql, type Compilable, type Transaction } from 'kysely';
import type { Database } from './schema';

/** An insert, update or delete built with Kysely, not yet executed. */
export type Write = Compilable & { toOperationNode(): unknown; execute(): Promise<unknown> };

/**
 * Runs several writes of one transaction, in order. On PostgreSQL they go to
 * the database as one statement (each write a data-modifying WITH clause):
 * one round trip instead of one per write, which is most of an envelope's
 * cost there. The writes must not depend on each other's effects beyond
 * foreign keys (all clauses see the same snapshot; foreign keys are checked
 * at the end of the statement). On SQLite, which has no such statements and
 * no round trips, they run one by one.
 */
export async function writeTogether(
  trx: Transaction<Database>,
  dialect: 'sqlite' | 'postgres',
  writes: readonly Write[],
): Promise<void> {
  if (dialect === 'sqlite' || writes.length < 2) {
    for (const w of writes) await w.execute();
    return;
  }
  const clauses = writes.map((w, i) => sql`${sql.raw(`w${String(i)}`)} as (${w})`);
  await sql`with ${sql.join(clauses)} select 1`.execute(trx);
}
