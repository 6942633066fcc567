/**
 * The audit anchor: the sequence number and hash of the latest committed
 * audit record, MACed with a key derived from the audit key, kept outside the
 * database (a file beside the key file) and copied into the server's log.
 *
 * Why: the hash chain shows any edit, insertion or reordering, but a chain
 * with records cut from its end is still a valid chain. The anchor says "the
 * log reached record #S, and #S had this hash", so `audit verify` can tell a
 * log that was cut short (or cut and then continued) from an intact one.
 *
 * What it can and cannot prove: someone who can write the database but not the
 * data folder cannot move the anchor back, and cannot forge one (no audit
 * key). Someone who can write the data folder can put back an older anchor
 * file; only copies kept off the machine (the anchor lines in the log, shipped
 * to a collector) hold against that.
 *
 * Rules the code keeps:
 * - An anchor only ever names a committed record (see afterCommit), so a
 *   rolled-back action never makes verification fail.
 * - The anchor advances only while the chain still holds the anchored record:
 *   once records are cut, it stays where it was, so the evidence does not
 *   vanish as new records are appended over the cut.
 * - An anchor file that fails its check is never overwritten automatically;
 *   an operator resets it (`audit anchor --reset`) after looking.
 */
import { createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

export const AUDIT_ANCHOR_FILE_NAME = 'audit-anchor.json';

/** A record of the chain: its seq and hash. Seq 0 is the empty chain. */
export interface AnchorPoint {
  seq: number;
  hash: string;
}

/** An anchor as stored and logged. */
export interface AuditAnchorRecord extends AnchorPoint {
  version: 1;
  /** When this anchor was written. */
  at: string;
  /** HMAC-SHA256 (hex) of the fields above, under a key derived from the audit key. */
  mac: string;
}

export type AnchorState =
  | { status: 'missing' }
  | { status: 'invalid'; reason: string }
  | { status: 'valid'; anchor: AuditAnchorRecord };

export type AnchorEvent =
  | { type: 'written'; anchor: AuditAnchorRecord }
  /** The chain no longer holds the anchored record: records were cut from its end. */
  | { type: 'diverged'; anchor: AnchorPoint; head: number }
  | { type: 'error'; message: string };

export class AuditAnchorError extends Error {
  readonly code = 'AUDIT_ANCHOR_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'AuditAnchorError';
  }
}

const MAC_FORMAT = 'secure-envelope/audit-anchor/v1';
const HEX64 = /^[0-9a-f]{64}$/;

export class AuditAnchor {
  readonly file: string;
  readonly #macKey: Buffer;
  /** The latest point known to be committed and to continue the anchored chain. */
  #point: AnchorPoint | undefined;
  /** Set while the file fails its check: nothing is written until an operator resets it. */
  #invalid: string | undefined;
  #stamp: string | undefined;
  /** The MAC of the last anchor this object wrote: a file holding it is no news. */
  #ownMac: string | undefined;
  #writing: Promise<void> | undefined;
  #dirty = false;
  #lastError: Error | undefined;
  #reportedDivergence: string | undefined;
  readonly #listeners = new Set<(event: AnchorEvent) => void>();

  constructor(file: string, auditKey: Uint8Array) {
    this.file = file;
    this.#macKey = Buffer.from(hkdfSync('sha256', auditKey, 'secure-envelope', 'audit/anchor/v1', 32));
    this.#load();
  }

  /** The anchor file as it is now, checked. */
  read(): AnchorState {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch (e) {
      if (errorCode(e) === 'ENOENT') return { status: 'missing' };
      return { status: 'invalid', reason: `cannot read ${this.file}: ${errorCode(e)}` };
    }
    try {
      return { status: 'valid', anchor: this.check(JSON.parse(text)) };
    } catch (e) {
      return { status: 'invalid', reason: e instanceof AuditAnchorError ? e.message : 'not valid JSON' };
    }
  }

