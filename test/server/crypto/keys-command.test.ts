import { chmodSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from '../../../src/cli/command';
import { createKeysCommand } from '../../../src/cli/commands/keys';
import { encryptContent } from '../../../src/server/crypto/content-crypto';
import { loadOrCreateKeyring } from '../../../src/server/crypto/keyring';
import { openTestStore, type TestStore } from '../helpers/stores';

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
    stdin: process.stdin,
  };
}

describe('secure-envelope keys', () => {
  let store: TestStore;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    store = await openTestStore('sqlite');
    env = { DATA_DIR: store.dataDir };
    const keyring = await loadOrCreateKeyring(store.dataDir, {});
    const content = await encryptContent(keyring, { subject: 's' }, 'envelope:e1');
    await store.db
      .insertInto('envelopes')
      .values({
        id: 'e1',
        sender: 'rep@plan.example',
        sender_subject: 'sub',
        tenant_id: 't',
        content_jwe: content.jwe,
        content_kid: content.kid,
        created_at: new Date().toISOString(),
        expires_at: new Date().toISOString(),
        revoked_at: null,
      })
      .execute();
  });
  afterAll(async () => {
    await store.cleanup();
  });

  const secrets = () => {
    const file = JSON.parse(readFileSync(join(store.dataDir, 'keys.json'), 'utf8')) as {
      keys: { key: string }[];
      auditKey: string;
    };
    return [file.auditKey, ...file.keys.map((k) => k.key)];
  };

  it('rotates and rewraps, then lists both keys with the new one current, never printing key material', async () => {
    const rotate = capture();
    expect(await createKeysCommand(env).run(['rotate', '--json'], rotate)).toBe(0);
    const result = JSON.parse(rotate.out.join('\n')) as { kid: string; envelopes: number };
    expect(result.envelopes).toBe(1);
    const audit = await store.db.selectFrom('audit_log').select(['action', 'target', 'actor']).execute();
    expect(audit).toContainEqual({ action: 'keys.rotated', target: `key:${result.kid}`, actor: 'admin:cli' });

    const list = capture();
    expect(await createKeysCommand(env).run(['list'], list)).toBe(0);
    expect(list.out).toHaveLength(3);
    expect(list.out[2]).toMatch(new RegExp(`^${result.kid}\\s+\\S+\\s+yes$`));
    expect(list.out[1]).not.toContain('yes');

    const json = capture();
    expect(await createKeysCommand(env).run(['list', '--json'], json)).toBe(0);
    const all = [...rotate.out, ...list.out, ...json.out].join('\n');
    for (const secret of secrets()) expect(all).not.toContain(secret);
  });

  it('rewrap finds nothing left to do', async () => {
    const out = capture();
    expect(await createKeysCommand(env).run(['rewrap'], out)).toBe(0);
    expect(out.out[0]).toMatch(
      /rewrapped 0 envelope\(s\), 0 attachment\(s\), 0 portal message\(s\), 0 portal attachment\(s\), 0 stored idempotency response\(s\) and 0 queued notice\(s\)/,
    );
  });

  it('retires an old key only once nothing uses it, saying what still does', async () => {
    const keyring = await loadOrCreateKeyring(store.dataDir, {});
    const [first, second] = keyring.list().map((k) => k.kid);
    // Two messages under the current key (e1 since the first test), then a rotation not rewrapped yet.
    const content = await encryptContent(keyring, { subject: 's2' }, 'envelope:e2');
    await store.db
      .insertInto('envelopes')
      .values({
        id: 'e2',
        sender: 'rep@plan.example',
        sender_subject: 'sub',
        tenant_id: 't',
        content_jwe: content.jwe,
        content_kid: content.kid,
        created_at: new Date().toISOString(),
        expires_at: new Date().toISOString(),
        revoked_at: null,
      })
      .execute();
    const third = await keyring.rotate();

    const refused = capture();
    expect(await createKeysCommand(env).run(['retire', second!], refused)).toBe(1);
    expect(refused.err).toEqual([
      expect.stringMatching(
        new RegExp(`^secure-envelope keys: key ${second!} is still used by 2 message\\(s\\); it stays\\.`),
      ) as string,
    ]);
    expect(readFileSync(join(store.dataDir, 'keys.json'), 'utf8')).toContain(second!);

    await expect(createKeysCommand(env).run(['retire', third], capture())).rejects.toMatchObject({
      exitCode: 1,
      message: expect.stringMatching(/current key/) as string,
    });

    expect(await createKeysCommand(env).run(['rewrap'], capture())).toBe(0);
    for (const kid of [second!, first!]) {
      const done = capture();
      expect(await createKeysCommand(env).run(['retire', kid], done)).toBe(0);
      expect(done.out).toEqual([`retired key ${kid}: it is no longer in the key file`]);
    }
    const list = capture();
    expect(await createKeysCommand(env).run(['list', '--json'], list)).toBe(0);
    expect((JSON.parse(list.out.join('\n')) as { keys: { kid: string }[] }).keys.map((k) => k.kid)).toEqual([
      third,
    ]);
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['action', 'target', 'outcome'])
      .where('action', '=', 'keys.retired')
      .orderBy('seq')
      .execute();
    expect(audit).toEqual([
      { action: 'keys.retired', target: `key:${second!}`, outcome: 'denied' },
      { action: 'keys.retired', target: `key:${second!}`, outcome: 'ok' },
      { action: 'keys.retired', target: `key:${first!}`, outcome: 'ok' },
    ]);
  });

  it('rejects bad usage with exit code 2', async () => {
    await expect(createKeysCommand(env).run([], capture())).rejects.toMatchObject({ exitCode: 2 });
    await expect(createKeysCommand(env).run(['burn'], capture())).rejects.toMatchObject({ exitCode: 2 });
    await expect(createKeysCommand(env).run(['list', 'x'], capture())).rejects.toMatchObject({ exitCode: 2 });
    await expect(createKeysCommand(env).run(['retire'], capture())).rejects.toMatchObject({ exitCode: 2 });
  });

  it.runIf(process.platform !== 'win32')(
    'refuses a world-readable key file with a message naming it',
    async () => {
      const file = join(store.dataDir, 'keys.json');
      chmodSync(file, 0o644);
      try {
        await expect(createKeysCommand(env).run(['list'], capture())).rejects.toMatchObject({
          exitCode: 1,
          message: expect.stringContaining(file) as string,
        });
      } finally {
        chmodSync(file, 0o600);
      }
    },
  );
});
