/**
 * `secure-envelope backup`: a copy of an embedded installation that can be
 * taken while the server runs and writes, and brought back with `restore`
 * (./restore.ts, which reads what this module writes).
 *
 * The database is copied through SQLite's online backup API, never as a file:
 * the newest commits live in the -wal file, and a file copy misses them. With
 * it go what is needed to read and check it: the key file, the audit anchor
 * and the attachment blobs of the file blob store. A manifest lists every file
 * with its SHA-256, so a backup that was damaged or edited is refused.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, open, readdir, readFile, rm, rmdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { AUDIT_ANCHOR_FILE_NAME } from '../../server/audit/anchor';
import type { Config } from '../../server/config';
import { KEK_ENV, KEK_FILE_ENV } from '../../server/crypto/kek';
import { KEY_FILE_NAME, KEYS_ENV, keyringFromJson } from '../../server/crypto/keyring';
import { SQLITE_FILE_NAME } from '../../server/store/sqlite-file';
import { parseFlags } from '../args';
import { CliError, UsageError, type Command, type CommandContext } from '../command';
import { loadServerConfig } from '../server-config';

/** The files of a backup folder. */
export const MANIFEST_FILE = 'manifest.json';
export const STORE_COPY = 'store.sqlite';
/** Named as in the data folder, so a backup reads like one. */
export const KEY_COPY = KEY_FILE_NAME;
export const ANCHOR_COPY = AUDIT_ANCHOR_FILE_NAME;
export const BLOBS_FOLDER = 'blobs';

const FORMAT = 'secure-envelope-backup/1';
const READ_SIZE = 1024 * 1024;

/** What the manifest counts, by table: restore counts the same rows again and compares. */
export const COUNTED_TABLES = {
  envelopes: 'envelopes',
  outbox: 'outbox',
  auditRecords: 'audit_log',
} as const;
/** Where rows name their attachment's blob (the portal's table may be absent from an old store). */
export const BLOB_COLUMNS = [
  ['attachments', 'blob_key'],
  ['portal_attachments', 'blob_key'],
] as const;

/** Where rows name the key their content key is wrapped under. */
export const KID_COLUMNS = [
  ['envelopes', 'content_kid'],
  ['attachments', 'wrapped_kid'],
  ['portal_messages', 'content_kid'],
  ['portal_attachments', 'wrapped_kid'],
] as const;

/** A blob's path in the store and in a backup: `blobs/<first two characters>/<key>` (fs-blob-store.ts). */
const BLOB_KEY = /^[\w-]{2,200}$/;
const BLOB_PATH = /^blobs\/([\w-]{2})\/([\w-]{2,200})$/;

/** A file's path in the backup folder: only the names a backup writes, so no manifest can point outside. */
export function isBackupPath(path: string): boolean {
  if (path === STORE_COPY || path === KEY_COPY || path === ANCHOR_COPY) return true;
  const blob = BLOB_PATH.exec(path);
  return blob !== null && blob[2]!.startsWith(blob[1]!);
}

