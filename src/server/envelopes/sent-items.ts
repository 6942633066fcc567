import type { SentItem, SentItemsResponse, SentRecipient } from '../../shared/api';
import type { Sender } from '../auth/sender-auth';
import type { ServerContext } from '../context';
import { recipientActor } from '../portal/portal';

/**
 * A sender's own secure messages, newest first, and where each recipient is:
 * their notice's delivery, when they opened it and when they replied. What
 * happened comes from the outbox (delivery) and the audit log (opens and
 * replies), so the view says only what the system recorded; it holds no
 * content. Only the sender's own envelopes are listed.
 */
export async function sentItems(
  ctx: ServerContext,
  sender: Pick<Sender, 'subject' | 'tenantId'>,
  limit: number,
): Promise<SentItemsResponse> {
  const db = ctx.store.db;
  const envelopes = await db
    .selectFrom('envelopes')
    .select(['id', 'created_at', 'expires_at', 'revoked_at'])
    .where('sender_subject', '=', sender.subject)
    .where('tenant_id', '=', sender.tenantId)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .limit(limit)
    .execute();
  if (envelopes.length === 0) return { envelopes: [] };
  const ids = envelopes.map((e) => e.id);
  const [recipients, notices, events] = await Promise.all([
    db
      .selectFrom('envelope_recipients')
      .select(['id', 'envelope_id', 'address', 'kind', 'revoked_at'])
      .where('envelope_id', 'in', ids)
      .execute(),
    db
      .selectFrom('outbox')
      .select(['recipient_id', 'status', 'attempts', 'sent_at', 'created_at'])
      .where('envelope_id', 'in', ids)
      .orderBy('created_at')
      .execute(),
    db
      .selectFrom('audit_log')
      .select(['target', 'actor', 'action', 'at'])
      .where(
        'target',
        'in',
        ids.map((id) => `envelope:${id}`),
      )
      .where('action', 'in', ['link.opened', 'message.read', 'message.replied'])
      .where('outcome', '=', 'ok')
      .orderBy('seq')
      .execute(),
  ]);
  // The newest notice of each recipient counts: a re-sent link replaces the one before.
  const newest = new Map<string, (typeof notices)[number]>();
  for (const n of notices) newest.set(n.recipient_id, n);
  const byEnvelope = new Map<string, SentRecipient[]>();
  for (const r of recipients) {
    const n = newest.get(r.id);
    const mine = events.filter(
      (e) => e.target === `envelope:${r.envelope_id}` && e.actor === recipientActor(r.address),
    );
    const opens = mine.filter((e) => e.action !== 'message.replied');
    const replies = mine.filter((e) => e.action === 'message.replied');
    const list = byEnvelope.get(r.envelope_id) ?? [];
    list.push({
      address: r.address,
      kind: r.kind,
      notice: noticeState(n),
      deliveredAt: n?.status === 'sent' ? n.sent_at : null,
      firstOpenedAt: opens[0]?.at ?? null,
      lastOpenedAt: opens.at(-1)?.at ?? null,
      repliedAt: replies.at(-1)?.at ?? null,
      revokedAt: r.revoked_at,
    });
    byEnvelope.set(r.envelope_id, list);
  }
  return {
    envelopes: envelopes.map((e): SentItem => ({
      id: e.id,
      createdAt: e.created_at,
      expiresAt: e.expires_at,
      revokedAt: e.revoked_at,
      recipients: byEnvelope.get(e.id) ?? [],
    })),
  };
}

function noticeState(n: { status: string; attempts: number } | undefined): SentRecipient['notice'] {
  if (n === undefined) return 'queued';
  if (n.status === 'sent') return 'delivered';
  if (n.status === 'dead') return 'dead-lettered';
  return n.attempts > 0 ? 'retrying' : 'queued';
}
