/**
 * The audit log: an append-only table whose records form an HMAC-SHA256 hash
 * chain. Each record's hash covers the previous record's hash and every field
 * of its own, under a key the database never holds, so editing, inserting,
 * reordering or deleting a record anywhere but at the tail breaks the chain
 * (see verify.ts); records cut from the tail are caught against the anchor
 * (see anchor.ts), which each committed append moves forward. Records are
 * written in the caller's transaction, so an action and its audit record
 * commit or roll back together.
 *
 * Invariant: nothing in a record is message content, a password or a token.
 * `detail` is checked by construction (see assertSafeDetail); actor and target
 * are identifiers ("sender:<oid>", "envelope:<id>"), never free text.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import { afterCommit, trackedTransaction } from '../store/after-commit';
import type { Database } from '../store/schema';
import { writeTogether, type Write } from '../store/write-together';
import { auditAnchorFor, type AnchorPoint } from './anchor';

/** Every action the log knows. Adding one is adding it here. */
export const AUDIT_ACTIONS = [
  'envelope.created',
  'envelope.refused',
  'envelope.revoked',
  'envelope.expiry.changed',
  'message.override',
  'envelope.expired',
  'notice.queued',
  'notice.sent',
  'notice.retry',
  'notice.failed',
  'notice.requeued',
  'link.opened',
  'link.resent',
  'retention.purged',
  'recipient.registered',
  'message.read',
  'message.replied',
  'message.started',
  'attachment.downloaded',
  'signin.ok',
  'signin.failed',
  'signout',
  'session.expired',
  'password.reset.requested',
  'password.reset',
  'keys.rotated',
  'keys.retired',
  'policy.changed',
  'audit.exported',
  'audit.anchor.reset',
  'retention.purged',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export type AuditOutcome = 'ok' | 'denied' | 'failed';

export type AuditDetailValue = string | number | boolean | null;
export type AuditDetail = Record<string, AuditDetailValue>;

export interface AuditEntry {
  /** Who: "sender:<subject>", "recipient:<address>", "system". */
  actor: string;
  action: AuditAction;
  /** What it was done to: "envelope:<id>", "outbox:<id>". */
  target: string;
  outcome: AuditOutcome;
  sourceIp?: string | null | undefined;
  /** Extra facts (counts, ids, reasons). Never content, passwords or tokens. */
  detail?: AuditDetail | undefined;
  /** When; defaults to now. */
  at?: Date | undefined;
}

export type AuditDialect = 'sqlite' | 'postgres';

/** The prev_hash of record #1. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** Records are numbered from 1, without gaps. */
export const AUDIT_FIRST_SEQ = 1;

/**
 * The PostgreSQL advisory lock that serializes appends, so two transactions
 * never read the same head and fork the chain. Any constant works as long as
 * nothing else in the database uses it: this one is "SEAU" in ASCII.
 */
const AUDIT_LOCK_KEY = 0x53454155;

/** Version tag inside the hashed encoding, so a future format cannot be confused with this one. */
const HASH_FORMAT = 'secure-envelope/audit/v1';

const MAX_DETAIL_KEYS = 32;
/** Long strings are how content sneaks in: a detail value is an id, a count or a short reason. */
const MAX_DETAIL_STRING = 256;
const MAX_FIELD = 512;

/**
 * Words a detail key may not contain. Keys are split on case changes and
 * punctuation ("bodyHtml", "reset_token", "x-password" all fail), so the guard
 * cannot be dodged by spelling.
 */
const FORBIDDEN_DETAIL_WORDS: ReadonlySet<string> = new Set([
  'body',
  'html',
  'text',
  'plaintext',
  'content',
  'contents',
  'subject',
  'filename',
  'password',
  'passwd',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'jwt',
  'cookie',
  'authorization',
  'credential',
  'credentials',
  'otp',
]);

export class AuditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AuditError';
  }
}

/** The record as stored, in the table's column names. */
export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  outcome: AuditOutcome;
  source_ip: string | null;
  /** Canonical JSON (sorted keys) of the detail object: hashed exactly as stored. */
  detail: string;
  prev_hash: string;
  hash: string;
}

/**
 * Appends records to the audit log, inside the caller's transaction, so the
 * action and its records commit or roll back together. Passing a plain `Db`
 * (no transaction) opens a transaction just for the records.
 *
 * Where a sealer serves the key (PostgreSQL servers, see sealer.ts), the
 * records are written unchained and take no lock: concurrent actions commit
 * in parallel, and the sealer moves the records into the chain once the
 * transaction has committed; a store-run transaction resolves after that
 * move (or after a short bound, when the database is failing). Otherwise the
 * records are chained here, and then returned as the new head.
 *
 * `alongside`: the action's own writes, sent with its records (on
 * PostgreSQL, one round trip for all; see writeTogether).
 */
