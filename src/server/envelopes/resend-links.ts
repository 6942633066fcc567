import type { Sender } from '../auth/sender-auth';
import { appendAudit } from '../audit/audit-log';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';
import { newToken } from '../ids';
import { noticeRow, queuedRecords, registeredAmong, linkAndNoticeWrites } from './notices';
import { senderActor, senderDetail } from './authorise';

export interface ResendResult {
  id: string;
  recipients: { address: string }[];
  expiresAt: string;
  /** How many earlier links of these recipients stopped working: each has only its newest link. */
  earlierLinksRetired: number;
}

/**
 * Sends recipients a fresh secure link, in a new notice: for a link that
 * expired, or a notice that was lost or deleted. Only the envelope's own
 * sender may, and not for a revoked envelope. The message becomes readable
 * for the policy's reading period from now (the sender's decision), and each
 * new link, notice and audit record is written in one transaction. The
 * recipients' earlier links stop working in the same transaction: a notice
 * that went astray (the reason to re-send, often) must not stay a key to
 * the message.
 */
export async function resendLinks(
  ctx: ServerContext,
  input: {
    sender: Sender;
    envelopeId: string;
    addresses: readonly string[] | undefined;
    sourceIp: string | null;
  },
): Promise<ResendResult> {
  const { sender, envelopeId } = input;
  const envelope = await ctx.store.db
    .selectFrom('envelopes')
    .select(['id', 'sender_subject', 'tenant_id', 'revoked_at', 'expires_at'])
    .where('id', '=', envelopeId)
    .executeTakeFirst();
  // Another sender's envelope answers as a missing one: its existence is not theirs to learn.
  if (
    envelope === undefined ||
    envelope.sender_subject !== sender.subject ||
    envelope.tenant_id !== sender.tenantId
  ) {
    throw new HttpError('NOT_FOUND', 'no such envelope');
  }
  if (envelope.revoked_at !== null) {
    throw new HttpError('REVOKED', 'this secure message was revoked; send a new one instead');
  }
  const all = await ctx.store.db
    .selectFrom('envelope_recipients')
    .select(['id', 'address'])
    .where('envelope_id', '=', envelopeId)
    .execute();
  const wanted = input.addresses === undefined ? undefined : new Set(input.addresses);
  const chosen = wanted === undefined ? all : all.filter((r) => wanted.has(r.address));
  if (wanted !== undefined) {
    const unknown = [...wanted].filter((a) => !all.some((r) => r.address === a));
    if (unknown.length > 0) {
      throw new HttpError('INVALID_ADDRESS', `not a recipient of this message: ${unknown.join(', ')}`);
    }
  }

  const now = new Date();
  const readUntil = new Date(now.getTime() + ctx.config.links.readDays * 86_400_000);
  const expires = readUntil.toISOString() > envelope.expires_at ? readUntil : new Date(envelope.expires_at);
  const registered = await registeredAmong(
    ctx,
    chosen.map((r) => r.address),
  );
  const links = chosen.map((r) => ({ ...r, token: newToken() }));
  const outbox = await Promise.all(
    links.map((r) =>
      noticeRow(ctx, {
        envelopeId,
        recipientId: r.id,
        address: r.address,
        token: r.token,
        sender: { name: sender.name ?? sender.address, address: sender.address },
        firstTime: !registered.has(r.address),
        expiresAt: expires,
        now,
      }),
    ),
  );
  let retiredCount = 0;
  await ctx.store.transact(async (trx) => {
    await trx
      .updateTable('envelopes')
      .set({ expires_at: expires.toISOString() })
      .where('id', '=', envelopeId)
      .where('revoked_at', 'is', null)
      .execute();
    const retired = await trx
      .updateTable('secure_links')
      .set({ expires_at: now.toISOString() })
      .where('envelope_id', '=', envelopeId)
      .where(
        'recipient_id',
        'in',
        links.map((r) => r.id),
      )
      .where('expires_at', '>', now.toISOString())
      .executeTakeFirst();
    retiredCount = Number(retired.numUpdatedRows);
    await appendAudit(
      trx,
      ctx.keyring.auditKey,
      ctx.store.dialect,
      [
        {
          actor: senderActor(sender),
          action: 'link.resent',
          target: `envelope:${envelopeId}`,
          outcome: 'ok',
          sourceIp: input.sourceIp,
          detail: {
            recipients: links.length,
            expires: expires.toISOString(),
            retired: retiredCount,
            ...senderDetail(sender),
          },
        },
        ...queuedRecords(envelopeId, outbox),
      ],
      linkAndNoticeWrites(trx, envelopeId, links, outbox, now, expires),
    );
  });
  return {
    id: envelopeId,
    recipients: links.map((r) => ({ address: r.address })),
    expiresAt: expires.toISOString(),
    earlierLinksRetired: retiredCount,
  };
}
