import type { Insertable, Transaction } from 'kysely';
import type { AuditEntry } from '../audit/audit-log';
import type { ServerContext } from '../context';
import { sha256 } from '../ids';
import { renderNotice } from '../mail/notice';
import { newOutboxId, outboxInsert, prepareOutboxRow } from '../outbox/enqueue';
import type { Write } from '../store/write-together';
import type { Database, OutboxTable } from '../store/schema';

/**
 * The per-recipient notices that carry secure links: shared by a new
 * envelope and by links resent for one.
 */

export interface NoticeFor {
  envelopeId: string;
  recipientId: string;
  address: string;
  /** The recipient's new secure-link token, in the clear only inside the encrypted notice. */
  token: string;
  sender: { name: string; address: string };
  firstTime: boolean;
  expiresAt: Date;
  now: Date;
}

/**
 * The outbox row of one recipient's notice. The notice holds the recipient's
 * secure link, so it is stored encrypted until sent. The Message-ID is unique
 * per row and stable across its retries.
 */
export async function noticeRow(ctx: ServerContext, n: NoticeFor): Promise<Insertable<OutboxTable>> {
  const outboxId = newOutboxId();
  const notice = renderNotice({
    orgName: ctx.config.org.name,
    supportContact: ctx.config.org.supportContact,
    senderName: n.sender.name,
    senderAddress: n.sender.address,
    link: `${ctx.config.publicUrl}/r/${n.token}`,
    firstTime: n.firstTime,
    expiresAt: n.expiresAt,
    recipientAddress: n.address,
    ...(ctx.config.org.logoUrl !== undefined ? { logoUrl: ctx.config.org.logoUrl } : {}),
  });
  return prepareOutboxRow(
    ctx.keyring,
    {
      to: n.address,
      mail: notice,
      messageId: `<${n.envelopeId}.${outboxId}@${new URL(ctx.config.publicUrl).hostname}>`,
      envelopeId: n.envelopeId,
      recipientId: n.recipientId,
    },
    n.now,
    outboxId,
  );
}

/**
 * Which of these addresses belong to registered recipients: their notices
 * say "sign in" instead of "register".
 */
export async function registeredAmong(
  ctx: ServerContext,
  addresses: readonly string[],
): Promise<Set<string>> {
  const rows = await ctx.store.db
    .selectFrom('recipients')
    .select('address')
    .where('address', 'in', [...addresses])
    .where('registered_at', 'is not', null)
    .execute();
  return new Set(rows.map((r) => r.address));
}

/** The writes that store new secure links (their tokens' hashes only) and the notices that carry them. */
export function linkAndNoticeWrites(
  trx: Transaction<Database>,
  envelopeId: string,
  links: readonly { id: string; token: string }[],
  notices: readonly Insertable<OutboxTable>[],
  now: Date,
  expiresAt: Date,
): Write[] {
  const writes: Write[] = [
    trx.insertInto('secure_links').values(
      links.map((r) => ({
        token_hash: sha256(r.token),
        envelope_id: envelopeId,
        recipient_id: r.id,
        created_at: now.toISOString(),
        expires_at: expiresAt.toISOString(),
        last_used_at: null,
      })),
    ),
  ];
  if (notices.length > 0) writes.push(outboxInsert(trx, notices));
  return writes;
}

/** The audit records of queued notices. */
export function queuedRecords(envelopeId: string, notices: readonly Insertable<OutboxTable>[]): AuditEntry[] {
  return notices.map((o) => ({
    actor: 'system',
    action: 'notice.queued',
    target: `outbox:${o.id}`,
    outcome: 'ok',
    detail: { envelope: envelopeId, recipient: o.recipient_id },
  }));
}