  /**
   * The point the next append must continue from, or undefined when nothing
   * is anchored yet. A change of the file by another process (the CLI, an
   * operator's reset) is picked up first.
   */
  current(): AnchorPoint | undefined {
    this.#refresh();
    return this.#point;
  }

  /** Whether anchoring is stopped because the anchor file fails its check. */
  get invalid(): string | undefined {
    this.#refresh();
    return this.#invalid;
  }

  /**
   * Records that `point` has committed (call it only then) and writes it out
   * soon. Writes are coalesced: however many commits arrive while one write
   * is under way, one more write follows with the latest.
   */
  advance(point: AnchorPoint): void {
    if (this.#invalid !== undefined) return;
    if (this.#point !== undefined && point.seq <= this.#point.seq) return;
    this.#point = { seq: point.seq, hash: point.hash };
    if (this.#writing !== undefined) {
      this.#dirty = true;
      return;
    }
    this.#writing = this.#writeLoop();
  }

  /** Resolves once everything advanced so far is on disk; rejects if a write failed. */
  async flush(): Promise<void> {
    while (this.#writing !== undefined) await this.#writing;
    const error = this.#lastError;
    this.#lastError = undefined;
    if (error !== undefined) throw error;
  }

  /**
   * Anchors `point` unconditionally: at key creation (the empty chain), or
   * when an operator accepts the log as it is now (after restoring a backup).
   */
  async reset(point: AnchorPoint): Promise<AuditAnchorRecord> {
    await this.flush().catch(() => undefined);
    this.#invalid = undefined;
    this.#reportedDivergence = undefined;
    this.#point = { seq: point.seq, hash: point.hash };
    return this.#write(this.#point, true);
  }

  /** Says, once per anchored point, that the chain no longer holds it. */
  reportDivergence(anchor: AnchorPoint, head: number): void {
    const id = `${anchor.seq}:${anchor.hash}`;
    if (this.#reportedDivergence === id) return;
    this.#reportedDivergence = id;
    this.#emit({ type: 'diverged', anchor, head });
  }

  /** Calls `listener` for every anchor written and every problem; returns the way to stop. */
  subscribe(listener: (event: AnchorEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** The MACed record for `point`. */
  seal(point: AnchorPoint, at: Date = new Date()): AuditAnchorRecord {
    const fields = { version: 1 as const, seq: point.seq, hash: point.hash, at: at.toISOString() };
    return { ...fields, mac: this.#mac(fields) };
  }

  /**
   * Checks an anchor from anywhere (the file, a line of the server's log) and
   * returns it; throws AuditAnchorError when it is malformed or its MAC is wrong.
   */
  check(value: unknown): AuditAnchorRecord {
    if (typeof value !== 'object' || value === null)
      throw new AuditAnchorError('the anchor is not an object');
    const o = value as Record<string, unknown>;
    if (o.version !== 1) throw new AuditAnchorError('the anchor has an unknown version');
    if (typeof o.seq !== 'number' || !Number.isSafeInteger(o.seq) || o.seq < 0)
      throw new AuditAnchorError('the anchor has no valid seq');
    if (typeof o.hash !== 'string' || !HEX64.test(o.hash))
      throw new AuditAnchorError('the anchor has no valid hash');
    if (typeof o.at !== 'string' || Number.isNaN(Date.parse(o.at)))
      throw new AuditAnchorError('the anchor has no valid time');
    if (typeof o.mac !== 'string') throw new AuditAnchorError('the anchor has no MAC');
    const record = { version: 1 as const, seq: o.seq, hash: o.hash, at: o.at };
    const expected = Buffer.from(this.#mac(record), 'utf8');
    const given = Buffer.from(o.mac, 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new AuditAnchorError(
        'the anchor fails its check: it was edited, or belongs to another installation',
      );
    }
    return { ...record, mac: o.mac };
  }

  #mac(fields: { seq: number; hash: string; at: string }): string {
    // Fixed positions and a format tag: no anchor encodes like another, or like an audit record.
    const encoded = JSON.stringify([MAC_FORMAT, fields.seq, fields.hash, fields.at]);
    return createHmac('sha256', this.#macKey).update(encoded, 'utf8').digest('hex');
  }

  #load(state: AnchorState = this.read(), stamp = stampOf(this.file)): void {
    this.#stamp = stamp;
    if (state.status === 'valid') {
      this.#point = { seq: state.anchor.seq, hash: state.anchor.hash };
      this.#invalid = undefined;
    } else if (state.status === 'invalid') {
      this.#invalid = state.reason;
    }
    // A missing file changes nothing known: the next write puts it back.
  }

  #refresh(): void {
    const stamp = stampOf(this.file);
    if (stamp === this.#stamp) return;
    const state = this.read();
    if (state.status === 'valid' && state.anchor.mac === this.#ownMac) {
      // Our own write, seen before its stamp was taken: what is known here is as new or newer.
      this.#stamp = stamp;
      return;
    }
    // Another process wrote it (the CLI, an operator's reset): its word replaces ours, even lower.
    const wasInvalid = this.#invalid;
    this.#load(state, stamp);
    if (this.#invalid !== undefined && this.#invalid !== wasInvalid) {
      this.#emit({ type: 'error', message: `audit anchor ${this.file}: ${this.#invalid}` });
    }
  }

  async #writeLoop(): Promise<void> {
    try {
      do {
        this.#dirty = false;
        await this.#write(this.#point!, false);
      } while (this.#advancedMeanwhile());
    } catch (e) {
      this.#lastError = e instanceof Error ? e : new Error(errorCode(e));
      this.#emit({ type: 'error', message: `cannot write the audit anchor ${this.file}: ${errorCode(e)}` });
    } finally {
      this.#writing = undefined;
    }
  }

  async #write(point: AnchorPoint, force: boolean): Promise<AuditAnchorRecord> {
    if (!force) {
      // Another process on this data folder may have anchored further meanwhile: never move back.
      const onDisk = this.read();
      if (onDisk.status === 'valid' && onDisk.anchor.seq >= point.seq) return onDisk.anchor;
      if (onDisk.status === 'invalid') {
        this.#invalid = onDisk.reason;
        throw new AuditAnchorError(onDisk.reason);
      }
    }
    const record = this.seal(point);
    this.#ownMac = record.mac;
    await writeAtomically(this.file, JSON.stringify(record) + '\n');
    this.#stamp = stampOf(this.file);
    this.#emit({ type: 'written', anchor: record });
    return record;
  }

  /** Whether `advance` moved the point while the last write was under way. */
  #advancedMeanwhile(): boolean {
    return this.#dirty;
  }

  #emit(event: AnchorEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener (the log) failing must not stop anchoring.
      }
    }
  }
}

/**
 * Which anchor a chain's key writes to. The audit key is what every writer of
 * the chain already passes to appendAudit, so the keyring that owns both binds
 * them here, and no caller has to thread the anchor through.
 */
const anchors = new WeakMap<Uint8Array, AuditAnchor>();

export function bindAuditAnchor(auditKey: Uint8Array, anchor: AuditAnchor): void {
  anchors.set(auditKey, anchor);
}

export function auditAnchorFor(auditKey: Uint8Array): AuditAnchor | undefined {
  return anchors.get(auditKey);
}

/**
 * Temp file (0600), fsync, rename: the anchor is the old one or the new one,
 * whole. The folder is not synced: after a power cut an older anchor is still
 * true (it names a record further back), so the cost is not worth paying on
 * every commit.
 */
async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (e) {
    await unlink(temp).catch(() => undefined);
    throw e;
  }
}

function stampOf(file: string): string | undefined {
  try {
    const s = statSync(file, { bigint: true });
    return `${s.ino}:${s.mtimeNs}:${s.size}`;
  } catch {
    return undefined;
  }
}

function errorCode(e: unknown): string {
  if (e instanceof AuditAnchorError) return e.message;
  return e instanceof Error && 'code' in e && typeof e.code === 'string' ? e.code : 'unknown error';
}
