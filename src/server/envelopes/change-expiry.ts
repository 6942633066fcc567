import { MAX_EXPIRY_DAYS, type ChangeExpiryResponse } from '../../shared/api';
import { appendAudit } from '../audit/audit-log';
import type { Sender } from '../auth/sender-auth';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';
import { findOwnEnvelope, senderActor, senderDetail } from './authorise';

/** The soonest a new expiry may be: ending a message now is what withdrawing is for. */
const MIN_AHEAD_MS = 5 * 60_000;
const DAY_MS = 86_400_000;

/**
 * Moves a secure message's expiry, later or sooner, for the sender who sent
 * it. Links still in force move with it, so a recipient's link lasts as long
 * as the message does; expired or withdrawn messages stay as they are.
 */
export async function changeExpiry(
  ctx: ServerContext,
  input: { sender: Sender; envelopeId: string; expiresAt: string; sourceIp: string | null },
): Promise<ChangeExpiryResponse> {
  const { sender, envelopeId } = input;
  const now = Date.now();
  const wanted = Date.parse(input.expiresAt);
  if (wanted < now + MIN_AHEAD_MS) {
    throw new HttpError(
      'VALIDATION_FAILED',
      'the new expiry must be at least 5 minutes from now; to end the message now, withdraw it',
    );
  }
  if (wanted > now + MAX_EXPIRY_DAYS * DAY_MS) {
    throw new HttpError(
      'VALIDATION_FAILED',
      `the new expiry may be at most ${MAX_EXPIRY_DAYS} days from now`,
    );
  }
  const expiresAt = new Date(wanted).toISOString();
  const envelope = await findOwnEnvelope(ctx, sender, envelopeId);
  if (envelope.revoked_at !== null)
    throw new HttpError('REVOKED', 'this message was withdrawn; send it again instead');
  if (Date.parse(envelope.expires_at) <= now) {
    throw new HttpError('EXPIRED', 'this message has expired; send it again instead');
  }
  const nowIso = new Date(now).toISOString();
  await ctx.store.transact(async (trx) => {
    await trx.updateTable('envelopes').set({ expires_at: expiresAt }).where('id', '=', envelopeId).execute();
    await trx
      .updateTable('secure_links')
      .set({ expires_at: expiresAt })
      .where('envelope_id', '=', envelopeId)
      .where('expires_at', '>', nowIso)
      .execute();
    await appendAudit(trx, ctx.keyring.auditKey, ctx.store.dialect, {
      actor: senderActor(sender),
      action: 'envelope.expiry.changed',
      target: `envelope:${envelopeId}`,
      outcome: 'ok',
      sourceIp: input.sourceIp,
      detail: { ...senderDetail(sender), from: envelope.expires_at, to: expiresAt },
    });
  });
  return { id: envelopeId, expiresAt };
}
