/**
 * Checking and exporting the audit chain. Both read in batches ordered by seq
 * (keyset pagination), so memory stays bounded however long the log is.
 *
 * What the chain alone proves: every record from #1 to the head is present,
 * in order, unedited, and was written by someone holding the key. What it
 * cannot prove alone: that records were not cut off the tail, since a shorter
 * chain is still a valid chain. Anchors (see anchor.ts) close that: each says
 * "the log reached record #S, whose hash was H", and a chain that ends before
 * #S, or holds another #S, lost records at its end.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema';
import type { AnchorPoint } from './anchor';
import {
  AUDIT_FIRST_SEQ,
  AUDIT_GENESIS,
  computeAuditHash,
  sameHex,
  type AuditDetail,
  type AuditOutcome,
  type AuditRow,
} from './audit-log';

/**
 * Why a chain fails. The first three are edits inside the chain. 'truncated':
 * the chain ends before an anchored record. 'rewound': the chain holds an
 * anchored seq with another hash, so records were cut from the end and new
 * ones appended over the cut (or an older copy of the database came back).
 */
export type AuditBreak = 'hash mismatch' | 'sequence gap' | 'prev_hash mismatch' | 'truncated' | 'rewound';

/** An anchor that verification held the chain against, as reported. */
export interface AnchorRef {
  seq: number;
  /** When the anchor was taken, when known. */
  at?: string | undefined;
}

export type AuditVerification =
  | {
      ok: true;
      records: number;
      /** Hash of the last record: keep it elsewhere to detect a cut tail. */ head?: string;
      /** The furthest anchor the chain was held against, when anchors were given. */
      anchored?: AnchorRef;
    }
  | {
      ok: false;
      records: number;
      /** The first record that fails; for 'truncated', the first one missing. */
      brokenAt: number;
      reason: AuditBreak;
      /** For 'truncated' and 'rewound': the anchor that shows it. */
      anchored?: AnchorRef;
    };

export interface VerifyOptions {
  /** Rows read per query. */
  batch?: number;
  /**
   * Points the log is known to have reached (the anchor file, anchor lines
   * from a log collector), each checked already by its MAC.
   */
  anchors?: readonly (AnchorPoint & { at?: string | undefined })[];
}

/**
 * Walks the chain from record #1. On a break, `brokenAt` is the seq of the
 * first record that fails (for a gap: the first missing seq) and `records`
 * the number of records verified before it. An edit inside the chain is
 * reported before a cut at its end.
 */
export async function verifyAuditChain(
  db: Kysely<Database>,
  key: Uint8Array,
  options: VerifyOptions = {},
): Promise<AuditVerification> {
  const batch = batchSize(options.batch);
  type Anchor = NonNullable<VerifyOptions['anchors']>[number];
  const anchors = options.anchors ?? [];
  // Seq 0 (the empty chain) has no record to compare; it still counts as the furthest when alone.
  const bySeq = new Map<number, Anchor>();
  for (const a of anchors) if (a.seq >= AUDIT_FIRST_SEQ) bySeq.set(a.seq, a);
  const furthest = anchors.reduce<Anchor | undefined>(
    (best, a) => (best === undefined || a.seq > best.seq ? a : best),
    undefined,
  );
  let expectedSeq = AUDIT_FIRST_SEQ;
  let prevHash = AUDIT_GENESIS;
  let records = 0;
  let rewound: { seq: number; anchor: Anchor } | undefined;
  for await (const row of readRows(db, batch, {})) {
    const seq = row.seq;
    if (seq !== expectedSeq) return { ok: false, records, brokenAt: expectedSeq, reason: 'sequence gap' };
    if (!sameHex(row.prev_hash, prevHash))
      return { ok: false, records, brokenAt: seq, reason: 'prev_hash mismatch' };
    const expected = computeAuditHash(key, { ...row, seq });
    if (!sameHex(row.hash, expected)) return { ok: false, records, brokenAt: seq, reason: 'hash mismatch' };
    const anchor = bySeq.get(seq);
    // Kept, not returned: an edit further on is the more specific finding.
    if (anchor !== undefined && rewound === undefined && !sameHex(row.hash, anchor.hash))
      rewound = { seq, anchor };
    records += 1;
    expectedSeq = seq + 1;
    prevHash = row.hash;
  }
  if (rewound !== undefined) {
    return { ok: false, records, brokenAt: rewound.seq, reason: 'rewound', anchored: ref(rewound.anchor) };
  }
  if (furthest !== undefined && furthest.seq > records) {
    return { ok: false, records, brokenAt: records + 1, reason: 'truncated', anchored: ref(furthest) };
  }
  return {
    ok: true,
    records,
    ...(records > 0 ? { head: prevHash } : {}),
    ...(furthest !== undefined ? { anchored: ref(furthest) } : {}),
  };
}

function ref(anchor: { seq: number; at?: string | undefined }): AnchorRef {
  return anchor.at === undefined ? { seq: anchor.seq } : { seq: anchor.seq, at: anchor.at };
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

function batchSize(batch: number | undefined): number {
  const size = batch ?? 1000;
  if (!Number.isInteger(size) || size < 1) throw new RangeError('batch must be a positive integer');
  return size;
}
