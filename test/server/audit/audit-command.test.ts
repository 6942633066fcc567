/**
 * `secure-envelope audit` against real stores: the command opens the store
 * and key ring from DATA_DIR / DATABASE_URL as an admin's shell would set them.
 * The attacks are made as someone with database access would: plain SQL.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UsageError, type CommandContext } from '../../../src/cli/command';
import { auditCommand } from '../../../src/cli/commands/audit';
import { AUDIT_ANCHOR_FILE_NAME, type AuditAnchor } from '../../../src/server/audit/anchor';
import { appendAudit, AUDIT_GENESIS, bindAuditSealer } from '../../../src/server/audit/audit-log';
import { loadOrCreateKeyring, type Keyring } from '../../../src/server/crypto/keyring';
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
  let keyring: Keyring;
  let auditKey: Uint8Array;
  let anchor: AuditAnchor;
  beforeAll(async () => {
    store = await openTestStore(kind);
    keyring = await loadOrCreateKeyring(store.dataDir, {});
    auditKey = keyring.auditKey;
    anchor = keyring.auditAnchor!;
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
    // Each test starts a fresh log, anchored from its start: emptying it is exactly what the anchor catches.
    await store.db.deleteFrom('audit_log').execute();
    await store.db.deleteFrom('audit_pending').execute();
    await anchor.reset({ seq: 0, hash: AUDIT_GENESIS });
    await append(1, 3);
  });
  afterEach(restoreEnv);

  /** Appends records #from..#to as the server does, and waits for the anchor to be on disk. */
  async function append(from: number, to: number, who = 'r'): Promise<void> {
    for (let n = from; n <= to; n++) {
      await appendAudit(store.db, auditKey, store.dialect, {
        actor: `recipient:${who}${n}@clinic.example`,
        action: 'message.read',
        target: `envelope:env-${n}`,
        outcome: 'ok',
        detail: { attempt: n },
        at: new Date(Date.UTC(2025, 0, n, 12)),
      });
    }
    await anchor.flush();
  }

  async function verify(...args: string[]): Promise<{ code: number; out: string[] }> {
    const { context, out } = capture();
    const code = await auditCommand.run(['verify', ...args], context);
    return { code, out };
  }

  it('reports an intact chain', async () => {
    expect(await verify()).toEqual({ code: 0, out: ['audit chain intact: 3 records, anchored through #3'] });
  });

  it('reports the head as JSON', async () => {
    const { code, out } = await verify('--json');
    expect(code).toBe(0);
    const head = await store.db
      .selectFrom('audit_log')
      .select('hash')
      .where('seq', '=', 3)
      .executeTakeFirst();
    expect(JSON.parse(out[0]!)).toEqual({
      status: 'intact',
      ok: true,
      records: 3,
      head: head!.hash,
      anchored: { seq: 3, at: expect.any(String) as string },
      anchorFile: join(store.dataDir, AUDIT_ANCHOR_FILE_NAME),
    });
  });

  it('reports the last five records deleted as a truncation, with exit code 3', async () => {
    await append(4, 10);
    expect((await verify()).code).toBe(0);
    await store.db.deleteFrom('audit_log').where('seq', '>', 5).execute();
    const { code, out } = await verify();
    expect(code).toBe(3);
    expect(out).toEqual([
      expect.stringMatching(
        /^audit log truncated: records #6 to #10 are missing from its end \(the anchor of \S+ vouches for #10; the log holds 5\)$/,
      ) as string,
    ]);
    const json = JSON.parse((await verify('--json')).out[0]!) as Record<string, unknown>;
    expect(json).toMatchObject({
      status: 'truncated',
      ok: false,
      records: 5,
      brokenAt: 6,
      reason: 'truncated',
      anchored: { seq: 10 },
    });
  });

  it('reports every record deleted as a truncation, not as an empty intact log', async () => {
    await append(4, 10);
    await store.db.deleteFrom('audit_log').execute();
    const { code, out } = await verify();
    expect(code).toBe(3);
    expect(out[0]).toMatch(/^audit log truncated: records #1 to #10 are missing from its end/);
  });

  it('reports the last record alone deleted', async () => {
    await store.db.deleteFrom('audit_log').where('seq', '=', 3).execute();
    const { code, out } = await verify();
    expect(code).toBe(3);
    expect(out[0]).toMatch(/^audit log truncated: record #3 is missing from its end/);
  });

  it('keeps reporting the cut after the server appends over it', async () => {
    await append(4, 10);
    await store.db.deleteFrom('audit_log').where('seq', '>', 5).execute();
    // The server carries on: new, validly chained records #6 to #12 take the place of the old ones.
    await append(6, 12, 'other');
    const { code, out } = await verify();
    expect(code).toBe(3);
    expect(out[0]).toMatch(/^audit log cut and continued: record #10 is not the one anchored/);
    const anchored = JSON.parse(readFileSync(anchor.file, 'utf8')) as { seq: number };
    expect(anchored.seq).toBe(10);
  });

  it('finds a cut against anchor lines from the log when the anchor file was put back to an older copy', async () => {
    await append(4, 5);
    const older = readFileSync(anchor.file, 'utf8');
    await append(6, 10);
    // What the log collector kept: the server's lines, among them the anchor at #10.
    const shipped = join(store.dataDir, 'shipped.log');
    writeFileSync(
      shipped,
      [
        JSON.stringify({ level: 30, msg: 'server listening' }),
        JSON.stringify({ level: 30, auditAnchor: JSON.parse(readFileSync(anchor.file, 'utf8')) as unknown }),
        '',
      ].join('\n'),
    );
    await store.db.deleteFrom('audit_log').where('seq', '>', 5).execute();
    writeFileSync(anchor.file, older);
    // The anchor on this machine alone is fooled by the older copy; the shipped one is not.
    expect((await verify()).code).toBe(0);
    const { code, out } = await verify('--anchor', shipped);
    expect(code).toBe(3);
    expect(out[0]).toMatch(/^audit log truncated: records #6 to #10 are missing/);
  });

  it('refuses an anchor line that was made without the key', async () => {
    const forged = { ...(JSON.parse(readFileSync(anchor.file, 'utf8')) as object), seq: 2 };
    const shipped = join(store.dataDir, 'forged.log');
    writeFileSync(shipped, JSON.stringify({ auditAnchor: forged }) + '\n');
    await expect(verify('--anchor', shipped)).rejects.toMatchObject({
      exitCode: 4,
      message: expect.stringMatching(/line 1: the anchor fails its check/) as string,
    });
  });

  it('says the end cannot be checked when the anchor file is gone or edited (exit code 4)', async () => {
    const saved = readFileSync(anchor.file, 'utf8');
    try {
      rmSync(anchor.file);
      const missing = await verify();
      expect(missing.code).toBe(4);
      expect(missing.out[0]).toMatch(
        /^audit chain intact: 3 records, but records cut from its end would not show: there is no anchor/,
      );
      // Moving the anchor back to #1 to hide a cut, without the key: the MAC gives it away.
      writeFileSync(anchor.file, JSON.stringify({ ...(JSON.parse(saved) as object), seq: 1 }));
      const edited = await verify();
      expect(edited.code).toBe(4);
      expect(edited.out[0]).toMatch(/the anchor fails its check/);
    } finally {
      writeFileSync(anchor.file, saved, { mode: 0o600 });
    }
  });

  it('resets the anchor to the log as it is, on the record, and verifies again', async () => {
    await append(4, 10);
    await store.db.deleteFrom('audit_log').where('seq', '>', 5).execute();
    expect((await verify()).code).toBe(3);
    const { context, out } = capture();
    expect(await auditCommand.run(['anchor', '--reset'], context)).toBe(0);
    const line = JSON.parse(out[0]!) as { auditAnchor: { seq: number } };
    // Anchored through the reset's own record, #6.
    expect(line.auditAnchor.seq).toBe(6);
    const last = await store.db
      .selectFrom('audit_log')
      .select(['seq', 'action', 'detail'])
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect(last).toMatchObject({ seq: 6, action: 'audit.anchor.reset' });
    expect(JSON.parse(last.detail)).toEqual({ previousSeq: 10, previousState: 'valid', seq: 5 });
    expect(await verify()).toEqual({ code: 0, out: ['audit chain intact: 6 records, anchored through #6'] });
  });

  it('never moves the anchor onto a broken chain', async () => {
    await store.db.updateTable('audit_log').set({ target: 'envelope:other' }).where('seq', '=', 2).execute();
    const { context } = capture();
    await expect(auditCommand.run(['anchor', '--reset'], context)).rejects.toMatchObject({ exitCode: 1 });
    expect((JSON.parse(readFileSync(anchor.file, 'utf8')) as { seq: number }).seq).toBe(3);
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

  it.runIf(kind === 'postgres')(
    'exports the records a server committed but had not yet sealed, chained after the rest',
    async () => {
      // A server's actions stage their records; this one stopped before its sealer ran.
      bindAuditSealer(auditKey, { sealSoon: () => Promise.resolve() });
      try {
        await appendAudit(store.db, auditKey, store.dialect, {
          actor: 'sender:rep@plan.example',
          action: 'message.read',
          target: 'envelope:env-pending',
          outcome: 'ok',
          detail: {},
        });
      } finally {
        bindAuditSealer(auditKey, undefined);
      }
      const { context, out } = capture();
      expect(await auditCommand.run(['export'], context)).toBe(0);
      const records = out.map((line) => JSON.parse(line) as { seq: number; target: string });
      expect(records.map((r) => r.target)).toEqual([
        'envelope:env-1',
        'envelope:env-2',
        'envelope:env-3',
        'envelope:env-pending',
      ]);
      expect(records.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
      expect(await verify()).toMatchObject({ code: 0 });
    },
  );

  it('rejects bad arguments as usage errors', async () => {
    const { context } = capture();
    await expect(auditCommand.run([], context)).rejects.toThrow(UsageError);
    await expect(auditCommand.run(['shred'], context)).rejects.toThrow(/unknown subcommand/);
    await expect(auditCommand.run(['export', '--from', 'yesterday'], context)).rejects.toThrow(/ISO 8601/);
    await expect(
      auditCommand.run(['export', '--from', '2025-02-01', '--to', '2025-01-01'], context),
    ).rejects.toThrow(/later than/);
    await expect(auditCommand.run(['verify', '--from', '2025-01-01'], context)).rejects.toThrow(UsageError);
    await expect(auditCommand.run(['export', '--reset'], context)).rejects.toThrow(/anchor only/);
    await expect(auditCommand.run(['anchor', '--anchor', 'x.log'], context)).rejects.toThrow(/verify only/);
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
