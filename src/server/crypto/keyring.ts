/**
 * The key file: the AES key-wrapping keys that protect every content key, and
 * the HMAC key of the audit chain. Whoever reads this file can read every
 * message, so it is created owner-only (0600) and the server refuses to start
 * when group or others have any access to it.
 *
 * Rotation adds a key and makes it current; the older keys stay, so whatever
 * is not rewrapped yet (a rotation interrupted, a row written by a server that
 * had not seen the new key) stays readable. A key leaves only when retired
 * (`keys retire`), which the caller allows once nothing stored uses it.
 *
 * Beside the key file lives the audit anchor (see audit/anchor.ts), MACed
 * with the audit key: the keyring binds the two, so every append made with
 * this keyring's audit key moves the anchor.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { AUDIT_ANCHOR_FILE_NAME, AuditAnchor, bindAuditAnchor } from '../audit/anchor';

export const KEY_FILE_NAME = 'keys.json';
/** Production may hand the keys in as this variable (the same JSON as the key file). */
export const KEYS_ENV = 'SECURE_ENVELOPE_KEYS';

const KEY_BYTES = 32;

export interface KeyInfo {
  kid: string;
  createdAt: string;
  current: boolean;
}

export interface Keyring {
  /** The key new content is wrapped with. */
  current(): { kid: string; key: Uint8Array };
  /** The key with this id; throws a KeyringError (`UNKNOWN_KID`) when there is none. */
  get(kid: string): Uint8Array;
  /** The HMAC-SHA256 key of the audit hash chain. */
  readonly auditKey: Uint8Array;
  /** Where the audit chain's head is anchored; undefined for keys with no data folder. */
  readonly auditAnchor: AuditAnchor | undefined;
  /** Ids and dates only, never key material: for `keys list`. */
  list(): KeyInfo[];
  /** Where the keys come from: the key file's path, or the environment variable's name. */
  readonly source: string;
  /** Adds a new key, makes it current and saves the key file; resolves to the new kid. */
  rotate(): Promise<string>;
  /**
   * Removes a key that is not current from the key file, for good. It does
   * not look at stored data: `retireKey` (rotate.ts) checks that first.
   */
  retire(kid: string): Promise<void>;
}

export type KeyringErrorCode =
  | 'KEY_FILE_INSECURE'
  | 'KEY_FILE_INVALID'
  | 'KEY_FILE_UNREADABLE'
  | 'KEY_FILE_BUSY'
  | 'UNKNOWN_KID'
  | 'CURRENT_KID'
  | 'READ_ONLY'
  /** The key file is gone but the store holds data it sealed. */
  | 'KEY_FILE_MISSING'
  /** The store holds data sealed with keys this keyring does not have. */
  | 'KEYS_DO_NOT_MATCH'
  /** The key-encryption key does not open the keys in the database. */
  | 'KEK_MISMATCH';

export class KeyringError extends Error {
  constructor(
    readonly code: KeyringErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'KeyringError';
  }
}

const base64urlKey = z
  .string()
  .regex(/^[\w-]+$/, 'must be base64url')
  .refine((s) => Buffer.from(s, 'base64url').length === KEY_BYTES, 'must be 256 bits');

const keyFileSchema = z
  .object({
    version: z.literal(1),
    current: z.string().min(1),
    keys: z
      .array(
        z.object({
          kid: z.string().regex(/^[\w.-]{1,64}$/, 'must be 1-64 characters of [A-Za-z0-9_.-]'),
          key: base64urlKey,
          createdAt: z.string().min(1),
        }),
      )
      .min(1),
    auditKey: base64urlKey,
  })
  .refine((f) => f.keys.some((k) => k.kid === f.current), 'current must name one of the keys')
  .refine((f) => new Set(f.keys.map((k) => k.kid)).size === f.keys.length, 'kids must be unique');

export type KeyFile = z.infer<typeof keyFileSchema>;

/**
 * The keyring the server and the CLI use: from SECURE_ENVELOPE_KEYS when it is
 * set, otherwise from `<dataDir>/keys.json`, created with fresh keys on first run.
 */