export async function appendAudit(
  trx: Transaction<Database> | Kysely<Database>,
  key: Uint8Array,
  dialect: AuditDialect,
  entries: AuditEntry | readonly AuditEntry[],
  alongside: readonly Write[] = [],
): Promise<AnchorPoint | undefined> {
  // Several records of one action are chained with one head read and one insert.
  const list: readonly AuditEntry[] = Array.isArray(entries) ? entries : [entries as AuditEntry];
  if (list.length === 0) throw new AuditError('no audit record to append');
  const rows = list.map(prepare);
  if (key.length < 16) throw new AuditError('audit key is too short');
  if (!trx.isTransaction) {
    return trackedTransaction(trx, (t) => appendAudit(t, key, dialect, list, alongside));
  }
  const db = trx as Transaction<Database>;
  const sealer = dialect === 'postgres' ? auditSealerFor(key) : undefined;
  if (sealer !== undefined) {
    const pending = db
      .insertInto('audit_pending')
      .values(rows.map((row) => ({ ...row, id: pendingId(row.at) })));
    await writeTogether(db, dialect, [...alongside, pending]);
    // Untracked transactions are sealed by the sealer's sweep instead.
    afterCommit(db, () => sealer.sealSoon());
    return undefined;
  }
  await writeTogether(db, dialect, alongside);
  return chainAudit(db, key, dialect, rows);
}

/** A record as appendAudit checked it, before it has a place in the chain. */
export type UnchainedRow = Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>;

/**
 * Chains `rows`, in order, onto the head of the log: the one place records
 * enter audit_log. Inside the caller's transaction.
 *
 * On PostgreSQL the head is read under a transaction-scoped advisory lock,
 * held until the caller commits or rolls back: concurrent writers queue up,
 * and a rolled-back action takes its record (and its seq) with it, so the
 * sequence stays gap-free. The caller's transaction must be READ COMMITTED
 * (the default); under REPEATABLE READ a stale head makes the insert fail on
 * the seq primary key rather than fork the chain. On SQLite writers are
 * already serialized by the database lock.
 *
 * When the key has an anchor (a keyring's audit key does), the new head is
 * anchored once the transaction commits: the store's `transact` and a plain
 * `Db` both say when that is. In a transaction the store did not open, the
 * anchor waits for the next append whose commit it can see.
 */
export async function chainAudit(
  db: Transaction<Database>,
  key: Uint8Array,
  dialect: AuditDialect,
  rows: readonly UnchainedRow[],
): Promise<AnchorPoint> {
  if (dialect === 'postgres') await lockAuditChain(db);
  const head = await readHead(db);
  const anchor = auditAnchorFor(key);
  // Read under the lock, before this append: whether the chain still holds the anchored record.
  const anchored = anchor?.current();
  const continues = anchored === undefined || (await holds(db, head, anchored));
  let seq = head === undefined ? AUDIT_FIRST_SEQ - 1 : head.seq;
  let hash = head === undefined ? AUDIT_GENESIS : head.hash;
  const values = rows.map((row) => {
    seq += 1;
    const prev_hash = hash;
    hash = computeAuditHash(key, { ...row, seq, prev_hash });
    return { ...row, seq, prev_hash, hash };
  });
  await db.insertInto('audit_log').values(values).execute();
  if (anchor !== undefined) {
    if (continues) {
      // In a transaction the store does not track, nothing happens now: the
      // next append it commits anchors this record too, as part of the chain.
      afterCommit(db, () => {
        anchor.advance({ seq, hash });
      });
    } else {
      // Records were cut from the end. The anchor stays where it was, so
      // verify keeps reporting the cut however many records go on top of it.
      afterCommit(db, () => {
        anchor.reportDivergence(anchored, head?.seq ?? 0);
      });
    }
  }
  return { seq, hash };
}

