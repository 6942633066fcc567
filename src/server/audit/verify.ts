/**
 * Checking and exporting the audit chain. Both read in batches ordered by seq
 * (keyset pagination), so memory stays bounded however long the log is.
 *
 * What verification proves: every record from #1 to the head is present, in
 * order, unedited, and was written by someone holding the key. What it cannot
 * prove on its own: that records were not cut off the tail, since a shorter
 * chain is still a valid chain. Comparing the head (seq and hash) with a copy
 * kept outside the database — an exported head, a log shipped elsewhere — is
 * what detects that.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';
import {
  AUDIT_FIRST_SEQ,
  AUDIT_GENESIS,
  computeAuditHash,
  type AuditDetail,
  type AuditOutcome,
  type AuditRow,
} from './audit-log';

export type AuditBreak = 'hash mismatch' | 'sequence gap' | 'prev_hash mismatch';

export type AuditVerification =
  | {
      ok: true;
      records: number;
      /** Hash of the last record: keep it elsewhere to detect a cut tail. */ head?: string;
    }
  | { ok: false; records: number; brokenAt: number; reason: AuditBreak };

export interface VerifyOptions {
  /** Rows read per query. */
  batch?: number;
}

/**
 * Walks the chain from record #1. On a break, `brokenAt` is the seq of the
 * first record that fails (for a gap: the first missing seq) and `records`
 * the number of records verified before it.
 */
export async function verifyAuditChain(
  db: Kysely<Database>,
  key: Uint8Array,
  options: VerifyOptions = {},
): Promise<AuditVerification> {
  const batch = batchSize(options.batch);
  let expectedSeq = AUDIT_FIRST_SEQ;
  let prevHash = AUDIT_GENESIS;
  let records = 0;
  for await (const row of readRows(db, batch, {})) {
    const seq = row.seq;
    if (seq !== expectedSeq) return { ok: false, records, brokenAt: expectedSeq, reason: 'sequence gap' };
    if (!sameHex(row.prev_hash, prevHash))
      return { ok: false, records, brokenAt: seq, reason: 'prev_hash mismatch' };
    const expected = computeAuditHash(key, { ...row, seq });
    if (!sameHex(row.hash, expected)) return { ok: false, records, brokenAt: seq, reason: 'hash mismatch' };
    records += 1;
    expectedSeq = seq + 1;
    prevHash = row.hash;
  }
  return records === 0 ? { ok: true, records } : { ok: true, records, head: prevHash };
}

/** One record as exported (JSON Lines): the stored fields, detail parsed. */
export interface AuditRecord {
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string;
  outcome: AuditOutcome;
  sourceIp: string | null;
  /** The detail object; the stored text as is when it is not a JSON object (a sign of tampering). */
  detail: AuditDetail | string;
  prevHash: string;
  hash: string;
}

export interface ExportOptions {
  /** Records at or after this time. */
  from?: Date | undefined;
  /** Records before this time. */
  to?: Date | undefined;
  batch?: number;
}

/** The records in seq order, optionally only those with `from <= at < to`. */
export async function* exportAudit(
  db: Kysely<Database>,
  options: ExportOptions = {},
): AsyncIterable<AuditRecord> {
  const range = { from: options.from?.toISOString(), to: options.to?.toISOString() };
  for await (const row of readRows(db, batchSize(options.batch), range)) {
    yield {
      seq: row.seq,
      at: row.at,
      actor: row.actor,
      action: row.action,
      target: row.target,
      outcome: row.outcome,
      sourceIp: row.source_ip,
      detail: parseDetail(row.detail),
      prevHash: row.prev_hash,
      hash: row.hash,
    };
  }
}

async function* readRows(
  db: Kysely<Database>,
  batch: number,
  range: { from?: string | undefined; to?: string | undefined },
): AsyncGenerator<AuditRow> {
  let after = AUDIT_FIRST_SEQ - 1;
  for (;;) {
    let query = db.selectFrom('audit_log').selectAll().where('seq', '>', after);
    // Times are ISO-8601 UTC strings of one fixed width, so text order is time order.
    if (range.from !== undefined) query = query.where('at', '>=', range.from);
    if (range.to !== undefined) query = query.where('at', '<', range.to);
    const rows = await query.orderBy('seq', 'asc').limit(batch).execute();
    if (rows.length === 0) return;
    for (const row of rows) yield row;
    after = rows[rows.length - 1]!.seq;
    if (rows.length < batch) return;
  }
}

function parseDetail(text: string): AuditDetail | string {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as AuditDetail;
  } catch {
    // fall through: export the stored text as it is
  }
  return text;
}

/** Constant-time comparison; a length difference is a mismatch without comparing. */
function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function batchSize(batch: number | undefined): number {
  const size = batch ?? 1000;
  if (!Number.isInteger(size) || size < 1) throw new RangeError('batch must be a positive integer');
  return size;
}
