import type { CreateEnvelopeRequest, CreateEnvelopeResponse } from '../../shared/api';
import { appendAudit } from '../audit/audit-log';
import type { Sender } from '../auth/sender-auth';
import type { ServerContext } from '../context';
import { contentAad, envelopeOwner } from '../crypto/bindings';
import { encryptContent } from '../crypto/content-crypto';
import { newId, newToken } from '../ids';
import { discardAttachments, storeAttachments } from './attachments';
import { authoriseSender, senderActor, senderDetail } from './authorise';
import { findReplay, requestHash, sealedAnswer } from './idempotency';
import { checkEnvelopeSize } from './limits';
import { noticeRow, queuedRecords, registeredAmong, linkAndNoticeWrites } from './notices';
import { outlookNotice } from './outlook-notice';

export interface CreateEnvelopeInput {
  sender: Sender;
  request: CreateEnvelopeRequest;
  idempotencyKey: string;
  sourceIp: string | null;
}

/**
 * Stores a message encrypted and queues one notice per recipient, all in one
 * transaction with its audit records: after a 201 the envelope, its links and
 * its notices exist together or not at all. The same idempotency key with the
 * same body answers as the first time; with another body, 409.
 */
export async function createEnvelope(
  ctx: ServerContext,
  input: CreateEnvelopeInput,
): Promise<CreateEnvelopeResponse> {
  const { sender, request, idempotencyKey } = input;
  await authoriseSender(ctx, sender, request, input.sourceIp);
  checkEnvelopeSize(ctx.config.limits, request);
  const hash = requestHash(request);
  // A new key is the common case, so it is not looked up first: the key's row
  // is written with the envelope, and a replay fails on its uniqueness and
  // then answers as the first request did (below). On PostgreSQL that saves a
  // round trip per envelope; a replay pays for the work it then discards.

  const id = newId();
  const now = new Date();
  const expires = new Date(now.getTime() + ctx.config.links.readDays * 86_400_000);
  const recipients = uniqueRecipients(request).map((r) => ({ ...r, id: newId(), token: newToken() }));
  const aad = contentAad(
    id,
    recipients.map((r) => r.id),
  );
  const content = await encryptContent(
    ctx.keyring,
    { subject: request.subject, html: request.html ?? null, text: request.text ?? null },
    aad,
  );
  // Blobs are written before the transaction, and removed again if it fails:
  // never a half-written envelope in the database. The metadata names the
  // envelope too, which is how attachments wrapped before owners were bound
  // are checked.
  const attachments = await storeAttachments(ctx, envelopeOwner(id), request.attachments, {
    envelopeId: id,
  });

  const registered = await registeredAmong(
    ctx,
    recipients.map((r) => r.address),
  );
  const response: CreateEnvelopeResponse = {
    id,
    notice: outlookNotice(ctx, sender, request.subject),
    recipients: recipients.map((r) => ({ address: r.address })),
  };
  const at = now.toISOString();
  const outbox = await Promise.all(
    recipients.map((r) =>
      noticeRow(ctx, {
        envelopeId: id,
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

  try {
    const answer = await sealedAnswer(ctx, sender.subject, idempotencyKey, response);
    await ctx.store.transact(async (trx) => {
      const writes = [
        trx.insertInto('idempotency_keys').values({
          sender_subject: sender.subject,
          key: idempotencyKey,
          request_hash: hash,
          envelope_id: id,
          response_json: answer,
          created_at: at,
        }),
        trx.insertInto('envelopes').values({
          id,
          sender: sender.address,
          sender_name: sender.name ?? null,
          sender_subject: sender.subject,
          tenant_id: sender.tenantId,
          content_jwe: content.jwe,
          content_kid: content.kid,
          created_at: at,
          expires_at: expires.toISOString(),
          revoked_at: null,
        }),
        trx
          .insertInto('envelope_recipients')
          .values(recipients.map((r) => ({ id: r.id, envelope_id: id, address: r.address, kind: r.kind }))),
        ...(attachments.length > 0
          ? [trx.insertInto('attachments').values(attachments.map((a) => ({ ...a, envelope_id: id })))]
          : []),
        trx
          .insertInto('recipients')
          .values(recipients.map((r) => ({ address: r.address, registered_at: null })))
          .onConflict((oc) => oc.column('address').doNothing()),
        ...linkAndNoticeWrites(trx, id, recipients, outbox, now, expires),
      ];
      await appendAudit(
        trx,
        ctx.keyring.auditKey,
        ctx.store.dialect,
        [
          {
            actor: senderActor(sender),
            action: 'envelope.created',
            target: `envelope:${id}`,
            outcome: 'ok',
            sourceIp: input.sourceIp,
            detail: {
              recipients: recipients.length,
              attachments: attachments.length,
              ...senderDetail(sender),
            },
          },
          ...queuedRecords(id, outbox),
        ],
        writes,
      );
    });
  } catch (e) {
    // Nothing refers to this request's ciphertext now; a crash before this
    // point is the one way an unreferenced blob can remain.
    await discardAttachments(ctx, attachments);
    // The key was used before (a retry), or two requests with it raced: this
    // one answers as the first did, or 409 when the first carried another body.
    const replay = await findReplay(ctx, sender, idempotencyKey, hash);
    if (replay !== undefined) return replay;
    throw e;
  }
  return response;
}

/** Each address once, under the first field it appears in (to, then cc, then bcc). */
export function uniqueRecipients(
  request: Pick<CreateEnvelopeRequest, 'to' | 'cc' | 'bcc'>,
): { address: string; kind: 'to' | 'cc' | 'bcc' }[] {
  const seen = new Set<string>();
  const out: { address: string; kind: 'to' | 'cc' | 'bcc' }[] = [];
  for (const kind of ['to', 'cc', 'bcc'] as const) {
    for (const address of request[kind]) {
      if (seen.has(address)) continue;
      seen.add(address);
      out.push({ address, kind });
    }
  }
  return out;
}