/** Takes the chain's PostgreSQL lock until the transaction ends; taking it twice is harmless. */
export async function lockAuditChain(db: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${sql.lit(AUDIT_LOCK_KEY)})`.execute(db);
}

/** What appendAudit needs of a sealer (see sealer.ts). */
export interface PendingAuditSealer {
  /** Resolves once the records committed before the call are in the chain, or after a short bound. */
  sealSoon(): Promise<void>;
}

/**
 * Which sealer serves a chain's key. Like the anchor, it is found by the key
 * every writer already passes, so no caller has to thread it through.
 */
const sealers = new WeakMap<Uint8Array, PendingAuditSealer>();

export function bindAuditSealer(auditKey: Uint8Array, sealer: PendingAuditSealer | undefined): void {
  if (sealer === undefined) sealers.delete(auditKey);
  else sealers.set(auditKey, sealer);
}

function auditSealerFor(auditKey: Uint8Array): PendingAuditSealer | undefined {
  return sealers.get(auditKey);
}

let pendingCounter = 0;
const processTag = randomBytes(4).toString('hex');

/**
 * Sorts pending records as they were written: the time, then this process's
 * counter (records of one action keep their order), then a tag that keeps
 * two processes' ids apart.
 */
function pendingId(at: string): string {
  pendingCounter = (pendingCounter + 1) % 0x1000000000;
  return `${at}/${pendingCounter.toString(36).padStart(7, '0')}/${processTag}`;
}

/** The last record of the chain as this transaction sees it. */
export function readHead(db: Transaction<Database> | Kysely<Database>): Promise<AnchorPoint | undefined> {
  return db
    .selectFrom('audit_log')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/**
 * Whether the chain whose last record is `head` still holds the anchored
 * record. Usually the anchor is the head itself (it moved at the last commit)
 * and no query is needed; after other writers' commits, one look-up by key.
 */
async function holds(
  db: Transaction<Database>,
  head: AnchorPoint | undefined,
  anchored: AnchorPoint,
): Promise<boolean> {
  if (anchored.seq < AUDIT_FIRST_SEQ) return true;
  if (head === undefined || head.seq < anchored.seq) return false;
  if (head.seq === anchored.seq) return sameHex(head.hash, anchored.hash);
  const row = await db
    .selectFrom('audit_log')
    .select('hash')
    .where('seq', '=', anchored.seq)
    .executeTakeFirst();
  return row !== undefined && sameHex(row.hash, anchored.hash);
}

/** Constant-time comparison of two hex MACs; a length difference is a mismatch. */
export function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * HMAC-SHA256 (hex) over the record. The encoding is a JSON array of fixed
 * positions, so no two different records encode alike (a field boundary
 * cannot move, as it could with plain concatenation).
 */
export function computeAuditHash(key: Uint8Array, row: Omit<AuditRow, 'hash'>): string {
  const encoded = JSON.stringify([
    HASH_FORMAT,
    row.prev_hash,
    String(row.seq),
    row.at,
    row.actor,
    row.action,
    row.target,
    row.outcome,
    row.source_ip,
    row.detail,
  ]);
  return createHmac('sha256', key).update(encoded, 'utf8').digest('hex');
}

/** Canonical JSON of a detail object: keys sorted, so equal objects store and hash alike. */
export function canonicalDetail(detail: AuditDetail): string {
  const sorted: AuditDetail = {};
  for (const k of Object.keys(detail).sort()) sorted[k] = detail[k] ?? null;
  return JSON.stringify(sorted);
}

/** Throws when a detail key names content or a secret, or a value is not a short scalar. */
export function assertSafeDetail(detail: AuditDetail): void {
  const keys = Object.keys(detail);
  if (keys.length > MAX_DETAIL_KEYS)
    throw new AuditError(`audit detail has more than ${MAX_DETAIL_KEYS} keys`);
  for (const k of keys) {
    const words = k
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((w) => w !== '');
    const joined = words.join('');
    const bad =
      words.find((w) => FORBIDDEN_DETAIL_WORDS.has(w)) ??
      (FORBIDDEN_DETAIL_WORDS.has(joined) ? joined : undefined);
    if (bad !== undefined) {
      throw new AuditError(
        `audit detail key '${k}' is not allowed: the audit log never holds content or secrets`,
      );
    }
    const value: unknown = detail[k];
    if (typeof value === 'string') {
      if (value.length > MAX_DETAIL_STRING)
        throw new AuditError(`audit detail '${k}' is longer than ${MAX_DETAIL_STRING} characters`);
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new AuditError(`audit detail '${k}' is not a finite number`);
    } else if (typeof value !== 'boolean' && value !== null) {
      throw new AuditError(`audit detail '${k}' must be a string, number, boolean or null`);
    }
  }
}

function prepare(entry: AuditEntry): UnchainedRow {
  if (!(AUDIT_ACTIONS as readonly string[]).includes(entry.action))
    throw new AuditError(`unknown audit action '${entry.action}'`);
  if (!['ok', 'denied', 'failed'].includes(entry.outcome))
    throw new AuditError(`unknown audit outcome '${entry.outcome}'`);
  checkField('actor', entry.actor);
  checkField('target', entry.target);
  const sourceIp = entry.sourceIp ?? null;
  if (sourceIp !== null) checkField('sourceIp', sourceIp);
  const detail = entry.detail ?? {};
  assertSafeDetail(detail);
  const at = entry.at ?? new Date();
  if (Number.isNaN(at.getTime())) throw new AuditError('audit time is not a valid date');
  return {
    at: at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    outcome: entry.outcome,
    source_ip: sourceIp,
    detail: canonicalDetail(detail),
  };
}

function checkField(name: string, value: string): void {
  if (value === '' || value.length > MAX_FIELD)
    throw new AuditError(`audit ${name} must be 1 to ${MAX_FIELD} characters`);
}
