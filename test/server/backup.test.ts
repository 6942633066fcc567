/**
 * `secure-envelope backup` and `restore` against the server as its own
 * process: a backup taken while envelopes pour in holds every envelope
 * answered 201 before it began (a file copy of the database loses those still
 * in the WAL), restores into a new data folder whose keys open them and whose
 * audit log verifies, and a server starts there. Restore refuses a folder
 * that holds anything and a backup whose files do not match their manifest;
 * backup refuses PostgreSQL, pointing at pg_dump.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptAttachment, unwrapDataKey } from '../../src/server/crypto/attachment-crypto';
import { contentAad, envelopeOwner } from '../../src/server/crypto/bindings';
import { decryptContentJson } from '../../src/server/crypto/content-crypto';
import { loadOrCreateKeyring } from '../../src/server/crypto/keyring';
import { SQLITE_FILE_NAME } from '../../src/server/store/sqlite-file';
import {
  runCli,
  signal,
  spawnServer,
  startSmtpSink,
  type ServerProcess,
  type SmtpSink,
} from './helpers/process';
import { PG_ADMIN_URL } from './helpers/stores';

const dirs: string[] = [];
const servers: ServerProcess[] = [];
const sinks: SmtpSink[] = [];

afterAll(async () => {
  for (const s of servers) {
    signal(s, 'SIGKILL');
    await s.exited;
  }
  for (const sink of sinks) await sink.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'se-backup-'));
  dirs.push(dir);
  return dir;
}

async function start(dataDir: string): Promise<ServerProcess> {
  const sink = await startSmtpSink();
  sinks.push(sink);
  const server = await spawnServer({ DATA_DIR: dataDir, SMTP_URL: sink.url });
  servers.push(server);
  return server;
}

async function stop(server: ServerProcess): Promise<number | string> {
  signal(server, 'SIGTERM');
  return server.exited;
}

async function devToken(server: ServerProcess): Promise<string> {
  const res = await fetch(`${server.base}/dev/token?address=rep@plan.example`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

interface Sent {
  id: string;
  text: string;
  /** The attachment's bytes, for the envelopes that carry one. */
  file: Buffer | undefined;
}

/** Posts one envelope (every third with an attachment); resolves to it once answered 201, or to the failure. */
async function post(server: ServerProcess, token: string, n: number): Promise<Sent | string> {
  const text = `Backup test body ${n}: member ${randomUUID()}`;
  const file = n % 3 === 0 ? randomBytes(3000 + n) : undefined;
  const res = await fetch(`${server.base}/v1/envelopes`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': `backup-${n}-${randomUUID()}`,
    },
    body: JSON.stringify({
      from: 'rep@plan.example',
      to: [`front.desk.${n}@clinic.example`],
      subject: `Claim ${n}`,
      text,
      attachments:
        file === undefined
          ? []
          : [
              {
                name: `claim-${n}.pdf`,
                contentType: 'application/pdf',
                contentBase64: file.toString('base64'),
              },
            ],
    }),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await res.text();
  if (res.status !== 201) return `${res.status} ${body.slice(0, 200)}`;
  return { id: (JSON.parse(body) as { id: string }).id, text, file };
}

interface Manifest {
  counts: { envelopes: number; outbox: number; auditRecords: number };
  migration: string | null;
  keys: string;
  files: { path: string; bytes: number; sha256: string }[];
}

function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as Manifest;
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Every file and folder under `dir`, relative, folders ending in '/'. */
function walk(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? [`${prefix}${e.name}/`, ...walk(join(dir, e.name), `${prefix}${e.name}/`)]
      : [`${prefix}${e.name}`],
  );
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