const fileEntry = z
  .object({
    path: z.string().refine(isBackupPath, 'is not a file a backup holds'),
    bytes: z.number().int().nonnegative(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 in hex'),
  })
  .strict();

export const manifestSchema = z
  .object({
    format: z.literal(FORMAT),
    /** When the database was copied: the backup holds what had committed by then. */
    createdAt: z.string(),
    /** The data folder it was taken from, for the admin reading it. */
    dataDir: z.string(),
    store: z.literal('sqlite'),
    /** The newest schema migration in the copy. */
    migration: z.string().nullable(),
    counts: z
      .object({
        envelopes: z.number().int().nonnegative(),
        outbox: z.number().int().nonnegative(),
        auditRecords: z.number().int().nonnegative(),
      })
      .strict(),
    /**
     * Where the keys were: in the backup ('file'), in the environment, or in
     * the database itself wrapped by a key-encryption key ('database'): then
     * the copy holds them, and the KEK (never in the backup) opens them.
     */
    keys: z.enum(['file', 'environment', 'database']),
    anchor: z.boolean(),
    /** Copied: the file blob store, with its file count. Otherwise where the blobs live. */
    blobs: z.union([
      z.object({ copied: z.literal(true), count: z.number().int().nonnegative() }).strict(),
      z.object({ copied: z.literal(false), location: z.string() }).strict(),
    ]),
    files: z.array(fileEntry),
  })
  .strict()
  .refine((m) => new Set(m.files.map((f) => f.path)).size === m.files.length, 'a file is listed twice')
  .refine((m) => m.files.some((f) => f.path === STORE_COPY), `${STORE_COPY} is not listed`)
  .refine(
    (m) => (m.keys === 'file') === m.files.some((f) => f.path === KEY_COPY),
    `keys and the listing of ${KEY_COPY} disagree`,
  );

export type BackupManifest = z.infer<typeof manifestSchema>;
export type FileEntry = z.infer<typeof fileEntry>;

const USAGE = `usage: secure-envelope backup --to DIR [--config FILE]

Copies the embedded store into DIR, which must be empty or not exist yet,
safely while the server runs and writes: the database through SQLite's
online backup API (a copy of one moment, with every transaction committed
by then, including those still in the -wal file that a file copy misses).
Beside it go what is needed to read and check it:

  store.sqlite        the database
  keys.json           the key file (not when the keys come from
                      SECURE_ENVELOPE_KEYS: back that up where it is kept;
                      nor with a key-encryption key, SECURE_ENVELOPE_KEK or
                      SECURE_ENVELOPE_KEK_FILE: the keys are in the database,
                      wrapped by it, and the KEK is kept where it is managed)
  audit-anchor.json   the audit anchor (see 'audit verify')
  blobs/              the attachment blobs of the file blob store (not when
                      the configuration puts them elsewhere: back them up there)
  manifest.json       when, the schema migration, counts of envelopes, outbox
                      rows and audit records, and the SHA-256 of each file

Everything is owner-only (files 0600, folders 0700): the key file opens every
message. 'secure-envelope restore --from DIR' brings a backup back.

With PostgreSQL (databaseUrl or DATABASE_URL), backup refuses: use pg_dump
or point-in-time recovery, and keep the key file and the anchor beside it.

  --to DIR       the folder to write the backup to
  --config FILE  the server's config file (or SECURE_ENVELOPE_CONFIG)
  -h, --help     show this help

The data folder is the server's, read as serve reads it: the config file's
dataDir, overridden by DATA_DIR (default ./data).

Exit codes: 0 written, 1 the store, keys or a file could not be read or
written (nothing is left in DIR then), 2 bad arguments, DIR not empty, or a
PostgreSQL store.`;

const FLAGS = {
  to: { type: 'string' },
  config: { type: 'string' },
} as const;

/** The command, reading the server's configuration from `env` (tests pass their own). */
export function createBackupCommand(env: NodeJS.ProcessEnv = process.env): Command {
  return {
    name: 'backup',
    summary: 'copy the embedded store, keys, audit anchor and blobs, safely while the server runs',
    usage: USAGE,
    async run(args, context) {
      const { flags, positionals } = parseFlags(args, FLAGS);
      if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]!}'`, true);
      if (typeof flags.to !== 'string') throw new UsageError('--to DIR is required', true);
      const config = await loadServerConfig(env, typeof flags.config === 'string' ? flags.config : undefined);
      const keys = keySourceOf(env);
      const blobs = await blobLocation(config);
      if (config.databaseUrl !== undefined)
        throw new CliError(postgresAdvice(config.dataDir, keys, blobs), 2);
      // Whatever this process creates (the copy's journal, folders) is for its owner only.
      process.umask(0o077);
      return backup(config.dataDir, resolve(flags.to), keys, blobs, context);
    },
  };
}

export const backupCommand: Command = createBackupCommand();

/** Where the attachment blobs are: a folder this command copies, or a store it names and leaves. */
export type BlobLocation = { copied: true; root: string } | { copied: false; location: string };

