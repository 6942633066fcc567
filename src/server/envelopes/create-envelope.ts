import { escapeHtml } from '../../shared/html';
import { scanText } from '../../detect/index';
import type { CreateEnvelopeRequest, CreateEnvelopeResponse, Notice } from '../../shared/api';
import { appendAudit, type AuditEntry } from '../audit/audit-log';
import type { Sender } from '../auth/sender-auth';
import { HttpError } from '../errors';
import { newId, newToken, sha256 } from '../ids';
import { renderNotice } from '../mail/notice';
import type { ServerContext } from '../context';
import { contentAad, noticeAad, replayAad } from '../crypto/bindings';
import { decryptContentJson, encryptContent } from '../crypto/content-crypto';
import type { Database, OutboxTable } from '../store/schema';
import { storeAttachments, type StoredAttachment } from './attachments';
import type { Insertable, Transaction } from 'kysely';

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
  if (request.from !== sender.address) {
    await auditRefusal(ctx, sender.subject, input.sourceIp, 'from is not the sender');
    throw new HttpError('FORBIDDEN', `'from' must be your own address (${sender.address})`);
  }
  // Only the organisation's own mailboxes send through it, when the admin has named its domains.
  const orgDomains = ctx.policy.orgDomains;
  if (
    orgDomains.length > 0 &&
    !orgDomains.includes(sender.address.slice(sender.address.lastIndexOf('@') + 1))
  ) {
    await auditRefusal(ctx, sender.subject, input.sourceIp, 'sender is outside the organisation');
    throw new HttpError('FORBIDDEN', `only addresses in ${orgDomains.join(', ')} may send secure messages`);
  }
  checkSizes(ctx, request);
  const requestHash = sha256(JSON.stringify(request));
  const replay = await findReplay(ctx, sender.subject, idempotencyKey, requestHash);
  if (replay !== undefined) return replay;

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
  // never a half-written envelope in the database.
  const attachments: StoredAttachment[] = await storeAttachments(ctx, id, request.attachments);

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
    await ctx.store.transact(async (trx) => {
      await trx
        .insertInto('idempotency_keys')
        .values({
          sender_subject: sender.subject,
          key: idempotencyKey,
          request_hash: requestHash,
          envelope_id: id,
          // The answer holds the subject: stored encrypted like the message.
          response_json: (
            await encryptContent(ctx.keyring, response, replayAad(sender.subject, idempotencyKey))
          ).jwe,
          created_at: at,
        })
        .execute();
      await trx
        .insertInto('envelopes')
        .values({
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
        })
        .execute();
      await trx
        .insertInto('envelope_recipients')
        .values(recipients.map((r) => ({ id: r.id, envelope_id: id, address: r.address, kind: r.kind })))
        .execute();
      if (attachments.length > 0) {
        await trx
          .insertInto('attachments')
          .values(attachments.map((a) => ({ ...a, envelope_id: id })))
          .execute();
      }
      await trx
        .insertInto('recipients')
        .values(recipients.map((r) => ({ address: r.address, registered_at: null })))
        .onConflict((oc) => oc.column('address').doNothing())
        .execute();
      await writeLinksAndNotices(trx, id, recipients, outbox, now, expires);
      await appendAudit(trx, ctx.keyring.auditKey, ctx.store.dialect, [
        {
          actor: `sender:${sender.subject}`,
          action: 'envelope.created',
          target: `envelope:${id}`,
          outcome: 'ok',
          sourceIp: input.sourceIp,
          detail: { recipients: recipients.length, attachments: attachments.length },
        },
        ...queuedRecords(id, outbox),
      ]);
    });
  } catch (e) {
    // Nothing refers to this request's ciphertext now; a crash before this
    // point is the one way an unreferenced blob can remain.
    await Promise.all(attachments.map((a) => ctx.blobs.delete(a.blob_key).catch(() => undefined)));
    // Two requests with one key raced: the loser answers as the winner did.
    const raced = await findReplay(ctx, sender.subject, idempotencyKey, requestHash);
    if (raced !== undefined) return raced;
    throw e;
  }
  return response;
}

async function findReplay(
  ctx: ServerContext,
  subject: string,
  key: string,
  requestHash: string,
): Promise<CreateEnvelopeResponse | undefined> {
  const row = await ctx.store.db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'response_json'])
    .where('sender_subject', '=', subject)
    .where('key', '=', key)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  if (row.request_hash !== requestHash) {
    await auditRefusal(ctx, subject, null, 'idempotency key reused for another message');
    throw new HttpError(
      'IDEMPOTENCY_CONFLICT',
      'this Idempotency-Key was already used for a different message; use a new key for a new message',
    );
  }
  return (await decryptContentJson(
    ctx.keyring,
    row.response_json,
    replayAad(subject, key),
  )) as CreateEnvelopeResponse;
}

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
  const outboxId = newId();
  const notice = renderNotice({
    orgName: ctx.config.org.name,
    supportContact: ctx.config.org.supportContact,
    senderName: n.sender.name,
    senderAddress: n.sender.address,
    link: `${ctx.config.publicUrl}/r/${n.token}`,
    firstTime: n.firstTime,
    expiresAt: n.expiresAt,
  });
  const at = n.now.toISOString();
  return {
    id: outboxId,
    envelope_id: n.envelopeId,
    recipient_id: n.recipientId,
    message_id: `<${n.envelopeId}.${outboxId}@${new URL(ctx.config.publicUrl).hostname}>`,
    to_address: n.address,
    notice_json: (await encryptContent(ctx.keyring, notice, noticeAad(outboxId))).jwe,
    status: 'pending',
    next_attempt_at: at,
    last_error: null,
    created_at: at,
    sent_at: null,
  };
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