/** Reads the database in a data folder (or a database file) read-only: a server may be running on it. */
function readStore<T>(dataDirOrFile: string, read: (db: SQLite.Database) => T): T {
  const file = dataDirOrFile.endsWith('.db') ? dataDirOrFile : join(dataDirOrFile, SQLITE_FILE_NAME);
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

function count(db: SQLite.Database, table: string): number {
  return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
}

describe('secure-envelope backup and restore (embedded store)', () => {
  it('a backup taken under load holds every envelope answered 201 before it began, and restores into a working server', async () => {
    const dataDir = join(tempDir(), 'data');
    const server = await start(dataDir);
    const token = await devToken(server);

    const accepted: Sent[] = [];
    const unexpected: string[] = [];
    let stopped = false;
    // A function: the flag changes while the loops await.
    const isStopped = (): boolean => stopped;
    let seq = 0;
    const loop = async (): Promise<void> => {
      while (!isStopped()) {
        try {
          const result = await post(server, token, ++seq);
          if (typeof result === 'string') unexpected.push(result);
          else accepted.push(result);
        } catch (e) {
          unexpected.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
        }
      }
    };
    const loads = Array.from({ length: 6 }, loop);
    // Enough answered to matter, on a busy machine too.
    const loadStarted = Date.now();
    while (Date.now() - loadStarted < 1_000 || (accepted.length < 60 && Date.now() - loadStarted < 20_000)) {
      await new Promise((r) => setTimeout(r, 50));
    }

    const backupDir = join(tempDir(), 'backup');
    const before = [...accepted];
    // What the backup replaces, for the record: the database file copied on its own.
    const fileCopy = join(tempDir(), 'copy.db');
    copyFileSync(join(dataDir, SQLITE_FILE_NAME), fileCopy);
    const backup = await runCli(['backup', '--to', backupDir], { DATA_DIR: dataDir });
    const duringBackup = accepted.length - before.length;
    stopped = true;
    await Promise.all(loads);
    expect(await stop(server), server.output()).toBe(0);
    // Until SQLite's first checkpoint, even the tables live only in the WAL.
    const inFileCopy = new Set(
      readStore(fileCopy, (db) =>
        db.prepare("select 1 from sqlite_master where name = 'envelopes'").get() === undefined
          ? []
          : (db.prepare('select id from envelopes').all() as { id: string }[]).map((r) => r.id),
      ),
    );
    console.log(
      `backup: ${before.length} envelopes answered 201 before the backup began, ${duringBackup} while it ran, ` +
        `${accepted.length} in all; a file copy of the database taken as it began held ` +
        `${before.filter((s) => inFileCopy.has(s.id)).length} of the ${before.length}; ` +
        `backup said:\n${backup.stdout}${backup.stderr}`,
    );
    expect(backup.code, backup.stderr).toBe(0);
    expect(unexpected).toEqual([]);
    expect(duringBackup, 'the server took envelopes while the backup ran').toBeGreaterThan(0);
    expect(before.filter((s) => s.file !== undefined).length).toBeGreaterThan(0);

    // The manifest names every file with its hash; all of it is for the owner only.
    const manifest = readManifest(backupDir);
    const listed = manifest.files.map((f) => f.path);
    expect(listed).toEqual(expect.arrayContaining(['store.sqlite', 'keys.json', 'audit-anchor.json']));
    expect(listed.filter((p) => p.startsWith('blobs/')).length).toBeGreaterThanOrEqual(
      before.filter((s) => s.file !== undefined).length,
    );
    for (const f of manifest.files) {
      expect(sha256(join(backupDir, f.path)), f.path).toBe(f.sha256);
      expect(statSync(join(backupDir, f.path)).size, f.path).toBe(f.bytes);
    }
    expect(mode(backupDir)).toBe(0o700);
    for (const entry of walk(backupDir)) {
      expect(mode(join(backupDir, entry)), entry).toBe(entry.endsWith('/') ? 0o700 : 0o600);
    }
    expect(
      walk(backupDir)
        .filter((e) => !e.endsWith('/'))
        .sort(),
    ).toEqual([...listed, 'manifest.json'].sort());
    expect(manifest.keys).toBe('file');
    expect(manifest.counts.envelopes).toBeGreaterThanOrEqual(before.length);
    expect(manifest.counts.envelopes).toBeLessThanOrEqual(accepted.length + 6);
    expect(manifest.migration).toMatch(/^\d{4}_/);

    // Restored into a folder that does not exist yet.
    const restoredDir = join(tempDir(), 'restored');
    const restore = await runCli(['restore', '--from', backupDir], { DATA_DIR: restoredDir });
    expect(restore.code, restore.stderr).toBe(0);
    expect(restore.stdout).toContain(`${manifest.counts.envelopes} envelope(s)`);
    expect(mode(restoredDir)).toBe(0o700);
    expect(mode(join(restoredDir, 'keys.json'))).toBe(0o600);

    const restored = readStore(restoredDir, (db) => ({
      counts: {
        envelopes: count(db, 'envelopes'),
        outbox: count(db, 'outbox'),
        auditRecords: count(db, 'audit_log'),
      },
      envelopes: db.prepare('select id, content_jwe from envelopes').all() as {
        id: string;
        content_jwe: string;
      }[],
      recipients: db.prepare('select id, envelope_id from envelope_recipients').all() as {
        id: string;
        envelope_id: string;
      }[],
      attachments: db.prepare('select id, envelope_id, wrapped_key, blob_key from attachments').all() as {
        id: string;
        envelope_id: string;
        wrapped_key: string;
        blob_key: string;
      }[],
    }));
    expect(restored.counts).toEqual(manifest.counts);

    // Every envelope answered 201 before the backup began is there, and opens with the restored keys.
    const keyring = await loadOrCreateKeyring(restoredDir, {});
    const byId = new Map(restored.envelopes.map((e) => [e.id, e]));
    let files = 0;
    for (const sent of before) {
      const row = byId.get(sent.id);
      expect(row, `envelope ${sent.id} was answered 201 before the backup but is not in it`).toBeDefined();
      const recipientIds = restored.recipients.filter((r) => r.envelope_id === sent.id).map((r) => r.id);
      const content = (await decryptContentJson(
        keyring,
        row!.content_jwe,
        contentAad(sent.id, recipientIds),
      )) as { text: string | null };
      expect(content.text).toBe(sent.text);
      const attachments = restored.attachments.filter((a) => a.envelope_id === sent.id);
      expect(attachments).toHaveLength(sent.file === undefined ? 0 : 1);
      for (const a of attachments) {
        const dataKey = await unwrapDataKey(keyring, a.wrapped_key, a.id, envelopeOwner(sent.id));
        const sealed = readFileSync(join(restoredDir, 'blobs', a.blob_key.slice(0, 2), a.blob_key));
        expect(Buffer.from(await decryptAttachment(dataKey, a.id, sealed)).equals(sent.file!)).toBe(true);
        files++;
      }
    }
    expect(files).toBeGreaterThan(0);

    // The audit log verifies, against the restored anchor.
    const verified = await runCli(['audit', 'verify'], { DATA_DIR: restoredDir });
    expect(verified.code, `${verified.stdout}${verified.stderr}`).toBe(0);
    expect(verified.stdout).toMatch(/audit chain intact: \d+ records, anchored through #\d+/);

    // A server starts on the restored folder and takes new envelopes; the log still verifies after.
    const again = await start(restoredDir);
    const next = await post(again, await devToken(again), 1_000_000);
    expect(typeof next === 'string' ? next : 201).toBe(201);
    expect(await stop(again), again.output()).toBe(0);
    const after = await runCli(['audit', 'verify'], { DATA_DIR: restoredDir });
    expect(after.code, `${after.stdout}${after.stderr}`).toBe(0);
  }, 90_000);
});

describe('secure-envelope backup and restore: refusals', () => {
  let dataDir: string;
  let backupDir: string;

  beforeAll(async () => {
    dataDir = join(tempDir(), 'data');
    const server = await start(dataDir);
    const token = await devToken(server);
    for (let n = 1; n <= 4; n++) expect(typeof (await post(server, token, n))).toBe('object');
    // Taken while the server runs, as the first test does; stopped afterwards.
    backupDir = join(tempDir(), 'backup');
    const backup = await runCli(['backup', '--to', backupDir], { DATA_DIR: dataDir });
    expect(backup.code, backup.stderr).toBe(0);
    expect(await stop(server), server.output()).toBe(0);
  }, 60_000);

  it('backup finds the data folder through the config file, as serve does', async () => {
    const config = join(tempDir(), 'config.json');
    writeFileSync(config, JSON.stringify({ dataDir }));
    const target = join(tempDir(), 'by-config');
    const result = await runCli(['backup', '--config', config, '--to', target], {});
    expect(result.code, result.stderr).toBe(0);
    expect(readManifest(target).counts.envelopes).toBe(4);
    const viaEnv = join(tempDir(), 'by-env');
    const again = await runCli(['backup', '--to', viaEnv], { SECURE_ENVELOPE_CONFIG: config });
    expect(again.code, again.stderr).toBe(0);
  });

  it('backup refuses a folder that is not empty, and adds nothing to it', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    const result = await runCli(['backup', '--to', dir], { DATA_DIR: dataDir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('is not empty');
    expect(result.stderr).toContain('notes.txt');
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('restore refuses a data folder that holds a store or keys, naming what it found', async () => {
    const withKeys = tempDir();
    writeFileSync(join(withKeys, 'keys.json'), '{}\n', { mode: 0o600 });
    const refused = await runCli(['restore', '--from', backupDir], { DATA_DIR: withKeys });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('keys.json (a key file)');
    expect(readdirSync(withKeys)).toEqual(['keys.json']);
    expect(readFileSync(join(withKeys, 'keys.json'), 'utf8')).toBe('{}\n');

    // The folder the backup came from holds a store, keys and an anchor.
    const onLive = await runCli(['restore', '--from', backupDir], { DATA_DIR: dataDir });
    expect(onLive.code).toBe(2);
    expect(onLive.stderr).toContain(`${SQLITE_FILE_NAME} (a store)`);
    expect(onLive.stderr).toContain('keys.json (a key file)');
    expect(onLive.stderr).toContain('audit-anchor.json (an audit anchor)');
  });

  it('restore refuses a backup whose files do not match the manifest, and writes nothing', async () => {
    const tampered = join(tempDir(), 'tampered');
    cpSync(backupDir, tampered, { recursive: true });
    const store = join(tampered, 'store.sqlite');
    const bytes = readFileSync(store);
    // A byte of the last page: the file still opens, so only the hash tells.
    bytes[bytes.length - 100] = bytes[bytes.length - 100]! ^ 0xff;
    writeFileSync(store, bytes);
    const target = join(tempDir(), 'restored');
    const result = await runCli(['restore', '--from', tampered], { DATA_DIR: target });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('store.sqlite has changed');
    expect(existsSync(target)).toBe(false);

    // A blob gone from the backup is named too.
    const short = join(tempDir(), 'short');
    cpSync(backupDir, short, { recursive: true });
    const blob = readManifest(short).files.find((f) => f.path.startsWith('blobs/'))!;
    rmSync(join(short, blob.path));
    const empty = tempDir();
    const missing = await runCli(['restore', '--from', short], { DATA_DIR: empty });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`${blob.path} is missing`);
    expect(readdirSync(empty)).toEqual([]);

    // The untouched backup restores.
    const good = join(tempDir(), 'good');
    mkdirSync(good, { mode: 0o700 });
    const restored = await runCli(['restore', '--from', backupDir], { DATA_DIR: good });
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('4 envelope(s)');
  });

  it('backup and restore refuse PostgreSQL with exit 2, naming pg_dump and what to keep beside it', async () => {
    const folder = tempDir();
    const target = join(folder, 'backup');
    const env = { DATA_DIR: folder, DATABASE_URL: PG_ADMIN_URL };
    const backup = await runCli(['backup', '--to', target], env);
    expect(backup.code).toBe(2);
    expect(backup.stderr).toContain('pg_dump');
    expect(backup.stderr).toContain('point-in-time recovery');
    expect(backup.stderr).toContain(join(folder, 'keys.json'));
    expect(backup.stderr).toContain(join(folder, 'audit-anchor.json'));
    expect(existsSync(target)).toBe(false);

    const restore = await runCli(['restore', '--from', backupDir], env);
    expect(restore.code).toBe(2);
    expect(restore.stderr).toContain('pg_restore');

    // Under a key-encryption key the keys are in the database: what to keep beside the dump is the KEK.
    const withKek = await runCli(['backup', '--to', target], {
      ...env,
      SECURE_ENVELOPE_KEK: randomBytes(32).toString('base64'),
    });
    expect(withKek.code).toBe(2);
    expect(withKek.stderr).toContain('key-encryption key of SECURE_ENVELOPE_KEK');
    expect(withKek.stderr).not.toContain('keys.json');
  });
});

describe('secure-envelope backup and restore under a key-encryption key', () => {
  const kek = randomBytes(32).toString('base64');

  it('backs up the wrapped keys inside the database, never the KEK, and restores only with the KEK', async () => {
    const dataDir = join(tempDir(), 'data');
    const sink = await startSmtpSink();
    sinks.push(sink);
    const server = await spawnServer({ DATA_DIR: dataDir, SMTP_URL: sink.url, SECURE_ENVELOPE_KEK: kek });
    servers.push(server);
    const token = await devToken(server);
    for (let n = 1; n <= 3; n++) expect(typeof (await post(server, token, n))).toBe('object');
    expect(await stop(server), server.output()).toBe(0);

    const backupDir = join(tempDir(), 'backup');
    // Before: "no key file" and exit 1, since the keys are not in a file.
    const backup = await runCli(['backup', '--to', backupDir], {
      DATA_DIR: dataDir,
      SECURE_ENVELOPE_KEK: kek,
    });
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stdout).toContain('wrapped by the key-encryption key');
    const manifest = readManifest(backupDir);
    expect(manifest.keys).toBe('database');
    expect(manifest.files.map((f) => f.path)).not.toContain('keys.json');
    // The KEK is nowhere in the backup.
    for (const f of manifest.files) {
      expect(readFileSync(join(backupDir, f.path)).includes(Buffer.from(kek))).toBe(false);
    }

    // Without the KEK, restore says what it needs and writes nothing.
    const without = join(tempDir(), 'without');
    const refused = await runCli(['restore', '--from', backupDir], { DATA_DIR: without });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('SECURE_ENVELOPE_KEK');
    expect(existsSync(without)).toBe(false);

    // Another KEK cannot open the keys: refused, nothing kept.
    const wrong = join(tempDir(), 'wrong');
    const mismatch = await runCli(['restore', '--from', backupDir], {
      DATA_DIR: wrong,
      SECURE_ENVELOPE_KEK: randomBytes(32).toString('base64'),
    });
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain('do not open under the key-encryption key');
    expect(existsSync(wrong) ? readdirSync(wrong) : []).toEqual([]);

    // With it: restored, checked, and a server starts there and verifies its audit log.
    const target = join(tempDir(), 'restored');
    const restored = await runCli(['restore', '--from', backupDir], {
      DATA_DIR: target,
      SECURE_ENVELOPE_KEK: kek,
    });
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.stdout).toContain('3 envelope(s)');
    const verify = await runCli(['audit', 'verify'], { DATA_DIR: target, SECURE_ENVELOPE_KEK: kek });
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, 60_000);
});