export async function loadOrCreateKeyring(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Keyring> {
  const anchorFile = join(dataDir, AUDIT_ANCHOR_FILE_NAME);
  const fromEnv = env[KEYS_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return keyringFromJson(fromEnv, KEYS_ENV, anchorFile);
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, KEY_FILE_NAME);
  const created = createIfMissing(file);
  const keyring = new FileKeyring(file, readKeyFile(file), anchorFile);
  // A new audit key starts a new, empty chain: anchoring it at once means a
  // log emptied before the first action is caught too.
  if (created && keyring.auditAnchor?.read().status === 'missing') {
    await keyring.auditAnchor.reset({ seq: 0, hash: '0'.repeat(64) });
  }
  return keyring;
}

/**
 * A keyring from JSON held outside the data folder (a secret manager, an
 * environment variable). It cannot rotate: the keys are managed where they
 * live. With `anchorFile`, the audit chain is anchored there.
 */
export function keyringFromJson(json: string, source: string, anchorFile?: string): Keyring {
  return new StaticKeyring(source, parseKeyFile(json, source), anchorFile);
}

/**
 * The keys a deployment already has, from SECURE_ENVELOPE_KEYS or the key
 * file, without creating any: what a move to keys in the database imports.
 */
export function readExistingKeys(dataDir: string, env: NodeJS.ProcessEnv): KeyFile | undefined {
  const fromEnv = env[KEYS_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return parseKeyFile(fromEnv, KEYS_ENV);
  const file = join(dataDir, KEY_FILE_NAME);
  try {
    statSync(file);
  } catch {
    return undefined;
  }
  return readKeyFile(file);
}

/** Fresh key-file contents: one key, one audit key. Exported for `keys` tooling and tests. */
export function newKeyFile(now = new Date()): KeyFile {
  const first = newKey(now);
  return {
    version: 1,
    current: first.kid,
    keys: [first],
    auditKey: randomBytes(KEY_BYTES).toString('base64url'),
  };
}

function newKey(now: Date): KeyFile['keys'][number] {
  // Sortable by date for people reading `keys list`; random so two rotations never collide.
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return {
    kid: `k${day}-${randomBytes(4).toString('hex')}`,
    key: randomBytes(KEY_BYTES).toString('base64url'),
    createdAt: now.toISOString(),
  };
}

export class StaticKeyring implements Keyring {
  #file: KeyFile;
  #keys = new Map<string, Uint8Array>();
  #audit: Uint8Array;
  #anchor: AuditAnchor | undefined;

  constructor(
    readonly source: string,
    file: KeyFile,
    anchorFile?: string,
  ) {
    this.#file = file;
    this.#audit = decodeKey(file.auditKey);
    if (anchorFile !== undefined) {
      this.#anchor = new AuditAnchor(anchorFile, this.#audit);
      bindAuditAnchor(this.#audit, this.#anchor);
    }
    this.load(file);
  }

  get auditKey(): Uint8Array {
    return this.#audit;
  }

  get auditAnchor(): AuditAnchor | undefined {
    return this.#anchor;
  }

  current(): { kid: string; key: Uint8Array } {
    this.refresh();
    const kid = this.#file.current;
    return { kid, key: this.get(kid) };
  }

  get(kid: string): Uint8Array {
    let key = this.#keys.get(kid);
    if (key === undefined) {
      // Perhaps rotated by another process since this keyring was read.
      this.refresh();
      key = this.#keys.get(kid);
    }
    if (key === undefined) throw new KeyringError('UNKNOWN_KID', `no key '${kid}' in ${this.source}`);
    return key;
  }

  list(): KeyInfo[] {
    this.refresh();
    const file = this.#file;
    return file.keys.map((k) => ({ kid: k.kid, createdAt: k.createdAt, current: k.kid === file.current }));
  }

  rotate(): Promise<string> {
    return Promise.reject(
      new KeyringError('READ_ONLY', `the keys come from ${this.source}; rotate them where they are managed`),
    );
  }

  retire(kid: string): Promise<void> {
    return Promise.reject(
      new KeyringError(
        'READ_ONLY',
        `cannot retire '${kid}': the keys come from ${this.source}; remove keys where they are managed`,
      ),
    );
  }

  /** The contents as last loaded. */
  protected contents(): KeyFile {
    return this.#file;
  }

  /** Brings the contents up to date with their source; a fixed source has nothing to do. */
  protected refresh(): void {
    // Nothing changes under a keyring read from the environment.
  }

  /**
   * Takes new contents. A key they lack was retired (the only way a key
   * leaves the file): it is forgotten here too, so a later rotation by this
   * process cannot write it back.
   */
  protected load(file: KeyFile): void {
    if (this.#file.auditKey !== file.auditKey) {
      // The audit chain cannot survive a changed key: refuse rather than break it silently.
      throw new KeyringError('KEY_FILE_INVALID', `${this.source}: the audit key changed`);
    }
    const known = new Set(file.keys.map((k) => k.kid));
    // Not zeroed: a decryption already under way may still hold the bytes.
    for (const kid of [...this.#keys.keys()]) if (!known.has(kid)) this.#keys.delete(kid);
    for (const k of file.keys) if (!this.#keys.has(k.kid)) this.#keys.set(k.kid, decodeKey(k.key));
    this.#file = file;
  }
}

/**
 * The key file on disk. Another process (the `keys rotate` command) may
 * rotate while the server runs, so the file is checked for a change before
 * each use: a stat is cheap next to a message's encryption, and it keeps the
 * server from writing under a retired key or failing to read a rewrapped one.
 */
class FileKeyring extends StaticKeyring {
  #stamp: string;

  constructor(
    readonly file: string,
    contents: KeyFile,
    anchorFile?: string,
  ) {
    super(file, contents, anchorFile);
    this.#stamp = stampOf(file);
  }

  override rotate(): Promise<string> {
    // The executor's throw becomes the promise's rejection.
    return new Promise((resolve) => {
      resolve(
        withLock(this.file, () => {
          this.refresh();
          const key = newKey(new Date());
          const old = this.contents();
          const next: KeyFile = { ...old, current: key.kid, keys: [...old.keys, key] };
          writeAtomically(this.file, JSON.stringify(next, null, 2) + '\n', 'replace');
          this.load(next);
          this.#stamp = stampOf(this.file);
          return key.kid;
        }),
      );
    });
  }

  override retire(kid: string): Promise<void> {
    // The executor's throw becomes the promise's rejection.
    return new Promise((resolve) => {
      withLock(this.file, () => {
        this.refresh();
        const old = this.contents();
        if (!old.keys.some((k) => k.kid === kid))
          throw new KeyringError('UNKNOWN_KID', `no key '${kid}' in ${this.file}`);
        if (old.current === kid)
          throw new KeyringError('CURRENT_KID', `'${kid}' is the current key; rotate before retiring it`);
        const next: KeyFile = { ...old, keys: old.keys.filter((k) => k.kid !== kid) };
        // The rename replaces the file whole; the old key's bytes are gone from it.
        writeAtomically(this.file, JSON.stringify(next, null, 2) + '\n', 'replace');
        this.load(next);
        this.#stamp = stampOf(this.file);
      });
      resolve();
    });
  }

  protected override refresh(): void {
    const stamp = stampOf(this.file);
    if (stamp === this.#stamp) return;
    this.load(readKeyFile(this.file));
    this.#stamp = stamp;
  }
}

/** What changes when the file is replaced or rewritten. */
function stampOf(file: string): string {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.ino}:${s.mtimeNs}:${s.size}`;
  } catch (e) {
    throw new KeyringError('KEY_FILE_UNREADABLE', `cannot read the key file ${file}: ${errorCode(e)}`);
  }
}

function decodeKey(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(value, 'base64url'));
}

function parseKeyFile(json: string, source: string): KeyFile {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    // The parser's message may quote the text, and the text is key material.
    throw new KeyringError('KEY_FILE_INVALID', `${source} is not valid JSON`);
  }
  const parsed = keyFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new KeyringError(
      'KEY_FILE_INVALID',
      `${source}: ${issue.path.join('.') || 'contents'}: ${issue.message}`,
    );
  }
  return parsed.data;
}

/** Reads the key file after checking that nobody but its owner can get at it. */
function readKeyFile(file: string): KeyFile {
  let stat;
  try {
    stat = statSync(file);
  } catch (e) {
    throw new KeyringError('KEY_FILE_UNREADABLE', `cannot read the key file ${file}: ${errorCode(e)}`);
  }
  if (!stat.isFile())
    throw new KeyringError('KEY_FILE_INVALID', `the key file ${file} is not a regular file`);
  // POSIX permissions mean little on Windows, where the folder's ACL protects the file.
  if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(3, '0');
    throw new KeyringError(
      'KEY_FILE_INSECURE',
      `refusing to use the key file ${file}: its mode is ${mode}, so group or others can access it; ` +
        `run 'chmod 600 ${file}' and check who may have copied it`,
    );
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new KeyringError('KEY_FILE_UNREADABLE', `cannot read the key file ${file}: ${errorCode(e)}`);
  }
  return parseKeyFile(text, file);
}

/** Creates the key file unless it exists; true when this call created it. */
function createIfMissing(file: string): boolean {
  try {
    statSync(file);
    return false;
  } catch (e) {
    if (errorCode(e) !== 'ENOENT') {
      throw new KeyringError('KEY_FILE_UNREADABLE', `cannot read the key file ${file}: ${errorCode(e)}`);
    }
  }
  // Two processes starting at once must not each write their own keys: 'create' never overwrites.
  return writeAtomically(file, JSON.stringify(newKeyFile(), null, 2) + '\n', 'create');
}

/**
 * Temp file, fsync, then rename (replace) or link (create, fails if the file
 * exists), then fsync of the folder: the key file is either the old one or
 * the new one, whole, even after a power cut.
 */
function writeAtomically(file: string, text: string, how: 'create' | 'replace'): boolean {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  let written = true;
  try {
    if (how === 'replace') {
      renameSync(temp, file);
    } else {
      try {
        linkSync(temp, file);
      } catch (e) {
        if (errorCode(e) !== 'EEXIST') throw e;
        written = false;
      }
      unlinkSync(temp);
    }
  } catch (e) {
    try {
      unlinkSync(temp);
    } catch {
      // Already gone.
    }
    throw e;
  }
  syncFolder(dirname(file));
  return written;
}

function syncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** One rotation at a time: two rotations reading the same file would each drop the other's key. */
function withLock<T>(file: string, work: () => T): T {
  const lock = `${file}.lock`;
  let fd: number;
  try {
    fd = openSync(lock, 'wx', 0o600);
  } catch (e) {
    if (errorCode(e) === 'EEXIST') {
      throw new KeyringError(
        'KEY_FILE_BUSY',
        `another key rotation holds ${lock}; if none is running, remove that file and try again`,
      );
    }
    throw e;
  }
  try {
    return work();
  } finally {
    closeSync(fd);
    unlinkSync(lock);
  }
}

function errorCode(e: unknown): string {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : 'unknown error';
}
