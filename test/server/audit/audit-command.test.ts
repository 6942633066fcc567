/**
 * `secure-envelope audit` against real stores: the command opens the store
 * and key ring from DATA_DIR / DATABASE_URL as an admin's shell would set them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UsageError, type CommandContext } from '../../../src/cli/command';
import { auditCommand } from '../../../src/cli/commands/audit';
import { appendAudit } from '../../../src/server/audit/audit-log';
import { loadOrCreateKeyring } from '../../../src/server/crypto/keyring';
import { openTestStore, PG_ADMIN_URL, STORE_KINDS, type TestStore } from '../helpers/stores';

interface Captured {
  context: CommandContext;
  out: string[];
  err: string[];
}

function capture(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const context: CommandContext = {
    stdout: { line: (text) => Promise.resolve(void out.push(text)) },
    stderr: { line: (text) => Promise.resolve(void err.push(text)) },
    stdin: Readable.from([]),
  };
  return { context, out, err };
}

const ENV_NAMES = ['DATA_DIR', 'DATABASE_URL', 'SECURE_ENVELOPE_KEYS'] as const;
const savedEnv = Object.fromEntries(ENV_NAMES.map((n) => [n, process.env[n]]));

function restoreEnv(): void {
  for (const n of ENV_NAMES) {
    const value = savedEnv[n];
    if (value === undefined) Reflect.deleteProperty(process.env, n);
    else process.env[n] = value;
  }
}

describe.each(STORE_KINDS)('secure-envelope audit on %s', (kind) => {
  let store: TestStore;
  let auditKey: Uint8Array;
  beforeAll(async () => {
    store = await openTestStore(kind);
    auditKey = (await loadOrCreateKeyring(store.dataDir, {})).auditKey;
  });
  afterAll(async () => {
    restoreEnv();
    await store.cleanup();
  });
  beforeEach(async () => {
    Reflect.deleteProperty(process.env, 'SECURE_ENVELOPE_KEYS');
    Reflect.deleteProperty(process.env, 'DATABASE_URL');
    process.env.DATA_DIR = store.dataDir;
    if (kind === 'postgres') {
      const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(store.db);
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${rows[0]!.name}`;
      process.env.DATABASE_URL = url.toString();
    }
    await store.db.deleteFrom('audit_log').execute();
    for (let n = 1; n <= 3; n++) {
      await appendAudit(store.db, auditKey, store.dialect, {
        actor: `recipient:r${n}@clinic.example`,
        action: 'message.read',
        target: `envelope:env-${n}`,
        outcome: 'ok',
        detail: { attempt: n },
        at: new Date(Date.UTC(2025, 0, n, 12)),
      });
    }
  });
  afterEach(restoreEnv);

  it('reports an intact chain', async () => {
    const { context, out } = capture();
    expect(await auditCommand.run(['verify'], context)).toBe(0);
    expect(out).toEqual(['audit chain intact: 3 records']);
  });

  it('reports the head as JSON', async () => {
    const { context, out } = capture();
    expect(await auditCommand.run(['verify', '--json'], context)).toBe(0);
    const head = await store.db
      .selectFrom('audit_log')
      .select('hash')
      .where('seq', '=', 3)
      .executeTakeFirst();
    expect(JSON.parse(out[0]!)).toEqual({ ok: true, records: 3, head: head!.hash });
  });

  it('reports a broken chain with exit code 1', async () => {
    await store.db.updateTable('audit_log').set({ target: 'envelope:other' }).where('seq', '=', 2).execute();
    const { context, out } = capture();
    expect(await auditCommand.run(['verify'], context)).toBe(1);
    expect(out).toEqual(['audit chain broken at record #2: hash mismatch']);
  });

  it('exports JSON Lines, optionally by time', async () => {
    const all = capture();
    expect(await auditCommand.run(['export'], all.context)).toBe(0);
    const records = all.out.map((line) => JSON.parse(line) as { seq: number; detail: unknown });
    expect(records.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(records[0]).toMatchObject({ action: 'message.read', detail: { attempt: 1 } });

    const some = capture();
    expect(
      await auditCommand.run(
        ['export', '--from', '2025-01-02', '--to', '2025-01-03T00:00:00Z'],
        some.context,
      ),
    ).toBe(0);
    expect(some.out.map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([2]);
  });

  it('rejects bad arguments as usage errors', async () => {
    const { context } = capture();
    await expect(auditCommand.run([], context)).rejects.toThrow(UsageError);
    await expect(auditCommand.run(['shred'], context)).rejects.toThrow(/unknown subcommand/);
    await expect(auditCommand.run(['export', '--from', 'yesterday'], context)).rejects.toThrow(/ISO 8601/);
    await expect(
      auditCommand.run(['export', '--from', '2025-02-01', '--to', '2025-01-01'], context),
    ).rejects.toThrow(/later than/);
    await expect(auditCommand.run(['verify', '--from', '2025-01-01'], context)).rejects.toThrow(UsageError);
  });
});

describe('secure-envelope audit without a store', () => {
  afterEach(restoreEnv);

  it('says so instead of verifying a fresh, empty log', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'se-audit-empty-'));
    try {
      Reflect.deleteProperty(process.env, 'DATABASE_URL');
      Reflect.deleteProperty(process.env, 'SECURE_ENVELOPE_KEYS');
      process.env.DATA_DIR = join(empty, 'missing');
      const { context } = capture();
      await expect(auditCommand.run(['verify'], context)).rejects.toMatchObject({
        name: 'CliError',
        exitCode: 1,
        message: expect.stringMatching(/no key file/) as unknown,
      });
      await expect(auditCommand.run(['export'], context)).rejects.toThrow(/no database/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
