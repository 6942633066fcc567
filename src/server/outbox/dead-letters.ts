/**
 * Notices the outbox gave up on, for the people who fix the cause: listed,
 * and put back in the queue once the relay or the address is right. A dead
 * letter keeps its sealed notice until retention deletes its message, so it
 * can be sent as it was; one given up on before dead letters were kept has
 * nothing left to send and is refused by name (resend its links instead).
 */
import type { Keyring } from '../crypto/keyring';
import { appendAudit } from '../audit/audit-log';
import type { Store } from '../store/db';
import type { Db } from '../store/db';

export interface DeadLetter {
  id: string;
  envelopeId: string;
  to: string;
  attempts: number;
  /** Code and SMTP reply code only, never the reply's text. */
  lastError: string | null;
  createdAt: string;
  /** False when its notice was scrubbed (given up on before dead letters were kept). */
  requeueable: boolean;
}

/** What a scrubbed notice holds: nothing to send. */
function scrubbed(noticeJson: string): boolean {
  return noticeJson.startsWith('{') && noticeJson.includes('"scrubbed"');
}

export async function listDeadLetters(db: Db, limit = 500): Promise<DeadLetter[]> {
  const rows = await db
    .selectFrom('outbox')
    .select(['id', 'envelope_id', 'to_address', 'attempts', 'last_error', 'created_at', 'notice_json'])
    .where('status', '=', 'dead')
    .orderBy('created_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    envelopeId: r.envelope_id,
    to: r.to_address,
    attempts: r.attempts,
    lastError: r.last_error,
    createdAt: r.created_at,
    requeueable: !scrubbed(r.notice_json),
  }));
}

export interface RequeueResult {
  requeued: string[];
  refused: { id: string; reason: string }[];
}

/**
 * Puts dead letters back in the queue, due now with a fresh attempt count,
 * each on the audit record with who did it. `ids` 'all' takes every dead
 * letter that can be sent.
 */
export async function requeueDeadLetters(
  store: Store,
  keyring: Keyring,
  ids: readonly string[] | 'all',
  actor: string,
  now = new Date(),
): Promise<RequeueResult> {
  return store.transact(async (trx) => {
    let query = trx.selectFrom('outbox').select(['id', 'status', 'notice_json', 'envelope_id']);
    query = ids === 'all' ? query.where('status', '=', 'dead') : query.where('id', 'in', [...ids, '']);
    const rows = await query.execute();
    const result: RequeueResult = { requeued: [], refused: [] };
    const found = new Set(rows.map((r) => r.id));
    if (ids !== 'all') {
      for (const id of ids) if (!found.has(id)) result.refused.push({ id, reason: 'no such notice' });
    }
    for (const r of rows) {
      if (r.status !== 'dead') {
        result.refused.push({ id: r.id, reason: `it is ${r.status}, not dead` });
      } else if (scrubbed(r.notice_json)) {
        result.refused.push({
          id: r.id,
          reason: 'its notice was not kept; send the recipient a new link (POST /v1/envelopes/:id/resend)',
        });
      } else {
        result.requeued.push(r.id);
      }
    }
    if (result.requeued.length === 0) return result;
    await trx
      .updateTable('outbox')
      .set({ status: 'pending', attempts: 0, next_attempt_at: now.toISOString(), last_error: null })
      .where('id', 'in', result.requeued)
      .where('status', '=', 'dead')
      .execute();
    await appendAudit(
      trx,
      keyring.auditKey,
      store.dialect,
      rows
        .filter((r) => result.requeued.includes(r.id))
        .map((r) => ({
          actor,
          action: 'notice.requeued' as const,
          target: `outbox:${r.id}`,
          outcome: 'ok' as const,
          detail: { envelope: r.envelope_id },
        })),
    );
    return result;
  });
}

export interface OutboxHealth {
  pending: number;
  dead: number;
  /** Age of the oldest notice still waiting, in seconds; 0 when none waits. */
  oldestPendingSeconds: number;
}

/** The queue as health reports it: read through the (status, next_attempt_at) index, cheap enough per check. */
export async function outboxHealth(db: Db, now = new Date()): Promise<OutboxHealth> {
  const count = async (status: 'pending' | 'dead'): Promise<number> => {
    const r = await db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
      .where('status', '=', status)
      .executeTakeFirst();
    return Number(r?.n ?? 0);
  };
  const oldest = await db
    .selectFrom('outbox')
    .select((eb) => eb.fn.min('created_at').as('oldest'))
    .where('status', '=', 'pending')
    .executeTakeFirst();
  const oldestAt = oldest?.oldest ?? null;
  return {
    pending: await count('pending'),
    dead: await count('dead'),
    oldestPendingSeconds:
      oldestAt === null ? 0 : Math.max(0, Math.round((now.getTime() - Date.parse(oldestAt)) / 1000)),
  };
}
