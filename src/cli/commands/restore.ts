/**
 * `secure-envelope restore`: puts a backup written by `backup` (./backup.ts)
 * into an empty data folder, after checking every file against the manifest,
 * and checks what it wrote before it says it is done. It never writes over a
 * file: a data folder that holds anything is refused.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join, posix, resolve } from 'node:path';
import { AUDIT_ANCHOR_FILE_NAME } from '../../server/audit/anchor';
import { KEK_ENV, KEK_FILE_ENV } from '../../server/crypto/kek';
import { KEY_FILE_NAME, KEYS_ENV } from '../../server/crypto/keyring';
import { SQLITE_FILE_NAME } from '../../server/store/sqlite-file';
import { parseFlags } from '../args';
import { CliError, UsageError, type Command, type CommandContext } from '../command';
import { loadServerConfig } from '../server-config';
import {
  ANCHOR_COPY,
  assertEmptyFolder,
  BLOBS_FOLDER,
  blobLocation,
  COUNTED_TABLES,
  copyHashed,
  errorCode,
  hashFile,
  KEY_COPY,
  keysLacking,
  keySourceOf,
  KID_COLUMNS,
  MANIFEST_FILE,
  manifestSchema,
  messageOf,
  STORE_COPY,
  syncFolder,
  syncFolders,
  takeEmptyFolder,
  Written,
  type BackupManifest,
  type BlobLocation,
} from './backup';

const USAGE = `usage: secure-envelope restore --from DIR [--config FILE]

Puts a backup written by 'secure-envelope backup' into the server's data
folder, which must be empty or not exist yet: restore never writes over
anything. In order:

  1. checks every file of the backup against the SHA-256 in its manifest;
     when one is missing or differs, nothing is written
  2. copies the database, the key file, the audit anchor and the attachment
     blobs into the data folder (files 0600, folders 0700)
  3. checks the copy: SQLite's own check, the schema migration and the counts
     of envelopes, outbox rows and audit records against the manifest, that
     the keys hold every key the messages are wrapped under, and that the
     audit anchor checks under them

and prints what it restored. A failed check removes what it wrote.

A backup taken while the keys came from SECURE_ENVELOPE_KEYS holds no key
file: set SECURE_ENVELOPE_KEYS to those keys when restoring it (and when
starting the server). A backup taken under a key-encryption key holds its
keys in the database, wrapped: set SECURE_ENVELOPE_KEK (or _KEK_FILE) to
that key, and restore checks that it opens them. Then start the server on the data folder;
'secure-envelope audit verify' checks the audit log.

  --from DIR     the backup folder (the one holding manifest.json)
  --config FILE  the server's config file (or SECURE_ENVELOPE_CONFIG)
  -h, --help     show this help

The data folder is the server's, read as serve reads it: the config file's
dataDir, overridden by DATA_DIR (default ./data). A PostgreSQL store
(databaseUrl or DATABASE_URL) is restored with PostgreSQL's tools instead.

Exit codes: 0 restored, 1 the backup fails its check (a file missing or
changed, a damaged manifest) or the restored copy fails its check, 2 bad
arguments, a data folder that is not empty, a PostgreSQL store, or keys
that are needed and not given.`;

const FLAGS = {
  from: { type: 'string' },
  config: { type: 'string' },
} as const;

/** Where each file of a backup goes in the data folder. */
function destinationOf(path: string): string {
  if (path === STORE_COPY) return SQLITE_FILE_NAME;
  if (path === KEY_COPY) return KEY_FILE_NAME;
  if (path === ANCHOR_COPY) return AUDIT_ANCHOR_FILE_NAME;
  // blobs/<shard>/<key>, as the file blob store keeps them.
  return path;
}

/** What a name found in a data folder is, for the refusal. */
function describeEntry(name: string): string {
  if (name === SQLITE_FILE_NAME || name.startsWith(`${SQLITE_FILE_NAME}-`)) return `${name} (a store)`;
  if (name === KEY_FILE_NAME) return `${name} (a key file)`;
  if (name === AUDIT_ANCHOR_FILE_NAME) return `${name} (an audit anchor)`;
  if (name === BLOBS_FOLDER) return `${name}/ (attachment blobs)`;
  return name;
}