export async function blobLocation(config: Config): Promise<BlobLocation> {
  const { createBlobStore } = await import('../../server/blobs/index');
  const { FsBlobStore } = await import('../../server/blobs/fs-blob-store');
  const store = createBlobStore(config);
  if (store instanceof FsBlobStore) return { copied: true, root: store.root };
  // An object store names its bucket; nothing here talks to it.
  const bucket = 'bucket' in store && typeof store.bucket === 'string' ? store.bucket : undefined;
  const prefix = 'prefix' in store && typeof store.prefix === 'string' ? store.prefix : '';
  return {
    copied: false,
    location:
      bucket === undefined
        ? 'the configured blob store'
        : `the bucket ${bucket}${prefix === '' ? '' : ` (prefix ${prefix})`}`,
  };
}

/** Where the server reads its keys, as serve decides it (open-keyring.ts). */
export type KeySource =
  | { kind: 'file' }
  | { kind: 'environment'; json: string }
  /** In the database, wrapped by the key-encryption key named by `kekVariable`. */
  | { kind: 'database'; kekVariable: string };

export function keySourceOf(env: NodeJS.ProcessEnv): KeySource {
  for (const name of [KEK_ENV, KEK_FILE_ENV]) {
    if (env[name] !== undefined && env[name] !== '') return { kind: 'database', kekVariable: name };
  }
  const json = env[KEYS_ENV];
  return json === undefined || json === '' ? { kind: 'file' } : { kind: 'environment', json };
}

function postgresAdvice(dataDir: string, source: KeySource, blobs: BlobLocation): string {
  const keys =
    source.kind === 'database'
      ? `the key-encryption key of ${source.kekVariable} (the keys themselves are in the database, ` +
        'wrapped by it, so the dump holds them)'
      : source.kind === 'environment'
        ? `the keys in ${KEYS_ENV} (kept where that value is managed)`
        : `the key file ${join(dataDir, KEY_COPY)}`;
  const blobNote = blobs.copied ? `, and the attachment blobs in ${blobs.root}` : '';
  return (
    'the store is PostgreSQL (databaseUrl or DATABASE_URL), which this command does not copy: ' +
    "back it up with PostgreSQL's own tools, pg_dump for a snapshot or WAL archiving for " +
    `point-in-time recovery (PITR). Back up beside it ${keys} and the audit anchor ` +
    `${join(dataDir, ANCHOR_COPY)}${blobNote}: without the keys nothing stored can be read, ` +
    'and without the anchor a log cut short cannot be told from a whole one'
  );
}

async function backup(
  dataDir: string,
  target: string,
  keys: KeySource,
  blobs: BlobLocation,
  context: CommandContext,
): Promise<number> {
  const live = join(dataDir, SQLITE_FILE_NAME);
  const keyFile = join(dataDir, KEY_COPY);
  // Opening the store would create it: a mistyped DATA_DIR must not back up an empty one.
  if (!existsSync(live))
    throw new CliError(`no database in ${dataDir} (set DATA_DIR to the server's data folder)`, 1);
  if (keys.kind === 'file' && !existsSync(keyFile))
    throw new CliError(`no key file at ${keyFile} (set DATA_DIR, ${KEYS_ENV} or ${KEK_ENV})`, 1);
  const createdTarget = await takeEmptyFolder(target, 'a backup goes into an empty or new folder');
  const written = new Written(target, createdTarget);
  try {
    const manifest = await writeBackup(dataDir, target, keys, blobs, written, context);
    await report(manifest, target, context);
    return 0;
  } catch (e) {
    // Half a backup must never pass for a whole one: what this run wrote goes.
    await written.undo();
    if (e instanceof CliError) throw e;
    throw new CliError(`backup failed, nothing kept in ${target}: ${messageOf(e)}`, 1);
  }
}

