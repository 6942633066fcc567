/**
 * The admin commands that work on the server's data (audit, keys) find it as
 * `serve` does: from the config file (SECURE_ENVELOPE_CONFIG or --config), with
 * the environment over it. Nothing in the environment here names the store.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../src/cli/command';
import { createAuditCommand } from '../../src/cli/commands/audit';
import { createKeysCommand } from '../../src/cli/commands/keys';
import { appendAudit, AUDIT_GENESIS } from '../../src/server/audit/audit-log';
import { loadOrCreateKeyring } from '../../src/server/crypto/keyring';
import { openTestStore, PG_ADMIN_URL, STORE_KINDS, type TestStore } from './helpers/stores';

interface Captured extends CommandContext {
  out: string[];
  err: string[];
}

function capture(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: { line: (t) => Promise.resolve(void out.push(t)) },
    stderr: { line: (t) => Promise.resolve(void err.push(t)) },
    stdin: Readable.from([]),
  };
}

describe.each(STORE_KINDS)('admin commands read the config file (%s)', (kind) => {
  let store: TestStore;
  let configDir: string;
  let configFile: string;

  beforeAll(async () => {
    store = await openTestStore(kind);
    const keyring = await loadOrCreateKeyring(store.dataDir, {});
    await keyring.auditAnchor!.reset({ seq: 0, hash: AUDIT_GENESIS });
    await appendAudit(store.db, keyring.auditKey, store.dialect, {
      actor: 'recipient:r1@clinic.example',
      action: 'message.read',
      target: 'envelope:env-1',
      outcome: 'ok',
      detail: {},
    });
    await keyring.auditAnchor!.flush();
    const config: Record<string, string> = { dataDir: store.dataDir };
    if (kind === 'postgres') {
      const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(store.db);
      const url = new URL(PG_ADMIN_URL);
      url.pathname = `/${rows[0]!.name}`;
      config.databaseUrl = url.toString();
    }
    configDir = mkdtempSync(join(tmpdir(), 'se-cli-config-'));
    configFile = join(configDir, 'config.json');
    writeFileSync(configFile, JSON.stringify(config));
  });
  afterAll(async () => {
    rmSync(configDir, { recursive: true, force: true });
    await store.cleanup();
  });

  it('audit verify and export use the file named by SECURE_ENVELOPE_CONFIG', async () => {
    const env = { SECURE_ENVELOPE_CONFIG: configFile };
    const verified = capture();
    expect(await createAuditCommand(env).run(['verify', '--json'], verified)).toBe(0);
    expect(JSON.parse(verified.out[0]!)).toMatchObject({ status: 'intact', records: 1 });
    const exported = capture();
    expect(await createAuditCommand(env).run(['export'], exported)).toBe(0);
    expect(exported.out.map((line) => (JSON.parse(line) as { action: string }).action)).toEqual([
      'message.read',
    ]);
  });

  it('audit verify takes --config as serve does', async () => {
    const verified = capture();
    expect(await createAuditCommand({}).run(['verify', '--config', configFile], verified)).toBe(0);
    expect(verified.out[0]).toMatch(/^audit chain intact: 1 record/);
  });

  it('keys list and rewrap use the file', async () => {
    const env = { SECURE_ENVELOPE_CONFIG: configFile };
    const listed = capture();
    expect(await createKeysCommand(env).run(['list', '--json'], listed)).toBe(0);
    expect((JSON.parse(listed.out.join('\n')) as { keys: unknown[] }).keys).toHaveLength(1);
    // rewrap opens the store: on PostgreSQL only the file's databaseUrl names it.
    const rewrapped = capture();
    expect(await createKeysCommand({}).run(['rewrap', '--json', '--config', configFile], rewrapped)).toBe(0);
  });

  it('the environment still overrides the file, as for serve', async () => {
    const missing = join(configDir, 'missing');
    const env = { SECURE_ENVELOPE_CONFIG: configFile, DATA_DIR: missing };
    await expect(createAuditCommand(env).run(['verify'], capture())).rejects.toThrow(missing);
  });

  it('a config the server would refuse stops the command with the key named', async () => {
    const bad = join(configDir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ dataDir: store.dataDir, nonsense: true }));
    await expect(createAuditCommand({}).run(['verify', '--config', bad], capture())).rejects.toMatchObject({
      exitCode: 2,
      message: expect.stringMatching(/nonsense/) as unknown,
    });
  });
});
