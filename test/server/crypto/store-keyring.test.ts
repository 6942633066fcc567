/**
 * Keys in the database, wrapped by the operator's key-encryption key: every
 * instance with the same KEK reads the same keys, a rotation on one reaches
 * the others, the wrong KEK is refused by name, and a deployment moving from
 * a key file keeps reading what it sealed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decryptContentJson, encryptContent } from '../../../src/server/crypto/content-crypto';
import { KEK_ENV } from '../../../src/server/crypto/kek';
import { KEY_FILE_NAME, loadOrCreateKeyring, newKeyFile } from '../../../src/server/crypto/keyring';
import { isStoreKeyring, openKeyring } from '../../../src/server/crypto/open-keyring';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/stores';

const kek = (): string => randomBytes(32).toString('base64');

describe.each(STORE_KINDS)('keys in the database (%s)', (kind) => {
  let store: TestStore;
  beforeEach(async () => {
    store = await openTestStore(kind);
  });
  afterEach(async () => {
    await store.cleanup();
  });

  it('are made once and read alike by every instance with the same KEK; a rotation on one reaches the other', async () => {
    const env = { [KEK_ENV]: kek() };
    // Two instances: their own data folders, one database.
    const a = await openKeyring(store, join(store.dataDir, 'a'), env);
    const b = await openKeyring(store, join(store.dataDir, 'b'), env);
    expect(isStoreKeyring(a) && isStoreKeyring(b)).toBe(true);
    expect(b.current().kid).toBe(a.current().kid);
    expect(Buffer.from(b.auditKey).equals(Buffer.from(a.auditKey))).toBe(true);

    const sealed = await encryptContent(a, { text: 'Member W123456789' }, 'envelope:e1');
    expect(await decryptContentJson(b, sealed.jwe, 'envelope:e1')).toEqual({ text: 'Member W123456789' });

    const rotated = await a.rotate();
    expect(a.current().kid).toBe(rotated);
    if (!isStoreKeyring(b)) throw new Error('a store keyring');
    await b.reload();
    expect(b.current().kid).toBe(rotated);
    const later = await encryptContent(b, { text: 'after rotation' }, 'envelope:e2');
    expect(await decryptContentJson(a, later.jwe, 'envelope:e2')).toEqual({ text: 'after rotation' });
    // No key file was made: the keys are in the database only.
    expect(existsSync(join(store.dataDir, 'a', KEY_FILE_NAME))).toBe(false);
    expect(existsSync(join(store.dataDir, 'b', KEY_FILE_NAME))).toBe(false);
    const rows = await store.db.selectFrom('data_keys').selectAll().execute();
    expect(rows.map((r) => r.purpose).sort()).toEqual(['audit', 'content', 'content']);
    for (const r of rows)
      expect(r.wrapped).not.toContain(Buffer.from(a.get(a.current().kid)).toString('base64url'));
  });

  it('refuses another KEK, naming it, and a wrapped key moved to another row', async () => {
    const env = { [KEK_ENV]: kek() };
    await openKeyring(store, store.dataDir, env);
    await expect(openKeyring(store, store.dataDir, { [KEK_ENV]: kek() })).rejects.toMatchObject({
      code: 'KEK_MISMATCH',
      message: expect.stringContaining(`${KEK_ENV} does not open the keys stored in the database`) as string,
    });
    // Each wrapped key is bound to its row: the audit key's wrapping put on the content key does not open.
    const audit = await store.db
      .selectFrom('data_keys')
      .select('wrapped')
      .where('purpose', '=', 'audit')
      .executeTakeFirstOrThrow();
    await store.db
      .updateTable('data_keys')
      .set({ wrapped: audit.wrapped })
      .where('purpose', '=', 'content')
      .execute();
    await expect(openKeyring(store, store.dataDir, env)).rejects.toMatchObject({ code: 'KEK_MISMATCH' });
  });

  it('imports the key file of a deployment moving to a KEK, so what it sealed stays readable', async () => {
    const file = await loadOrCreateKeyring(store.dataDir, {});
    const sealed = await encryptContent(file, { text: 'sealed before the move' }, 'envelope:old');
    const moved = await openKeyring(store, store.dataDir, { [KEK_ENV]: kek() });
    expect(isStoreKeyring(moved)).toBe(true);
    expect(moved.current().kid).toBe(file.current().kid);
    expect(await decryptContentJson(moved, sealed.jwe, 'envelope:old')).toEqual({
      text: 'sealed before the move',
    });
  });

  it('refuses a KEK with an empty key table beside sealed data and no key file to import', async () => {
    const file = newKeyFile();
    await store.db
      .insertInto('envelopes')
      .values({
        id: 'e-old',
        sender: 'rep@plan.example',
        sender_name: null,
        sender_subject: 's',
        tenant_id: 't',
        content_jwe: '{}',
        content_kid: file.current,
        created_at: new Date().toISOString(),
        expires_at: new Date().toISOString(),
        revoked_at: null,
      })
      .execute();
    await expect(
      openKeyring(store, join(store.dataDir, 'empty'), { [KEK_ENV]: kek() }),
    ).rejects.toMatchObject({
      code: 'KEY_FILE_MISSING',
      message: expect.stringContaining(file.current) as string,
    });
    // With the key file beside, it is imported and the store opens.
    writeFileSync(join(store.dataDir, KEY_FILE_NAME), JSON.stringify(file), { mode: 0o600 });
    const keyring = await openKeyring(store, store.dataDir, { [KEK_ENV]: kek() });
    expect(keyring.list().map((k) => k.kid)).toContain(file.current);
  });
});
