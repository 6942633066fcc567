import { sql, type Transaction } from 'kysely';
import nodemailer, { type SMTPPoolSentMessageInfo, type Transporter } from 'nodemailer';
import type { Db } from '../store/db';
import type { Database, OutboxStatus, OutboxTable } from '../store/schema';
import { parseOutboundMail, type OutboundMail } from './outbound-mail';

/**
 * Delivers the notices of the transactional outbox to the SMTP relay.
 *
 * Claiming: a worker leases a batch of due rows by moving their
 * `next_attempt_at` to now + lease, in one transaction; on PostgreSQL the
 * rows are selected `FOR UPDATE SKIP LOCKED`, so several server instances
 * never claim the same row while a lease is live. A row whose worker died
 * mid-send becomes due again when its lease runs out.
 *
 * Delivery is at least once. Every attempt of a row carries the row's stable
 * Message-ID, so when the relay accepted a message but recording 'sent' failed
 * (database down, process killed, lease lost), the retry after the lease sends
 * the same message again with the same Message-ID, and mail systems and
 * clients that de-duplicate on it show it once. A notice is never silently
 * dropped in exchange for exactly-once.
 *
 * Besides notices, the outbox carries the portal's mail (a recipient's secure
 * reply to a representative, password-reset links): a row's stored JSON may
 * add reply threading, a Reply-To and attachments (see outbound-mail.ts).
 */

export type OutboxEventType = 'sent' | 'retry' | 'dead';

export interface OutboxEvent {
  type: OutboxEventType;
  outboxId: string;
  envelopeId: string;
  recipientId: string;
  /** Attempts so far, this one included. */
  attempts: number;
  /** Short and content-free: an error code and SMTP reply code, never the reply text. */
  error?: string;
}

export type OutboxTransaction = Transaction<Database>;

export interface OutboxWorkerOptions {
  db: Db;
  /** smtp:// or smtps:// URL of the relay (or of the development mail catcher). */
  smtpUrl: string;
  /** The notices' From, e.g. '"Health Plan Secure Mail" <secure@plan.example>'. */
  from: string;
  /**
   * After this many failed attempts a row is 'dead'. Default 30: with the
   * default delays, about a day of retrying (a relay outage of hours loses
   * nothing).
   */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt, with jitter. Default 30 s. */
  baseDelayMs?: number;
  /** Cap on the retry delay. Default 1 h. */
  maxDelayMs?: number;
  /** Idle poll interval of start(). Default 500 ms. */
  pollMs?: number;
  /** Rows claimed per round. Default 20. */
  batch?: number;
  /** Upper bound on one send, queueing in the pool included. Default 60 s. */
  sendTimeoutMs?: number;
  /** Parallel sends, and pooled SMTP connections. Default 5. */
  concurrency?: number;
  /**
   * How long a claimed row stays invisible to other workers. The worker
   * renews the lease of the rows it is still working on every third of it,
   * so a lease only runs out when its worker died: then the row is due again
   * after at most this long. Default 15 s.
   */
  leaseMs?: number;
  /**
   * Runs in the transaction that records the outcome, so audit records commit
   * with it; if it throws, the outcome is not recorded (see at-least-once).
   */
  onEvent?: (event: OutboxEvent, trx: OutboxTransaction) => Promise<void> | void;
  /**
   * Runs the transaction that records an outcome. Default: a transaction of
   * its own; the server passes the store's, so that on the embedded store the
   * records share commits with envelope writes instead of a disk sync each.
   */
  transact?: <T>(work: (trx: OutboxTransaction) => Promise<T>) => Promise<T>;
  /** Errors of the polling loop and of recording outcomes (never message content). */
  onError?: (error: unknown) => void;
  /**
   * Notices this instance could not open (its keys lack the one they were
   * sealed with): left pending for an instance that can, and said here once
   * per run, for the operator. Never scrubbed, never counted as an attempt.
   */
  onUnopenable?: (count: number) => void;
  /** The clock; tests move it. */
  now?: () => Date;
  /** Jitter source in [0, 1); tests fix it. */
  random?: () => number;
  /** Detected from the database when not given. */
  dialect?: 'sqlite' | 'postgres';
  /**
   * Turns a stored notice_json into the notice's JSON text. The server stores
   * notices encrypted (they hold the recipient's secure link); default: as is.
   */
  openNotice?: (stored: string, outboxId: string) => Promise<string>;
  /**
   * Refuse to send unless the relay offers STARTTLS (nodemailer `requireTLS`).
   * Default: on, except for a relay on the loopback interface (the development
   * mail catcher, or a relay on this machine) and for smtps:// (TLS from the
   * first byte).
   */
  requireTls?: boolean;
}