async function writeBackup(
  dataDir: string,
  target: string,
  keys: KeySource,
  blobs: BlobLocation,
  written: Written,
  context: CommandContext,
): Promise<BackupManifest> {
  const { copyLiveSqlite, openSqliteSnapshot } = await import('../../server/store/sqlite-backup');
  const files: FileEntry[] = [];

  // The anchor before the database: the server moves it only after a commit,
  // so the copy then names a record the database copy is sure to hold. Taken
  // after, it could vouch for records the copy lacks, and the restored log
  // would look cut short.
  const anchorFile = join(dataDir, ANCHOR_COPY);
  let anchor = false;
  if (existsSync(anchorFile)) {
    written.file(ANCHOR_COPY);
    files.push({ path: ANCHOR_COPY, ...(await copyHashed(anchorFile, join(target, ANCHOR_COPY))) });
    anchor = true;
  } else {
    await context.stderr.line(
      `secure-envelope backup: no audit anchor at ${anchorFile}; the backup has none ` +
        `(after a restore, 'secure-envelope audit anchor --reset' makes one)`,
    );
  }

  const storeCopy = join(target, STORE_COPY);
  written.file(STORE_COPY);
  const takenAt = new Date();
  await copyLiveSqlite(join(dataDir, SQLITE_FILE_NAME), storeCopy);
  await chmod(storeCopy, 0o600);
  const snapshot = openSqliteSnapshot(storeCopy);
  let migration: string | undefined;
  let counts: BackupManifest['counts'];
  const referenced = new Set<string>();
  const kids = new Set<string>();
  let wrappedKids: string[] = [];
  try {
    migration = snapshot.migration();
    counts = {
      envelopes: snapshot.count(COUNTED_TABLES.envelopes),
      outbox: snapshot.count(COUNTED_TABLES.outbox),
      auditRecords: snapshot.count(COUNTED_TABLES.auditRecords),
    };
    for (const [table, column] of BLOB_COLUMNS) {
      for (const key of snapshot.distinct(table, column)) referenced.add(key);
    }
    for (const [table, column] of KID_COLUMNS) {
      for (const kid of snapshot.distinct(table, column)) kids.add(kid);
    }
    wrappedKids = snapshot.distinct('data_keys', 'kid');
  } finally {
    snapshot.close();
  }
  files.push({ path: STORE_COPY, ...(await hashFile(storeCopy)) });

  // The keys after the database: a rotation meanwhile only adds keys, so the
  // copy holds every key the database copy's rows can name.
  if (keys.kind === 'file') {
    written.file(KEY_COPY);
    files.push({ path: KEY_COPY, ...(await copyHashed(join(dataDir, KEY_COPY), join(target, KEY_COPY))) });
  }
  // A key retired while the backup ran would leave rows of the copy unreadable: say so now, not at a restore.
  if (keys.kind === 'database') {
    const held = new Set(wrappedKids);
    const lacking = [...kids].filter((kid) => !held.has(kid)).sort();
    if (lacking.length > 0)
      throw new CliError(
        `the store copy names the key(s) ${lacking.join(', ')}, which its data_keys table lacks ` +
          '(was a key retired while the backup ran? Run the backup again)',
        1,
      );
  } else {
    const keySource = keys.kind === 'file' ? join(target, KEY_COPY) : KEYS_ENV;
    const json = keys.kind === 'environment' ? keys.json : await readFile(keySource, 'utf8');
    const lacking = keysLacking(kids, json, keySource);
    if (lacking.length > 0) {
      const why =
        keys.kind === 'file'
          ? 'was a key retired while the backup ran? Run the backup again'
          : `does ${KEYS_ENV} here hold the server's keys?`;
      throw new CliError(
        `${keySource} lacks the key(s) ${lacking.join(', ')}, which the store copy uses (${why})`,
        1,
      );
    }
  }

  // Blobs after the database too: an attachment's blob is written before its
  // row commits, so every blob the copy names is there by now (unless the
  // retention sweep has deleted it since, with its expired row).
  let blobCount = 0;
  if (blobs.copied) {
    const copied = await copyBlobs(blobs.root, target, written, files);
    blobCount = copied.size;
    const missing = [...referenced].filter((key) => !copied.has(key));
    if (missing.length > 0) {
      await context.stderr.line(
        `secure-envelope backup: ${missing.length} attachment blob(s) the store names are not in ` +
          `${blobs.root} (first: ${missing[0]!}); those attachments will not open after a restore`,
      );
    }
  }

  const manifest: BackupManifest = {
    format: FORMAT,
    createdAt: takenAt.toISOString(),
    dataDir,
    store: 'sqlite',
    migration: migration ?? null,
    counts,
    keys: keys.kind,
    anchor,
    blobs: blobs.copied ? { copied: true, count: blobCount } : { copied: false, location: blobs.location },
    files,
  };
  // The manifest last: a folder without one is not a backup, whatever else it holds.
  written.file(MANIFEST_FILE);
  await writeNewFile(join(target, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  if (blobs.copied) await syncFolders(join(target, BLOBS_FOLDER));
  await syncFolder(target);
  return manifest;
}

/** Copies every blob file under `root`; resolves to the keys copied. */
async function copyBlobs(
  root: string,
  target: string,
  written: Written,
  files: FileEntry[],
): Promise<Set<string>> {
  const copied = new Set<string>();
  const shards = await entries(root);
  if (shards.length === 0) return copied;
  written.folder(BLOBS_FOLDER);
  await mkdir(join(target, BLOBS_FOLDER), { mode: 0o700 });
  for (const shard of shards.sort()) {
    if (!/^[\w-]{2}$/.test(shard)) continue;
    // Temporary files of a write under way start with a dot and are never blobs (fs-blob-store.ts).
    const keys = (await entries(join(root, shard))).filter((k) => BLOB_KEY.test(k) && k.startsWith(shard));
    if (keys.length === 0) continue;
    await mkdir(join(target, BLOBS_FOLDER, shard), { mode: 0o700 });
    for (const key of keys.sort()) {
      const path = `${BLOBS_FOLDER}/${shard}/${key}`;
      try {
        files.push({ path, ...(await copyHashed(join(root, shard, key), join(target, path))) });
        copied.add(key);
      } catch (e) {
        // Deleted since the folder was listed (the retention sweep): not part of the copy.
        if (errorCode(e) !== 'ENOENT') throw e;
      }
    }
  }
  return copied;
}

async function report(manifest: BackupManifest, target: string, context: CommandContext): Promise<void> {
  const { counts } = manifest;
  const lines = [
    `backup written to ${target} (${MANIFEST_FILE}, ${manifest.files.length + 1} files)`,
    `  store    ${STORE_COPY}: ${counts.envelopes} envelope(s), ${counts.outbox} outbox row(s), ` +
      `${counts.auditRecords} audit record(s); schema ${manifest.migration ?? '(none)'}`,
    manifest.keys === 'environment'
      ? `  keys     not in the backup: they come from ${KEYS_ENV}, which must be backed up where it is kept`
      : manifest.keys === 'database'
        ? `  keys     in ${STORE_COPY}, wrapped by the key-encryption key, which is not in the backup: ` +
          'keep it where it is managed; a restore needs it'
        : `  keys     ${KEY_COPY}: it opens every message, keep the backup as safe as the server`,
    manifest.anchor ? `  anchor   ${ANCHOR_COPY}` : '  anchor   none (there was no anchor file)',
    manifest.blobs.copied
      ? `  blobs    ${manifest.blobs.count} attachment blob(s) in ${BLOBS_FOLDER}/`
      : `  blobs    not copied: they live in ${manifest.blobs.location}; back them up there`,
  ];
  for (const line of lines) await context.stdout.line(line);
}

/** The key ids of `kids` that the key ring in `json` does not hold. */
export function keysLacking(kids: Iterable<string>, json: string, source: string): string[] {
  let held: Set<string>;
  try {
    held = new Set(
      keyringFromJson(json, source)
        .list()
        .map((k) => k.kid),
    );
  } catch (e) {
    throw new CliError(messageOf(e), 1);
  }
  return [...kids].filter((kid) => !held.has(kid)).sort();
}

/**
 * Refuses a folder that holds anything: a backup or a restore writes only
 * into an empty (or new) folder, so it never replaces a file. `describe`
 * says what a name found there is.
 */
export async function assertEmptyFolder(
  folder: string,
  why: string,
  describe: (name: string) => string = (name) => name,
): Promise<void> {
  const found = (await entries(folder)).sort();
  if (found.length === 0) return;
  const shown = found.slice(0, 5).map(describe).join(', ');
  const more = found.length > 5 ? `, and ${found.length - 5} more` : '';
  throw new CliError(`${folder} is not empty: it holds ${shown}${more}; ${why}`, 2);
}

/** Makes the empty `folder` ready to write into (0700), creating it if need be; resolves to whether it was created. */
export async function takeEmptyFolder(folder: string, why: string): Promise<boolean> {
  await assertEmptyFolder(folder, why);
  let created: string | undefined;
  try {
    created = await mkdir(folder, { recursive: true, mode: 0o700 });
    await chmod(folder, 0o700);
  } catch (e) {
    throw new CliError(`cannot create ${folder}: ${messageOf(e)}`, 1);
  }
  return created !== undefined;
}

/** The names in a folder; none when it does not exist. */
async function entries(folder: string): Promise<string[]> {
  try {
    return await readdir(folder);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return [];
    if (errorCode(e) === 'ENOTDIR') throw new CliError(`${folder} is not a folder`, 2);
    throw e;
  }
}

/**
 * What a run wrote into a folder that was empty, so a failure can take it all
 * back and leave the folder as it found it. Paths are recorded before the
 * file is made, so a file cut short by the failure goes too.
 */
export class Written {
  readonly #files: string[] = [];
  readonly #folders: string[] = [];

  constructor(
    readonly root: string,
    readonly createdRoot: boolean,
  ) {}

  file(path: string): void {
    this.#files.push(path);
  }

  folder(path: string): void {
    this.#folders.push(path);
  }

  async undo(): Promise<void> {
    for (const path of this.#files) await rm(join(this.root, path), { force: true }).catch(() => undefined);
    // Only folders this run made, which held nothing but what it wrote.
    for (const path of this.#folders.reverse())
      await rm(join(this.root, path), { recursive: true, force: true }).catch(() => undefined);
    if (this.createdRoot) await rmdir(this.root).catch(() => undefined);
  }
}

/** Size and SHA-256 of what the file holds now. */
export async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  return hashChunks(file, () => Promise.resolve());
}

/**
 * Copies `from` to the new file `to` (0600; an existing file is never
 * replaced), synced, hashing the bytes as they pass: the hash is of exactly
 * what was written.
 */
export async function copyHashed(from: string, to: string): Promise<{ bytes: number; sha256: string }> {
  // Opened first: a missing source fails before the copy exists.
  const source = await open(from, 'r');
  await source.close();
  const copy = await open(to, 'wx', 0o600);
  try {
    const result = await hashChunks(from, async (chunk) => {
      await copy.write(chunk);
    });
    await copy.sync();
    return result;
  } finally {
    await copy.close();
  }
}

/** Reads `file` in READ_SIZE chunks, hashing each and handing it to `each` in order. */
async function hashChunks(
  file: string,
  each: (chunk: Buffer) => Promise<void>,
): Promise<{ bytes: number; sha256: string }> {
  const source = await open(file, 'r');
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(READ_SIZE);
    let bytes = 0;
    for (;;) {
      const { bytesRead } = await source.read(buffer, 0, READ_SIZE, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      await each(chunk);
      bytes += bytesRead;
    }
    return { bytes, sha256: hash.digest('hex') };
  } finally {
    await source.close();
  }
}

/** A new file (0600), synced. */
export async function writeNewFile(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Makes the new names in `folder` durable: a file synced but not its folder entry may vanish in a power cut. */
export async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** `folder` and every folder one level below it (the blob shards); nothing when there is no such folder. */
export async function syncFolders(folder: string): Promise<void> {
  if (!existsSync(folder)) return;
  for (const name of await entries(folder)) await syncFolder(join(folder, name));
  await syncFolder(folder);
}

export function errorCode(e: unknown): string | undefined {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
