import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_ANCHOR_FILE_NAME } from '../../../src/server/audit/anchor';
import {
  KEY_FILE_NAME,
  keyringFromJson,
  KeyringError,
  loadOrCreateKeyring,
  newKeyFile,
} from '../../../src/server/crypto/keyring';

const NO_ENV = {};
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'se-keyring-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const keyFile = () => join(dir, KEY_FILE_NAME);
const posix = process.platform !== 'win32';

describe('loadOrCreateKeyring', () => {
  it('creates the key file on first run, owner-only, with one current key and an audit key', async () => {
    const keyring = await loadOrCreateKeyring(dir, NO_ENV);
    if (posix) expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    const { kid, key } = keyring.current();
    expect(key).toHaveLength(32);
    expect(keyring.auditKey).toHaveLength(32);
    expect(Buffer.from(keyring.auditKey).equals(Buffer.from(key))).toBe(false);
    expect(keyring.list()).toEqual([{ kid, createdAt: expect.any(String) as string, current: true }]);
    expect(keyring.source).toBe(keyFile());
  });

  it('loads the same keys on the next run', async () => {
    const first = await loadOrCreateKeyring(dir, NO_ENV);
    const second = await loadOrCreateKeyring(dir, NO_ENV);
    expect(second.current().kid).toBe(first.current().kid);
    expect(Buffer.from(second.current().key).equals(Buffer.from(first.current().key))).toBe(true);
    expect(Buffer.from(second.auditKey).equals(Buffer.from(first.auditKey))).toBe(true);
  });

  it.runIf(posix)('refuses a key file that group or others can read, naming the file', async () => {
    await loadOrCreateKeyring(dir, NO_ENV);
    for (const mode of [0o644, 0o640, 0o604, 0o660]) {
      chmodSync(keyFile(), mode);
      const error = await loadOrCreateKeyring(dir, NO_ENV).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(KeyringError);
      expect((error as KeyringError).code).toBe('KEY_FILE_INSECURE');
      expect((error as KeyringError).message).toContain(keyFile());
    }
  });

  it('refuses a damaged key file without echoing its contents', async () => {
    writeFileSync(keyFile(), '{"version":1,"secret-looking":"AAAA', { mode: 0o600 });
    const error = (await loadOrCreateKeyring(dir, NO_ENV).catch((e: unknown) => e)) as KeyringError;
    expect(error.code).toBe('KEY_FILE_INVALID');
    expect(error.message).toContain(keyFile());
    expect(error.message).not.toContain('secret-looking');
  });

  it('rotates: a new current key, old keys kept, file rewritten whole and still 0600', async () => {
    const keyring = await loadOrCreateKeyring(dir, NO_ENV);
    const old = keyring.current();
    const kid = await keyring.rotate();
    expect(kid).not.toBe(old.kid);
    expect(keyring.current().kid).toBe(kid);
    expect(Buffer.from(keyring.get(old.kid)).equals(Buffer.from(old.key))).toBe(true);
    if (posix) expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    // No temp or lock file left behind; the audit anchor lives beside the keys.
    expect(readdirSync(dir).sort()).toEqual([AUDIT_ANCHOR_FILE_NAME, KEY_FILE_NAME]);
    const reloaded = await loadOrCreateKeyring(dir, NO_ENV);
    expect(reloaded.current().kid).toBe(kid);
    expect(reloaded.list().map((k) => k.kid)).toEqual([old.kid, kid]);
  });

  it('sees a rotation made by another process (the CLI while the server runs)', async () => {
    const server = await loadOrCreateKeyring(dir, NO_ENV);
    const cli = await loadOrCreateKeyring(dir, NO_ENV);
    const kid = await cli.rotate();
    expect(server.current().kid).toBe(kid);
    expect(Buffer.from(server.get(kid)).equals(Buffer.from(cli.get(kid)))).toBe(true);
  });

  it('refuses a second rotation while one holds the lock', async () => {
    const keyring = await loadOrCreateKeyring(dir, NO_ENV);
    writeFileSync(`${keyFile()}.lock`, '');
    await expect(keyring.rotate()).rejects.toMatchObject({ code: 'KEY_FILE_BUSY' });
    rmSync(`${keyFile()}.lock`);
    await expect(keyring.rotate()).resolves.toEqual(expect.any(String));
  });

  it('retires a key that is not current: gone from the file, and from a keyring that read it before', async () => {
    const server = await loadOrCreateKeyring(dir, NO_ENV);
    const old = server.current();
    const oldMaterial = Buffer.from(old.key).toString('base64url');
    const cli = await loadOrCreateKeyring(dir, NO_ENV);
    const kid = await cli.rotate();
    await cli.retire(old.kid);
    const file = readFileSync(keyFile(), 'utf8');
    expect(file).not.toContain(old.kid);
    expect(file).not.toContain(oldMaterial);
    expect(cli.list().map((k) => k.kid)).toEqual([kid]);
    // The server sees the change, forgets the key, and its own rotation cannot bring it back.
    expect(server.current().kid).toBe(kid);
    expect(() => server.get(old.kid)).toThrow(expect.objectContaining({ code: 'UNKNOWN_KID' }) as Error);
    await server.rotate();
    expect(readFileSync(keyFile(), 'utf8')).not.toContain(oldMaterial);
    if (posix) expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
  });

  it('refuses to retire the current key, or one it does not have', async () => {
    const keyring = await loadOrCreateKeyring(dir, NO_ENV);
    await expect(keyring.retire(keyring.current().kid)).rejects.toMatchObject({ code: 'CURRENT_KID' });
    await expect(keyring.retire('k-none')).rejects.toMatchObject({ code: 'UNKNOWN_KID' });
    expect(keyring.list()).toHaveLength(1);
  });

  it('throws UNKNOWN_KID for a key it does not have', async () => {
    const keyring = await loadOrCreateKeyring(dir, NO_ENV);
    expect(() => keyring.get('nope')).toThrow(expect.objectContaining({ code: 'UNKNOWN_KID' }) as Error);
  });

  it('never puts key material in what a log line would show', async () => {
    const keyring = await loadOrCreateKeyring(dir, NO_ENV);
    const file = JSON.parse(readFileSync(keyFile(), 'utf8')) as { keys: { key: string }[]; auditKey: string };
    const shown = JSON.stringify(keyring) + JSON.stringify(keyring.list()) + inspect(keyring, { depth: 5 });
    for (const secret of [file.auditKey, ...file.keys.map((k) => k.key)]) expect(shown).not.toContain(secret);
  });
});

describe('keys from the environment', () => {
  it('are used instead of a key file, and cannot be rotated here', async () => {
    const json = JSON.stringify(newKeyFile());
    const keyring = await loadOrCreateKeyring(dir, { SECURE_ENVELOPE_KEYS: json });
    expect(existsSync(keyFile())).toBe(false);
    expect(keyring.source).toBe('SECURE_ENVELOPE_KEYS');
    expect(keyring.current().key).toHaveLength(32);
    await expect(keyring.rotate()).rejects.toMatchObject({ code: 'READ_ONLY' });
    await expect(keyring.retire(keyring.current().kid)).rejects.toMatchObject({ code: 'READ_ONLY' });
  });

  it('are validated', () => {
    const file = newKeyFile();
    expect(() => keyringFromJson(JSON.stringify({ ...file, current: 'other' }), 'X')).toThrow(/current/);
    expect(() => keyringFromJson(JSON.stringify({ ...file, auditKey: 'c2hvcnQ' }), 'X')).toThrow(/256 bits/);
    expect(() => keyringFromJson('not json', 'X')).toThrow(/not valid JSON/);
  });
});