/** Stores new secure links (their tokens' hashes only) and the notices that carry them. */
export async function writeLinksAndNotices(
  trx: Transaction<Database>,
  envelopeId: string,
  links: readonly { id: string; token: string }[],
  notices: readonly Insertable<OutboxTable>[],
  now: Date,
  expiresAt: Date,
): Promise<void> {
  await trx
    .insertInto('secure_links')
    .values(
      links.map((r) => ({
        token_hash: sha256(r.token),
        envelope_id: envelopeId,
        recipient_id: r.id,
        created_at: now.toISOString(),
        expires_at: expiresAt.toISOString(),
        last_used_at: null,
      })),
    )
    .execute();
  await trx.insertInto('outbox').values(notices).execute();
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

/**
 * A signed-in sender's refused attempt, on the record: sending as someone
 * else, or reusing a key for another message. (Requests without a valid token
 * are not recorded, so strangers cannot fill the log.)
 */
async function auditRefusal(
  ctx: ServerContext,
  senderSubject: string,
  sourceIp: string | null,
  reason: string,
): Promise<void> {
  await appendAudit(ctx.store.db, ctx.keyring.auditKey, ctx.store.dialect, {
    actor: `sender:${senderSubject}`,
    action: 'envelope.refused',
    target: 'envelope:none',
    outcome: 'denied',
    sourceIp,
    detail: { reason },
  });
}

function uniqueRecipients(request: CreateEnvelopeRequest): { address: string; kind: 'to' | 'cc' | 'bcc' }[] {
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

function checkSizes(ctx: ServerContext, request: CreateEnvelopeRequest): void {
  const { bodyBytes, attachmentBytes, totalBytes } = ctx.config.limits;
  const body = Buffer.byteLength(request.html ?? '') + Buffer.byteLength(request.text ?? '');
  if (body > bodyBytes) {
    throw new HttpError(
      'ENVELOPE_TOO_LARGE',
      `the message body is ${mb(body)}; the limit is ${mb(bodyBytes)}`,
    );
  }
  let total = body;
  for (const a of request.attachments) {
    const size = Math.floor((a.contentBase64.length * 3) / 4);
    if (size > attachmentBytes) {
      throw new HttpError(
        'ATTACHMENT_TOO_LARGE',
        `attachment '${a.name}' is ${mb(size)}; the limit per attachment is ${mb(attachmentBytes)}`,
      );
    }
    total += size;
  }
  if (total > totalBytes) {
    throw new HttpError('ENVELOPE_TOO_LARGE', `the message is ${mb(total)}; the limit is ${mb(totalBytes)}`);
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * The text Outlook sends in place of the message. It travels in the clear to
 * every recipient, so it holds no content and no personal link: each recipient
 * gets their own link in a separate notice. Its subject is generic: a
 * subject says what a message is about ("HIV test results for Jane Doe")
 * even when no detector flags it. Policy may let the original subject show,
 * and then one that itself carries sensitive data is still replaced.
 */
function outlookNotice(ctx: ServerContext, sender: Sender, subject: string): Notice {
  const generic = `Secure message from ${ctx.config.org.name}`;
  const shown =
    ctx.config.policy.noticeSubject === 'original' &&
    subject.trim() !== '' &&
    // A policy keyword ("confidential") in the subject is a reason to hide it too.
    scanText(subject, 'text', ctx.policy.detection).length === 0
      ? `[Secure] ${subject}`
      : generic;
  const portal = `${ctx.config.publicUrl}/portal/`;
  const from = sender.name ?? sender.address;
  const text =
    `${from} sent you a secure message through ${ctx.config.org.name}.\n\n` +
    `It is not in this e-mail. Each recipient receives a separate e-mail with a personal link to read it.\n` +
    `Already registered? Sign in at ${portal}\n\n` +
    `Questions: ${ctx.config.org.supportContact}\n`;
  const html =
    `<div style="font-family:Segoe UI,Arial,sans-serif;font-size:14px;line-height:1.5">` +
    `<p><strong>${escapeHtml(from)}</strong> sent you a secure message through ${escapeHtml(ctx.config.org.name)}.</p>` +
    `<p>It is not in this e-mail. Each recipient receives a separate e-mail with a personal link to read it.</p>` +
    `<p>Already registered? Sign in at <a href="${escapeHtml(portal)}">${escapeHtml(portal)}</a></p>` +
    `<p style="color:#555">Questions: ${escapeHtml(ctx.config.org.supportContact)}</p></div>`;
  return { subject: shown, html, text };
}
