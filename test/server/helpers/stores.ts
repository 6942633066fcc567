/**
 * Real stores for server tests: a fresh SQLite file in a temporary folder, or
 * a fresh PostgreSQL database on the machine's server (created per test file,
 * dropped afterwards). PostgreSQL must be up: a test that cannot reach it
 * fails with a message saying so, rather than passing without having run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore, type Store } from '../../../src/server/store/db';

export const STORE_KINDS = ['sqlite', 'postgres'] as const;
export type StoreKind = (typeof STORE_KINDS)[number];

/** The server the tests use; CI starts it, and `.ci/run` checks it is up. */
export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestStore extends Store {
  /** The folder for files (SQLite database, blobs, keys) of this test store. */
  dataDir: string;
  /** The PostgreSQL database's URL, for a second connection (another instance); undefined on SQLite. */
  databaseUrl: string | undefined;
  /** Closes the store and removes everything it created. */
  cleanup(): Promise<void>;
}

export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'se-test-'));
  if (kind === 'sqlite') {
    const store = await openStore({ dataDir });
    return {
      ...store,
      dataDir,
      databaseUrl: undefined,
      async cleanup() {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `se_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const store = await openStore({ dataDir, databaseUrl: url.toString() });
  return {
    ...store,
    dataDir,
    databaseUrl: url.toString(),
    async cleanup() {
      await store.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs one statement as the PostgreSQL admin (CREATE/DROP DATABASE), failing plainly when the server is down. */
export async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  try {
    await client.connect();
  } catch (e) {
    throw new Error(
      `PostgreSQL is not reachable at ${PG_ADMIN_URL} (${e instanceof Error ? e.message : String(e)}). ` +
        'Start it (pg_ctlcluster <version> main start) or set TEST_DATABASE_URL.',
    );
  }
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
