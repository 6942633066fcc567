import { sql, type Kysely } from 'kysely';
import { appendAudit } from './audit/audit-log';
import type { ServerContext } from './context';
import type { Database } from './store/schema';

/**
 * Retention: what the service keeps only as long as it must. A secure
 * message (its content, attachments, links, notices, replies in its thread)
 * is deleted a set number of days after it expired or was revoked; so is a
 * thread a recipient started, once its messages have expired as long. Rows
 * that only ever mattered for a while go when they stop mattering: ended
 * sessions, used or expired reset tokens and sign-in links, forgotten throttle counts, expired
 * TLS verdicts, old idempotency answers. Deleting a row deletes the wrapped
 * data key with it, so any copy of its ciphertext (a backup, a blob left on a
 * disk) can no longer be read: crypto-shredding. Blobs are removed too.
 *
 * The audit log is never purged: it holds no content, and an auditor needs it
 * for longer than the messages it describes.
 */

/** Rows deleted per statement, so one sweep never holds a long lock. */
const BATCH = 200;
const DAY = 86_400_000;
/** Answers kept for a sender's retries; far longer than any add-in retries. */
const IDEMPOTENCY_DAYS = 7;

export interface RetentionCounts {
  envelopes: number;
  attachments: number;
  portalMessages: number;
  portalThreads: number;
  sessions: number;
  resetTokens: number;
  throttleRows: number;
  tlsRows: number;
  idempotencyKeys: number;
}

/**
 * One sweep. `now` is injectable so tests can move time; several instances
 * sweeping at once is harmless (deletes are idempotent, a missing blob is no
 * error), and on PostgreSQL only one sweeps at a time anyway.
 */
export async function sweepRetention(ctx: ServerContext, now = new Date()): Promise<RetentionCounts> {
  const db = ctx.store.db;
  if (ctx.store.dialect === 'postgres') {
    // A session-level try-lock on one pooled connection: others skip this round.
    return db.connection().execute(async (conn) => {
      const got = await sql<{
        ok: boolean;
      }>`select pg_try_advisory_lock(hashtextextended('retention', 0)) as ok`.execute(conn);
      if (got.rows[0]?.ok !== true) return emptyCounts();
      try {
        return await sweep(ctx, conn, now);
      } finally {
        await sql`select pg_advisory_unlock(hashtextextended('retention', 0))`.execute(conn);
      }
    });
  }
  return sweep(ctx, db, now);
}

function emptyCounts(): RetentionCounts {
  return {
    envelopes: 0,
    attachments: 0,
    portalMessages: 0,
    portalThreads: 0,
    sessions: 0,
    resetTokens: 0,
    throttleRows: 0,
    tlsRows: 0,
    idempotencyKeys: 0,
  };
}

