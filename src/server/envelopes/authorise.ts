import type { CreateEnvelopeRequest } from '../../shared/api';
import { appendAudit } from '../audit/audit-log';
import type { Sender } from '../auth/sender-auth';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';

/**
 * Whether this signed-in sender may send this message: only as themselves,
 * and, when the admin has named the organisation's domains, only from one of
 * them. A refusal is on the record before the 403.
 */
export async function authoriseSender(
  ctx: ServerContext,
  sender: Sender,
  request: Pick<CreateEnvelopeRequest, 'from'>,
  sourceIp: string | null,
): Promise<void> {
  if (request.from !== sender.address) {
    await auditRefusal(ctx, sender, sourceIp, 'from is not the sender');
    throw new HttpError('FORBIDDEN', `'from' must be your own address (${sender.address})`);
  }
  // Only the organisation's own mailboxes send through it, when the admin has named its domains.
  const orgDomains = ctx.policy.orgDomains;
  if (
    orgDomains.length > 0 &&
    !orgDomains.includes(sender.address.slice(sender.address.lastIndexOf('@') + 1))
  ) {
    await auditRefusal(ctx, sender, sourceIp, 'sender is outside the organisation');
    throw new HttpError('FORBIDDEN', `only addresses in ${orgDomains.join(', ')} may send secure messages`);
  }
}

/**
 * A signed-in sender's refused attempt, on the record: sending as someone
 * else, or reusing a key for another message. (Requests without a valid token
 * are not recorded, so strangers cannot fill the log.)
 */
export async function auditRefusal(
  ctx: ServerContext,
  sender: SenderNames,
  sourceIp: string | null,
  reason: string,
): Promise<void> {
  await appendAudit(ctx.store.db, ctx.keyring.auditKey, ctx.store.dialect, {
    actor: senderActor(sender),
    action: 'envelope.refused',
    target: 'envelope:none',
    outcome: 'denied',
    sourceIp,
    detail: { reason, ...senderDetail(sender) },
  });
}

/** What an audit record needs of a sender. */
export type SenderNames = Pick<Sender, 'subject' | 'address'>;

/**
 * A sender as audit records name them: by address, which is what an auditor
 * searches for; the directory's stable id goes in the detail (senderDetail),
 * since an address can be renamed or reassigned.
 */
export function senderActor(sender: SenderNames): string {
  return `sender:${sender.address}`;
}

export function senderDetail(sender: SenderNames): { senderOid: string } {
  return { senderOid: sender.subject };
}

/**
 * One of the sender's own envelopes, by id. Another sender's envelope answers
 * as a missing one: its existence is not theirs to learn.
 */
export async function findOwnEnvelope(
  ctx: ServerContext,
  sender: Pick<Sender, 'subject' | 'tenantId'>,
  id: string,
): Promise<{ id: string; expires_at: string; revoked_at: string | null }> {
  const envelope = /^[\w-]{1,64}$/.test(id)
    ? await ctx.store.db
        .selectFrom('envelopes')
        .select(['id', 'expires_at', 'revoked_at'])
        .where('id', '=', id)
        .where('sender_subject', '=', sender.subject)
        .where('tenant_id', '=', sender.tenantId)
        .executeTakeFirst()
    : undefined;
  if (envelope === undefined) throw new HttpError('NOT_FOUND', 'no such envelope of yours');
  return envelope;
}