const NOT_EMPTY =
  'restore writes only into an empty data folder and never over anything: set DATA_DIR to a new folder';

/** The command, reading the server's configuration from `env` (tests pass their own). */
export function createRestoreCommand(env: NodeJS.ProcessEnv = process.env): Command {
  return {
    name: 'restore',
    summary: "restore a backup into an empty data folder, checking it against the backup's manifest",
    usage: USAGE,
    async run(args, context) {
      const { flags, positionals } = parseFlags(args, FLAGS);
      if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]!}'`, true);
      if (typeof flags.from !== 'string') throw new UsageError('--from DIR is required', true);
      const config = await loadServerConfig(env, typeof flags.config === 'string' ? flags.config : undefined);
      if (config.databaseUrl !== undefined) {
        throw new CliError(
          'the store is PostgreSQL (databaseUrl or DATABASE_URL): restore writes only the embedded ' +
            'store; restore the database with pg_restore or point-in-time recovery, and put the key ' +
            'file (or SECURE_ENVELOPE_KEYS) and the audit anchor back beside it',
          2,
        );
      }
      const keys = keySourceOf(env);
      const keysJson = keys.kind === 'environment' ? keys.json : undefined;
      process.umask(0o077);
      const source = resolve(flags.from);
      const target = resolve(config.dataDir);
      const manifest = await readManifest(source);
      if ((manifest.keys === 'database') !== (keys.kind === 'database')) {
        throw new CliError(
          manifest.keys === 'database'
            ? `the backup's keys are in its database, wrapped by a key-encryption key: set ${KEK_ENV} ` +
                `or ${KEK_FILE_ENV} to that key and run restore again`
            : `${keys.kind === 'database' ? keys.kekVariable : KEK_ENV} is set, but this backup's keys ` +
                `are not in its database; unset it to restore the backup's own keys (import them under ` +
                'the key-encryption key afterwards by starting the server with it)',
          2,
        );
      }
      if (manifest.keys === 'environment' && keysJson === undefined) {
        throw new CliError(
          `the backup holds no key file: its keys came from ${KEYS_ENV} when it was taken. ` +
            `Set ${KEYS_ENV} to those keys and run restore again`,
          2,
        );
      }
      // Cheap refusals first, before the backup is read through.
      await assertEmptyFolder(target, NOT_EMPTY, describeEntry);
      await verifyBackup(source, manifest);
      await checkSchemaKnown(manifest.migration);
      const created = await takeEmptyFolder(target, NOT_EMPTY);
      const written = new Written(target, created);
      try {
        await copyBack(source, target, manifest, written);
        const restored =
          manifest.keys === 'database'
            ? await checkRestoredUnderKek(target, manifest, env)
            : await checkRestored(target, manifest, keysJson);
        if (manifest.blobs.copied) await syncFolders(join(target, BLOBS_FOLDER));
        await syncFolder(target);
        await report(source, target, manifest, restored, await blobLocation(config), context);
        if (manifest.keys === 'file' && keysJson !== undefined) {
          // Checked above against the variable, so they agree; still, the key file is not what is read.
          await context.stderr.line(
            `secure-envelope restore: ${KEYS_ENV} is set, so the server will read its keys from it, ` +
              `not from the restored ${KEY_FILE_NAME}`,
          );
        }
        return 0;
      } catch (e) {
        await written.undo();
        if (e instanceof CliError) throw e;
        throw new CliError(`restore failed, nothing kept in ${target}: ${messageOf(e)}`, 1);
      }
    },
  };
}

export const restoreCommand: Command = createRestoreCommand();

async function readManifest(source: string): Promise<BackupManifest> {
  const file = join(source, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    if (errorCode(e) === 'ENOENT')
      throw new CliError(
        `${source} holds no ${MANIFEST_FILE}: not a backup written by 'secure-envelope backup', ` +
          'or one that did not finish',
        2,
      );
    throw new CliError(`cannot read ${file}: ${messageOf(e)}`, 2);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new CliError(`${file} is damaged: not valid JSON`, 1);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError(`${file} is damaged: ${issue.path.join('.') || 'contents'}: ${issue.message}`, 1);
  }
  return parsed.data;
}