async function sweep(ctx: ServerContext, db: Kysely<Database>, now: Date): Promise<RetentionCounts> {
  const counts = emptyCounts();
  const cutoff = new Date(now.getTime() - ctx.config.retention.days * DAY).toISOString();
  const nowIso = now.toISOString();

  // Secure messages past their time: expired or revoked, plus the retention period.
  for (;;) {
    const due = await db
      .selectFrom('envelopes')
      .select('id')
      .where((eb) => eb.or([eb('expires_at', '<', cutoff), eb('revoked_at', '<', cutoff)]))
      .limit(BATCH)
      .execute();
    if (due.length === 0) break;
    const ids = due.map((e) => e.id);
    const blobs = await db
      .selectFrom('attachments')
      .select('blob_key')
      .where('envelope_id', 'in', ids)
      .execute();
    const replies = await db
      .selectFrom('portal_messages')
      .select('id')
      .where('envelope_id', 'in', ids)
      .execute();
    const replyBlobs = await replyAttachmentBlobs(
      db,
      replies.map((r) => r.id),
    );
    await ctx.store.transact(async (trx) => {
      const replyIds = replies.map((r) => r.id);
      if (replyIds.length > 0) {
        await trx.deleteFrom('portal_attachments').where('message_id', 'in', replyIds).execute();
        await trx.deleteFrom('portal_messages').where('id', 'in', replyIds).execute();
      }
      // An envelope's thread is one per recipient, named by the recipient row.
      await trx
        .deleteFrom('portal_reads')
        .where('thread_id', 'in', (eb) =>
          eb.selectFrom('envelope_recipients').select('id').where('envelope_id', 'in', ids),
        )
        .execute();
      await trx.deleteFrom('attachments').where('envelope_id', 'in', ids).execute();
      await trx.deleteFrom('secure_links').where('envelope_id', 'in', ids).execute();
      await trx.deleteFrom('outbox').where('envelope_id', 'in', ids).execute();
      await trx.deleteFrom('idempotency_keys').where('envelope_id', 'in', ids).execute();
      await trx.deleteFrom('envelope_recipients').where('envelope_id', 'in', ids).execute();
      await trx.deleteFrom('envelopes').where('id', 'in', ids).execute();
    });
    // After the rows: a blob without its row is unreadable already; a row without its blob would fail a download.
    for (const b of [...blobs.map((x) => x.blob_key), ...replyBlobs]) await ctx.blobs.delete(b);
    counts.envelopes += ids.length;
    counts.attachments += blobs.length + replyBlobs.length;
    counts.portalMessages += replies.length;
  }

  // Messages of threads recipients started, expired as long; then threads left empty.
  for (;;) {
    const due = await db
      .selectFrom('portal_messages')
      .select('id')
      .where('envelope_id', 'is', null)
      .where('expires_at', '<', cutoff)
      .limit(BATCH)
      .execute();
    if (due.length === 0) break;
    const ids = due.map((m) => m.id);
    const blobs = await replyAttachmentBlobs(db, ids);
    await ctx.store.transact(async (trx) => {
      await trx.deleteFrom('portal_attachments').where('message_id', 'in', ids).execute();
      await trx.deleteFrom('portal_messages').where('id', 'in', ids).execute();
    });
    for (const b of blobs) await ctx.blobs.delete(b);
    counts.portalMessages += ids.length;
    counts.attachments += blobs.length;
  }
  const emptyThreads = await db
    .selectFrom('portal_threads as t')
    .select('t.id')
    .where((eb) =>
      eb.not(
        eb.exists(eb.selectFrom('portal_messages as m').select('m.id').whereRef('m.thread_id', '=', 't.id')),
      ),
    )
    .where('t.created_at', '<', cutoff)
    .execute();
  if (emptyThreads.length > 0) {
    const ids = emptyThreads.map((t) => t.id);
    await ctx.store.transact(async (trx) => {
      await trx.deleteFrom('portal_reads').where('thread_id', 'in', ids).execute();
      await trx.deleteFrom('portal_threads').where('id', 'in', ids).execute();
    });
    counts.portalThreads += ids.length;
  }

  // Short-lived rows: gone once they can no longer matter.
  const windowAgo = new Date(now.getTime() - ctx.config.portal.throttle.windowMinutes * 60_000).toISOString();
  const dayAgo = new Date(now.getTime() - DAY).toISOString();
  await ctx.store.transact(async (trx) => {
    counts.sessions += rows(
      await trx
        .deleteFrom('portal_sessions')
        .where((eb) =>
          eb.or([
            eb('absolute_expires_at', '<', nowIso),
            eb(
              'last_seen_at',
              '<',
              new Date(now.getTime() - ctx.config.portal.idleMinutes * 60_000).toISOString(),
            ),
          ]),
        )
        .executeTakeFirst(),
    );
    counts.resetTokens += rows(
      await trx.deleteFrom('portal_reset_tokens').where('expires_at', '<', dayAgo).executeTakeFirst(),
    );
    counts.resetTokens += rows(
      await trx.deleteFrom('portal_sign_in_links').where('expires_at', '<', dayAgo).executeTakeFirst(),
    );
    counts.throttleRows += rows(
      await trx
        .deleteFrom('portal_throttle')
        .where('first_failure_at', '<', windowAgo)
        .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', nowIso)]))
        .executeTakeFirst(),
    );
    for (const table of ['tls_domain_verdicts', 'tls_mx_results', 'tls_mta_sts_policies'] as const) {
      counts.tlsRows += rows(await trx.deleteFrom(table).where('expires_at', '<', dayAgo).executeTakeFirst());
    }
    counts.idempotencyKeys += rows(
      await trx
        .deleteFrom('idempotency_keys')
        .where('created_at', '<', new Date(now.getTime() - IDEMPOTENCY_DAYS * DAY).toISOString())
        .executeTakeFirst(),
    );
  });

  if (counts.envelopes + counts.portalMessages + counts.portalThreads > 0) {
    await appendAudit(db, ctx.keyring.auditKey, ctx.store.dialect, {
      actor: 'system',
      action: 'retention.purged',
      target: 'store',
      outcome: 'ok',
      detail: {
        days: ctx.config.retention.days,
        envelopes: counts.envelopes,
        portalMessages: counts.portalMessages,
        portalThreads: counts.portalThreads,
        attachments: counts.attachments,
      },
    });
  }
  return counts;
}

async function replyAttachmentBlobs(db: Kysely<Database>, messageIds: readonly string[]): Promise<string[]> {
  if (messageIds.length === 0) return [];
  const found = await db
    .selectFrom('portal_attachments')
    .select('blob_key')
    .where('message_id', 'in', messageIds)
    .execute();
  return found.map((a) => a.blob_key);
}

function rows(result: { numDeletedRows: bigint } | undefined): number {
  return Number(result?.numDeletedRows ?? 0n);
}

/** Sweeps now and then every `sweepMinutes`; returns a stop function. Errors are logged, never thrown. */
export function startRetention(ctx: ServerContext, log: (message: string) => void): () => void {
  let running = false;
  const run = async (): Promise<void> => {
    if (running) return;
    running = true;
    try {
      const counts = await sweepRetention(ctx);
      const total = (Object.values(counts) as number[]).reduce((a, b) => a + b, 0);
      if (total > 0) log(`retention: deleted ${JSON.stringify(counts)}`);
    } catch (err) {
      log(`retention: sweep failed (${err instanceof Error ? err.message : String(err)}); will try again`);
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(() => void run(), ctx.config.retention.sweepMinutes * 60_000);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
