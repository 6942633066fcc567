import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  type MigrationProvider,
  type SqliteDatabase,
} from 'kysely';
import pg from 'pg';
// The migrations of the core and of every feature, from the server's one list of features.
import { MIGRATIONS } from '../features';
import { trackedTransaction } from './after-commit';
import { GroupCommit, type Work } from './group-commit';
import type { Database } from './schema';
import { SQLITE_FILE_NAME } from './sqlite-file';

export type Db = Kysely<Database>;

/** How long a request waits for a PostgreSQL connection before it is answered 503. */
const CONNECT_TIMEOUT_MS = 5000;

export interface StoreOptions {
  /** PostgreSQL connection string; unset → the embedded SQLite store in `dataDir`. */
  databaseUrl?: string | undefined;
  dataDir: string;
  /** Pool size for PostgreSQL. */
  maxConnections?: number;
}

export interface Store {
  db: Db;
  dialect: 'sqlite' | 'postgres';
  /** Path of the SQLite file, for tests that inspect it; undefined on PostgreSQL. */
  sqliteFile: string | undefined;
  /**
   * Runs `work` in a transaction and resolves once it has committed. On the
   * embedded store, concurrent calls share one commit (see GroupCommit).
   * Hooks the work registers with `afterCommit` run after the commit, before
   * the promise resolves.
   */
  transact<T>(work: Work<Database, T>): Promise<T>;
  close(): Promise<void>;
}

/** Opens the store and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  let store: Store;
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.maxConnections ?? 10,
      // While the database is away, a request waits this long for a connection
      // and is then answered 503, rather than queueing without end.
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      // A connection cut without a word (a failover, a dropped route) is noticed.
      keepAlive: true,
    });
    // A connection can die idle in the pool or checked out between two
    // statements of a transaction (the database restarts or fails over). The
    // pool drops it; the statement that would use it fails and its request is
    // answered 503. Unhandled, either event would end the process.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => {
      client.on('error', () => undefined);
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    store = {
      db,
      dialect: 'postgres',
      sqliteFile: undefined,
      // The server's pool already commits concurrent transactions together.
      transact: (work) => trackedTransaction(db, work),
      close: () => db.destroy(),
    };
  } else {
    mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
    const file = join(options.dataDir, SQLITE_FILE_NAME);
    const sqlite = new SQLite(file);
    // WAL for concurrent readers; FULL so a 201 means the envelope survives a power cut.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    // Deleted and overwritten rows (a scrubbed notice) are zeroed in the file, not left behind.
    sqlite.pragma('secure_delete = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    const group = new GroupCommit(db);
    store = {
      db,
      dialect: 'sqlite',
      sqliteFile: file,
      transact: (work) => group.run(work),
      close: () => db.destroy(),
    };
  }
  try {
    await migrate(store.db);
  } catch (error) {
    // Not opened: nothing of it stays behind (a caller may try again).
    await store.close().catch(() => undefined);
    throw error;
  }
  return store;
}

/**
 * better-sqlite3 with prepared statements reused: the service runs the same
 * few dozen statements all day, and preparing each one anew is a good part of
 * a small query's cost.
 */
function withStatementCache(sqlite: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement === undefined) {
        statement = sqlite.prepare(sql);
        // Multi-row inserts vary with the row count; keep the cache bounded.
        if (cache.size >= 500) cache.clear();
        cache.set(sql, statement);
      }
      return statement;
    },
    close: () => {
      sqlite.close();
    },
  };
}

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(MIGRATIONS) };

async function migrate(db: Db): Promise<void> {
  const { error } = await new Migrator({ db, provider }).migrateToLatest();
  if (error !== undefined) {
    throw new Error(
      `database migration failed: ${error instanceof Error ? error.message : 'unknown error'}`,
      {
        cause: error,
      },
    );
  }
}