/** Every file the manifest lists, as it lists it; nothing is written while one differs. */
async function verifyBackup(source: string, manifest: BackupManifest): Promise<void> {
  const problems: string[] = [];
  for (const f of manifest.files) {
    try {
      const { bytes, sha256 } = await hashFile(join(source, f.path));
      if (sha256 !== f.sha256 || bytes !== f.bytes)
        problems.push(`${f.path} has changed (its SHA-256 is not the manifest's)`);
    } catch (e) {
      problems.push(errorCode(e) === 'ENOENT' ? `${f.path} is missing` : `${f.path}: ${messageOf(e)}`);
    }
  }
  if (problems.length > 0) {
    const more = problems.length > 3 ? `; and ${problems.length - 3} more` : '';
    throw new CliError(
      `the backup in ${source} does not match its manifest, nothing restored: ` +
        `${problems.slice(0, 3).join('; ')}${more}`,
      1,
    );
  }
}

/** A backup from a newer version has tables this one does not know: the server would refuse it. */
async function checkSchemaKnown(migration: string | null): Promise<void> {
  if (migration === null) return;
  const { MIGRATIONS } = await import('../../server/features');
  if (migration in MIGRATIONS) return;
  const newest = Object.keys(MIGRATIONS).sort().at(-1) ?? '(none)';
  throw new CliError(
    `the backup's schema (migration ${migration}) is newer than this version knows (${newest}): ` +
      'restore it with the version that wrote it, or a later one',
    1,
  );
}

/** Copies each file into place, hashing again on the way: what lands is what was checked. */
async function copyBack(
  source: string,
  target: string,
  manifest: BackupManifest,
  written: Written,
): Promise<void> {
  const made = new Set<string>();
  for (const f of manifest.files) {
    const to = destinationOf(f.path);
    const folder = posix.dirname(to);
    if (folder === '.') {
      written.file(to);
    } else {
      // The folder was empty: every subfolder is new, and undoing the top one takes what is below.
      const parts = folder.split('/');
      if (!made.has(parts[0]!)) written.folder(parts[0]!);
      for (let i = 1; i <= parts.length; i++) {
        const path = parts.slice(0, i).join('/');
        if (made.has(path)) continue;
        await mkdir(join(target, path), { mode: 0o700 });
        made.add(path);
      }
    }
    const copied = await copyHashed(join(source, f.path), join(target, to));
    if (copied.sha256 !== f.sha256 || copied.bytes !== f.bytes)
      throw new CliError(`${f.path} changed while it was being restored; nothing restored`, 1);
  }
}

/**
 * The counts and schema as checkRestored checks them, then the keys as the
 * server will open them: under the key-encryption key, which must unwrap
 * every key the restored rows name, and the anchor under the audit key.
 */
async function checkRestoredUnderKek(
  target: string,
  manifest: BackupManifest,
  env: NodeJS.ProcessEnv,
): Promise<Restored> {
  await checkRestored(target, manifest, undefined, false);
  const { openStore } = await import('../../server/store/db');
  const { openKeyring } = await import('../../server/crypto/open-keyring');
  const store = await openStore({ dataDir: target });
  try {
    let keyring;
    try {
      keyring = await openKeyring(store, target, env);
    } catch (e) {
      throw new CliError(`the restored keys do not open under the key-encryption key: ${messageOf(e)}`, 1);
    }
    if (!manifest.anchor) return { anchoredSeq: undefined };
    const anchor = keyring.auditAnchor?.read();
    if (anchor?.status !== 'valid') {
      const why = anchor === undefined || anchor.status === 'missing' ? 'it is missing' : anchor.reason;
      throw new CliError(`the restored audit anchor does not check under the restored audit key: ${why}`, 1);
    }
    return { anchoredSeq: anchor.anchor.seq };
  } finally {
    await store.close();
  }
}

interface Restored {
  /** The record the anchor vouches for; undefined when the backup had none. */
  anchoredSeq: number | undefined;
}