export interface RunResult {
  /** Rows leased in this run. */
  claimed: number;
  sent: number;
  /** Failed and scheduled again. */
  retried: number;
  /** Failed for the last time. */
  dead: number;
  /** Outcomes that could not be recorded; those rows come back when their lease ends. */
  unrecorded: number;
  /** Claimed but not tried because stop() was called; due again at once. */
  released: number;
  /** Could not be opened here: left pending, untried, for another instance. */
  held: number;
}

type OutboxRow = Pick<
  OutboxTable,
  'id' | 'envelope_id' | 'recipient_id' | 'message_id' | 'to_address' | 'notice_json' | 'next_attempt_at'
> & {
  attempts: number;
  /** next_attempt_at before the claim; next_attempt_at itself holds the lease (renewals move it). */
  due_at: string;
  /** Its outcome is being recorded (or it was handed back): renewals leave its lease alone. */
  settling?: boolean;
};

type Transport = Transporter<SMTPPoolSentMessageInfo>;

type Outcome =
  | { ok: true }
  | { ok: false; error: string; permanent: boolean }
  /** The notice could not be opened here: not an attempt, nothing sent. */
  | { ok: false; held: true; error: string };

/** How long a notice this instance cannot open waits before an instance (this or another) tries it again. */
const HOLD_MS = 60_000;

export class OutboxWorker {
  private readonly db: Db;
  private readonly transact: NonNullable<OutboxWorkerOptions['transact']>;
  private readonly smtpUrl: string;
  private readonly from: string;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly pollMs: number;
  private readonly batch: number;
  private readonly sendTimeoutMs: number;
  private readonly concurrency: number;
  private readonly leaseMs: number;
  private readonly openNotice: NonNullable<OutboxWorkerOptions['openNotice']>;
  private readonly onEvent: OutboxWorkerOptions['onEvent'];
  private readonly onError: (error: unknown) => void;
  private readonly onUnopenable: (count: number) => void;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly requireTls: boolean;
  private dialect: 'sqlite' | 'postgres' | undefined;

  private transport: Transport | undefined;
  private running = false;
  /** Set while stop() waits: runs start no new send and no new batch. */
  private stopRequested = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private readonly inFlight = new Set<Promise<RunResult>>();

