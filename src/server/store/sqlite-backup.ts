/**
 * Copies of the embedded store, for `secure-envelope backup` and `restore`.
 *
 * A copy of the database file alone is not the database: in WAL mode the
 * latest commits live in the -wal file until a checkpoint moves them, so a
 * file copy taken while the server writes silently lacks them (or is torn).
 * SQLite's online backup API reads through a connection instead, sees every
 * committed transaction, and copies one consistent snapshot while the server
 * goes on writing.
 */
import SQLite from 'better-sqlite3';

/** Kysely's table of applied migrations (its default name, which the store keeps). */
const MIGRATION_TABLE = 'kysely_migration';

/**
 * Every page in one step. The backup API restarts a copy whenever another
 * connection writes between two steps, so a copy taken in small steps under
 * steady load may never finish; a single step holds one read snapshot, and in
 * WAL mode a reader does not hold the writer up.
 */
const ALL_PAGES = 0x7fffffff;

/**
 * Copies the live database at `source` to `target` (a new file) as of one
 * moment, safely while another process writes to it. The copy is left in
 * rollback-journal mode: one self-contained file, with nothing in a -wal
 * beside it, whose bytes (and hash) do not change when it is opened to read.
 */
export async function copyLiveSqlite(source: string, target: string): Promise<void> {
  // Read-only: a backup never writes to the store it copies.
  const live = new SQLite(source, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    await live.backup(target, { progress: () => ALL_PAGES });
  } finally {
    live.close();
  }
  const copy = new SQLite(target, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
}

/** A read-only look into a copy of the store. */
export interface SqliteSnapshot {
  /** The newest migration applied to it, or undefined for a database no server has opened. */
  migration(): string | undefined;
  hasTable(table: string): boolean;
  /** Rows in `table`; 0 when there is no such table. */
  count(table: string): number;
  /** The distinct values of `column` in `table`; none when there is no such table. */
  distinct(table: string, column: string): string[];
  /** SQLite's own structural check: 'ok', or what it found wrong. */
  check(): string;
  close(): void;
}

/** Opens the database file at `file` read-only; it must exist. */
export function openSqliteSnapshot(file: string): SqliteSnapshot {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  const hasTable = (table: string): boolean =>
    db.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(table) !== undefined;
  return {
    migration() {
      if (!hasTable(MIGRATION_TABLE)) return undefined;
      const row = db
        .prepare(`select name from ${quote(MIGRATION_TABLE)} order by name desc limit 1`)
        .get() as { name: string } | undefined;
      return row?.name;
    },
    hasTable,
    count(table) {
      if (!hasTable(table)) return 0;
      return (db.prepare(`select count(*) as n from ${quote(table)}`).get() as { n: number }).n;
    },
    distinct(table, column) {
      if (!hasTable(table)) return [];
      const sql = `select distinct ${quote(column)} as v from ${quote(table)}`;
      return (db.prepare(sql).all() as { v: unknown }[]).map((r) => String(r.v));
    },
    check() {
      const rows = db.pragma('quick_check') as { quick_check: string }[];
      return rows.map((r) => r.quick_check).join('; ');
    },
    close() {
      db.close();
    },
  };
}

/** Table and column names come from the code, never from input; anything else is refused, not escaped. */
function quote(name: string): string {
  if (!/^\w+$/.test(name)) throw new Error(`not a table or column name: ${name}`);
  return `"${name}"`;
}