/** Opens what was restored, read-only, and checks it against the manifest. */
async function checkRestored(
  target: string,
  manifest: BackupManifest,
  keysJson: string | undefined,
  checkKeys = true,
): Promise<Restored> {
  const { openSqliteSnapshot } = await import('../../server/store/sqlite-backup');
  const snapshot = openSqliteSnapshot(join(target, SQLITE_FILE_NAME));
  const kids = new Set<string>();
  try {
    const check = snapshot.check();
    if (check !== 'ok') throw new CliError(`the restored database fails SQLite's check: ${check}`, 1);
    const migration = snapshot.migration() ?? null;
    if (migration !== manifest.migration)
      throw new CliError(
        `the restored database is at schema ${migration ?? '(none)'}, the manifest says ` +
          (manifest.migration ?? '(none)'),
        1,
      );
    for (const [name, table] of Object.entries(COUNTED_TABLES) as [
      keyof BackupManifest['counts'],
      string,
    ][]) {
      const n = snapshot.count(table);
      if (n !== manifest.counts[name])
        throw new CliError(
          `the restored database holds ${n} row(s) in ${table}, the manifest says ${manifest.counts[name]}`,
          1,
        );
    }
    for (const [table, column] of KID_COLUMNS) {
      for (const kid of snapshot.distinct(table, column)) kids.add(kid);
    }
  } finally {
    snapshot.close();
  }

  if (!checkKeys) return { anchoredSeq: undefined };
  // The keys the server will use: SECURE_ENVELOPE_KEYS when set, otherwise the restored key file.
  const keySource = keysJson === undefined ? join(target, KEY_FILE_NAME) : KEYS_ENV;
  const json = keysJson ?? (await readFile(keySource, 'utf8'));
  const lacking = keysLacking(kids, json, keySource);
  if (lacking.length > 0) {
    throw new CliError(
      `${keySource} lacks the key(s) ${lacking.join(', ')} that the restored messages are wrapped under` +
        (keysJson === undefined ? '' : `: ${KEYS_ENV} does not hold this backup's keys`),
      1,
    );
  }
  if (!manifest.anchor) return { anchoredSeq: undefined };
  const { keyringFromJson } = await import('../../server/crypto/keyring');
  const keyring = keyringFromJson(json, keySource, join(target, AUDIT_ANCHOR_FILE_NAME));
  const anchor = keyring.auditAnchor!.read();
  if (anchor.status !== 'valid') {
    const why = anchor.status === 'missing' ? 'it is missing' : anchor.reason;
    throw new CliError(
      `the restored audit anchor does not check under the keys in ${keySource}: ${why}` +
        (keysJson === undefined ? '' : ` (${KEYS_ENV} may hold another installation's keys)`),
      1,
    );
  }
  return { anchoredSeq: anchor.anchor.seq };
}

async function report(
  source: string,
  target: string,
  manifest: BackupManifest,
  restored: Restored,
  blobs: BlobLocation,
  context: CommandContext,
): Promise<void> {
  const { counts } = manifest;
  const lines = [
    `restored the backup of ${manifest.createdAt} from ${source} into ${target}`,
    `  store    ${SQLITE_FILE_NAME}: ${counts.envelopes} envelope(s), ${counts.outbox} outbox row(s), ` +
      `${counts.auditRecords} audit record(s); schema ${manifest.migration ?? '(none)'}; SQLite check ok`,
    manifest.keys === 'file'
      ? `  keys     ${KEY_FILE_NAME}`
      : manifest.keys === 'database'
        ? `  keys     in the database, opened under the key-encryption key`
        : `  keys     not in the backup: they come from ${KEYS_ENV}`,
    restored.anchoredSeq === undefined
      ? "  anchor   none in the backup: once 'secure-envelope audit verify' passes, " +
        "'secure-envelope audit anchor --reset' makes one"
      : `  anchor   ${AUDIT_ANCHOR_FILE_NAME}: through record #${restored.anchoredSeq}`,
    manifest.blobs.copied
      ? `  blobs    ${manifest.blobs.count} attachment blob(s) in ${BLOBS_FOLDER}/`
      : `  blobs    not in the backup: they live in ${manifest.blobs.location}`,
  ];
  for (const line of lines) await context.stdout.line(line);
  if (manifest.blobs.copied && manifest.blobs.count > 0 && !blobs.copied) {
    await context.stderr.line(
      `secure-envelope restore: the configuration keeps attachment blobs in ${blobs.location}, ` +
        `not in ${join(target, BLOBS_FOLDER)}: copy them there, or the attachments will not open`,
    );
  }
  await context.stdout.line(
    "Start the server on this data folder; 'secure-envelope audit verify' checks its audit log.",
  );
}