  constructor(options: OutboxWorkerOptions) {
    this.db = options.db;
    this.transact = options.transact ?? ((work) => this.db.transaction().execute(work));
    this.smtpUrl = options.smtpUrl;
    this.from = options.from;
    this.maxAttempts = positive('maxAttempts', options.maxAttempts ?? 30);
    this.baseDelayMs = positive('baseDelayMs', options.baseDelayMs ?? 30_000);
    this.maxDelayMs = positive('maxDelayMs', options.maxDelayMs ?? 60 * 60_000);
    this.pollMs = positive('pollMs', options.pollMs ?? 500);
    this.batch = positive('batch', options.batch ?? 20);
    this.sendTimeoutMs = positive('sendTimeoutMs', options.sendTimeoutMs ?? 60_000);
    this.concurrency = positive('concurrency', options.concurrency ?? 5);
    this.leaseMs = positive('leaseMs', options.leaseMs ?? 15_000);
    this.openNotice = options.openNotice ?? ((stored) => Promise.resolve(stored));
    this.onEvent = options.onEvent;
    this.onError = options.onError ?? (() => undefined);
    this.onUnopenable = options.onUnopenable ?? (() => undefined);
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.dialect = options.dialect;
    if (!/^smtps?:\/\//i.test(this.smtpUrl))
      throw new TypeError('smtpUrl must be an smtp:// or smtps:// URL');
    this.requireTls = options.requireTls ?? defaultRequireTls(this.smtpUrl);
  }

  /** Polls until stop(): a full batch is followed at once by the next one, otherwise it waits pollMs. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.poll();
  }

  /**
   * Stops polling and lets the sends in flight finish and their outcomes be
   * recorded; claimed rows not yet started are handed back at once. Then
   * closes the SMTP connections. runOnce() works again afterwards.
   */
  async stop(): Promise<void> {
    this.running = false;
    this.stopRequested = true;
    this.wake?.();
    try {
      await this.loop;
      await Promise.allSettled([...this.inFlight]);
    } finally {
      this.loop = undefined;
      this.stopRequested = false;
      this.transport?.close();
      this.transport = undefined;
    }
  }

  /** Delivers every row due now, batch after batch, and says what happened. */
  runOnce(): Promise<RunResult> {
    const run = this.drain();
    this.inFlight.add(run);
    const forget = (): void => {
      this.inFlight.delete(run);
    };
    run.then(forget, forget);
    return run;
  }

  private async poll(): Promise<void> {
    while (this.running) {
      let full = false;
      try {
        const result = await this.runOnce();
        full = result.claimed >= this.batch;
      } catch (error) {
        this.onError(error);
      }
      if (this.stopping()) break;
      if (!full) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  /** A method, not the field: the field changes while the loop awaits. */
  private stopping(): boolean {
    return !this.running;
  }

  private async drain(): Promise<RunResult> {
    const total: RunResult = {
      claimed: 0,
      sent: 0,
      retried: 0,
      dead: 0,
      unrecorded: 0,
      released: 0,
      held: 0,
    };
    // Rows due at the start only: a row that fails now is scheduled later and
    // is not picked up again by this run, however long it takes.
    const dueBy = this.now().toISOString();
    for (;;) {
      const rows = await this.claim(dueBy);
      total.claimed += rows.length;
      const unstarted: OutboxRow[] = [];
      // While the batch is worked on, its leases are renewed: a long send
      // keeps its row, and a crash frees the rows within one lease.
      let renewing: Promise<void> = Promise.resolve();
      const timer = setInterval(
        () => {
          renewing = renewing
            .then(() => this.renew(rows))
            .catch((error: unknown) => {
              // The lease runs out by itself; the send still records against the one it holds.
              this.onError(error);
            });
        },
        Math.max(1, Math.floor(this.leaseMs / 3)),
      );
      // Once an outcome could not be saved (the database went away), no more
      // of the batch is sent: each would be sent again when its lease ends,
      // since its 'sent' could not be saved either.
      const store = { failed: false };
      try {
        await mapLimit(rows, this.concurrency, async (row) => {
          if (this.stopRequested || store.failed) {
            row.settling = true;
            unstarted.push(row);
            return;
          }
          const kind = await this.deliver(
            row,
            () => renewing,
            () => {
              store.failed = true;
            },
          );
          total[kind]++;
        });
      } finally {
        clearInterval(timer);
        await renewing;
      }
      if (unstarted.length > 0) total.released += await this.release(unstarted);
      if (rows.length < this.batch || this.stopRequested || store.failed) break;
    }
    if (total.held > 0) this.onUnopenable(total.held);
    return total;
  }

  /** Leases up to `batch` due rows: their next_attempt_at moves to now + lease. */
  private async claim(dueBy: string): Promise<OutboxRow[]> {
    const postgres = (await this.detectDialect()) === 'postgres';
    const lease = new Date(this.now().getTime() + this.leaseMs).toISOString();
    return this.db.transaction().execute(async (trx) => {
      let query = trx
        .selectFrom('outbox')
        .select([
          'id',
          'envelope_id',
          'recipient_id',
          'message_id',
          'to_address',
          'notice_json',
          'attempts',
          'next_attempt_at',
        ])
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', dueBy)
        .orderBy('next_attempt_at')
        .orderBy('id')
        .limit(this.batch);
      // SQLite has no row locks: its write transactions are serialised, and
      // the embedded store runs in a single process anyway.
      if (postgres) query = query.forUpdate().skipLocked();
      const rows = await query.execute();
      if (rows.length === 0) return [];
      await trx
        .updateTable('outbox')
        .set({ next_attempt_at: lease })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      return rows.map((r) => ({ ...r, due_at: r.next_attempt_at, next_attempt_at: lease }));
    });
  }

  /** Ends the lease of claimed rows that were not tried: they are due again as before. */
  private async release(rows: readonly OutboxRow[]): Promise<number> {
    let released = 0;
    for (const row of rows) {
      try {
        const result = await this.db
          .updateTable('outbox')
          .set({ next_attempt_at: row.due_at })
          .where('id', '=', row.id)
          .where('status', '=', 'pending')
          .where('next_attempt_at', '=', row.next_attempt_at)
          .executeTakeFirst();
        released += Number(result.numUpdatedRows);
      } catch (error) {
        // The lease runs out by itself.
        this.onError(error);
      }
    }
    return released;
  }

  /** Moves the lease of the batch's rows still being worked on to now + lease. */
  private async renew(rows: readonly OutboxRow[]): Promise<void> {
    const live = rows.filter((r) => r.settling !== true);
    if (live.length === 0) return;
    const lease = new Date(this.now().getTime() + this.leaseMs).toISOString();
    // Rows of one claim share their lease; group them in case some were renewed apart.
    const byLease = new Map<string, OutboxRow[]>();
    for (const r of live) byLease.set(r.next_attempt_at, [...(byLease.get(r.next_attempt_at) ?? []), r]);
    for (const [held, group] of byLease) {
      if (held === lease) continue;
      await this.db
        .updateTable('outbox')
        .set({ next_attempt_at: lease })
        .where(
          'id',
          'in',
          group.map((r) => r.id),
        )
        .where('status', '=', 'pending')
        .where('next_attempt_at', '=', held)
        .execute();
      for (const r of group) r.next_attempt_at = lease;
    }
  }

  private async deliver(
    row: OutboxRow,
    renewals: () => Promise<void>,
    onStoreFailure: () => void,
  ): Promise<'sent' | 'retried' | 'dead' | 'unrecorded' | 'held'> {
    const outcome = await this.send(row);
    // No renewal starts on the row from here; one under way ends first, so the
    // outcome is recorded against the lease the row holds now.
    row.settling = true;
    await renewals();
    try {
      return await this.record(row, outcome);
    } catch (error) {
      // The lease ends and the row is tried again, with the same Message-ID.
      this.onError(error);
      onStoreFailure();
      return 'unrecorded';
    }
  }

  private async send(row: OutboxRow): Promise<Outcome> {
    let opened: string;
    try {
      opened = await this.openNotice(row.notice_json, row.id);
    } catch {
      // Sealed with a key this instance lacks (or a key not yet loaded here):
      // another instance may open it, and the notice must survive until one does.
      return { ok: false, held: true, error: 'EKEY notice cannot be opened by this instance' };
    }
    let mail: OutboundMail;
    try {
      mail = parseOutboundMail(opened);
    } catch {
      return { ok: false, error: 'EINVALID notice_json', permanent: true };
    }
    try {
      const info = await this.getTransport().sendMail({
        from: this.from,
        to: row.to_address,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        // Stable per row: every attempt is the same message (at-least-once, see above).
        messageId: row.message_id,
        ...(mail.replyTo !== undefined ? { replyTo: mail.replyTo } : {}),
        ...(mail.inReplyTo !== undefined ? { inReplyTo: mail.inReplyTo } : {}),
        ...(mail.references !== undefined ? { references: mail.references } : {}),
        ...(mail.attachments !== undefined
          ? {
              attachments: mail.attachments.map((a) => ({
                filename: a.filename,
                contentType: a.contentType,
                content: Buffer.from(a.contentBase64, 'base64'),
              })),
            }
          : {}),
        // Notices are machine-made; a recipient's reply relayed to a representative is a person's mail.
        headers:
          mail.auto === false
            ? {}
            : { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
        signal: AbortSignal.timeout(this.sendTimeoutMs),
      });
      if (info.rejected.length > 0) {
        return { ok: false, error: 'EENVELOPE recipient rejected', permanent: false };
      }
      return { ok: true };
    } catch (error) {
      return { ok: false, error: describeError(error), permanent: refusesThisMessage(error) };
    }
  }

  private async record(
    row: OutboxRow,
    outcome: Outcome,
  ): Promise<'sent' | 'retried' | 'dead' | 'unrecorded' | 'held'> {
    const at = this.now();
    if (!outcome.ok && 'held' in outcome) {
      // Not an attempt: the row keeps its count and its notice, and comes back after a while.
      const result = await this.db
        .updateTable('outbox')
        .set({ next_attempt_at: new Date(at.getTime() + HOLD_MS).toISOString(), last_error: outcome.error })
        .where('id', '=', row.id)
        .where('status', '=', 'pending')
        .where('next_attempt_at', '=', row.next_attempt_at)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1 ? 'held' : 'unrecorded';
    }
    const attempts = row.attempts + 1;
    const base = {
      outboxId: row.id,
      envelopeId: row.envelope_id,
      recipientId: row.recipient_id,
      attempts,
    };
    let event: OutboxEvent;
    let status: OutboxStatus;
    let nextAttemptAt = row.next_attempt_at;
    if (outcome.ok) {
      status = 'sent';
      event = { type: 'sent', ...base };
    } else if (('permanent' in outcome && outcome.permanent) || attempts >= this.maxAttempts) {
      status = 'dead';
      event = { type: 'dead', ...base, error: outcome.error };
    } else {
      status = 'pending';
      nextAttemptAt = new Date(at.getTime() + this.backoff(attempts)).toISOString();
      event = { type: 'retry', ...base, error: outcome.error };
    }
    return this.transact(async (trx) => {
      const result = await trx
        .updateTable('outbox')
        .set({
          status,
          attempts,
          next_attempt_at: nextAttemptAt,
          last_error: outcome.ok ? null : outcome.error,
          sent_at: outcome.ok ? at.toISOString() : null,
        })
        .where('id', '=', row.id)
        .where('status', '=', 'pending')
        // Still our lease: if it ran out and another worker took the row,
        // that worker records the outcome of its own attempt.
        .where('next_attempt_at', '=', row.next_attempt_at)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return 'unrecorded';
      if (this.onEvent !== undefined) await this.onEvent(event, trx);
      return status === 'sent' ? 'sent' : status === 'dead' ? 'dead' : 'retried';
    });
  }

  /** Exponential, capped, with "equal jitter": between half and all of the step. */
  private backoff(attempts: number): number {
    const step = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** Math.min(attempts - 1, 40));
    return Math.round(step / 2 + (step / 2) * this.random());
  }

  private getTransport(): Transport {
    this.transport ??= nodemailer.createTransport({
      pool: true,
      url: this.smtpUrl,
      maxConnections: this.concurrency,
      // The outbox does the retrying: a message whose connection dropped fails
      // back to it rather than being re-queued inside the pool.
      maxRequeues: 0,
      connectionTimeout: Math.min(this.sendTimeoutMs, 15_000),
      greetingTimeout: Math.min(this.sendTimeoutMs, 15_000),
      socketTimeout: Math.min(this.sendTimeoutMs, 30_000),
      dnsTimeout: Math.min(this.sendTimeoutMs, 15_000),
      disableFileAccess: true,
      disableUrlAccess: true,
      // Content crosses this hop: a relay that cannot do TLS gets nothing, rather than plaintext.
      requireTLS: this.requireTls,
      logger: false,
    });
    return this.transport;
  }

  private async detectDialect(): Promise<'sqlite' | 'postgres'> {
    if (this.dialect !== undefined) return this.dialect;
    try {
      await sql`select sqlite_version()`.execute(this.db);
      this.dialect = 'sqlite';
    } catch {
      this.dialect = 'postgres';
    }
    return this.dialect;
  }
}

export interface DeliveryStats {
  pending: number;
  sent: number;
  dead: number;
  /** created_at of the oldest pending notice, null when none waits. */
  oldestPendingAt: string | null;
}

/** Counts per status, for the health check and operators. */
export async function deliveryStats(db: Db): Promise<DeliveryStats> {
  const rows = await db
    .selectFrom('outbox')
    .select((eb) => ['status', eb.fn.countAll<number | string | bigint>().as('n')])
    .groupBy('status')
    .execute();
  const stats: DeliveryStats = { pending: 0, sent: 0, dead: 0, oldestPendingAt: null };
  for (const r of rows) {
    stats[r.status] = Number(r.n);
  }
  const oldest = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('created_at').as('oldest'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  stats.oldestPendingAt = oldest?.oldest ?? null;
  return stats;
}

/**
 * Whether the relay refused this message for good: a 5xx reply to the
 * recipient (RCPT TO) or to the message itself (DATA). A 5xx at the
 * connection, greeting, AUTH or MAIL FROM says the relay or our settings are
 * wrong, not the message: that is retried like any outage, so fixing the
 * relay delivers everything that waited.
 */
function refusesThisMessage(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { responseCode, command } = error as { responseCode?: unknown; command?: unknown };
  return (
    typeof responseCode === 'number' &&
    responseCode >= 500 &&
    responseCode < 600 &&
    (command === 'RCPT TO' || command === 'DATA')
  );
}

/**
 * What goes into last_error: the error code, the SMTP command and reply code.
 * Never the reply text or message, which can echo addresses or content.
 */
function describeError(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'EUNKNOWN';
  const e = error as {
    name?: unknown;
    code?: unknown;
    originalCode?: unknown;
    responseCode?: unknown;
    command?: unknown;
  };
  const parts: string[] = [];
  // Only our sendTimeoutMs signal aborts a send.
  if (e.code === 'EABORT' || e.name === 'AbortError' || e.name === 'TimeoutError') parts.push('ETIMEDOUT');
  else if (typeof e.code === 'string' && /^[\w.-]{1,40}$/.test(e.code)) parts.push(e.code);
  if (typeof e.originalCode === 'string' && /^E[A-Z]{1,30}$/.test(e.originalCode)) parts.push(e.originalCode);
  if (typeof e.command === 'string' && /^[A-Z][A-Z ]{0,19}$/.test(e.command)) parts.push(e.command);
  if (typeof e.responseCode === 'number') parts.push(String(e.responseCode));
  return parts.length === 0 ? 'EUNKNOWN' : parts.join(' ').slice(0, 200);
}

/** TLS is required of every relay but one on this machine, where mail never crosses a network. */
export function defaultRequireTls(smtpUrl: string): boolean {
  const url = new URL(smtpUrl);
  if (url.protocol === 'smtps:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return !(host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host));
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number`);
  return value;
}

async function mapLimit<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  });
  await Promise.all(lanes);
}
