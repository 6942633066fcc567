import type { NewMessageRequest, PortalMessage, ReplyRequest } from '../../shared/portal-api';
import { contentAad, portalMessageAad, portalMessageOwner } from '../crypto/bindings';
import { discardAttachments, storeAttachments } from '../envelopes/attachments';
import { decryptContentJson, encryptContent } from '../crypto/content-crypto';
import { sql, type Kysely } from 'kysely';
import { HttpError } from '../errors';
import type { Database } from '../store/schema';
import { acceptRecipientFile } from './recipient-files';
import { newId } from '../ids';
import { renderReplyMail } from '../mail/portal-mail';
import { insertOutboxRows, prepareOutboxRow } from '../outbox/enqueue';
import {
  assertReadable,
  findThread,
  listCorrespondents,
  type PortalContent,
  type ThreadRef,
} from './content';
import { recipientActor, type Portal } from './portal';

/**
 * A recipient's secure reply, or a new message to a representative they
 * already correspond with. Stored like an envelope (JWE body, chunked AES-GCM
 * attachments in the blob store) and relayed to the representative through
 * the outbox as ordinary internal mail, threaded after what came before.
 */

type Attachments = ReplyRequest['attachments'];

function checkAttachments(p: Portal, attachments: Attachments): void {
  const limit = p.config.messageAttachmentBytes;
  let total = 0;
  for (const a of attachments) total += Math.floor((a.contentBase64.length * 3) / 4);
  if (total > limit) {
    throw new HttpError(
      'ATTACHMENT_TOO_LARGE',
      `the attachments come to ${(total / 1048576).toFixed(1)} MB; a message may carry at most ${(limit / 1048576).toFixed(0)} MB`,
    );
  }
}

async function threadSubject(p: Portal, thread: ThreadRef): Promise<string> {
  if (thread.kind === 'envelope') {
    const ids = await p.ctx.store.db
      .selectFrom('envelope_recipients')
      .select('id')
      .where('envelope_id', '=', thread.envelopeId)
      .execute();
    const content = (await decryptContentJson(
      p.ctx.keyring,
      thread.contentJwe,
      contentAad(
        thread.envelopeId,
        ids.map((r) => r.id),
      ),
    )) as { subject: string };
    return content.subject;
  }
  const first = await p.ctx.store.db
    .selectFrom('portal_messages')
    .select(['id', 'content_jwe'])
    .where('thread_id', '=', thread.id)
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirst();
  if (first === undefined) return '';
  return (
    (await decryptContentJson(
      p.ctx.keyring,
      first.content_jwe,
      portalMessageAad(first.id, thread.id),
    )) as PortalContent
  ).subject;
}

interface Compose {
  address: string;
  ip: string;
  thread: ThreadRef;
  to: string;
  subject: string;
  text: string;
  attachments: Attachments;
  action: 'message.replied' | 'message.started';
  /** A recipient-started thread's row, inserted with the message. */
  newThread?: { id: string; correspondent: string };
}

/**
 * The attachments as they will be stored and relayed: each checked against
 * the policy's file types, its content type taken from that list, not from
 * the browser.
 */
function acceptAttachments(p: Portal, attachments: Attachments): Attachments {
  const allowed = p.config.recipientMessages.fileTypes;
  return attachments.map((a) => {
    // The first bytes are enough to tell a program or a web page.
    const head = Buffer.from(a.contentBase64.slice(0, 1024), 'base64');
    return { ...a, contentType: acceptRecipientFile(a.name, head, allowed) };
  });
}

function attachmentBytes(attachments: Attachments): number {
  let total = 0;
  for (const a of attachments) total += Math.floor((a.contentBase64.length * 3) / 4);
  return total;
}

/**
 * Refuses a message past the account's hourly count or daily attachment
 * volume. Asked once before any work (the common refusal costs nothing) and
 * again inside the transaction that writes the message, where concurrent
 * sends of one account queue behind each other, so a burst cannot slip past.
 */
async function checkVolume(
  p: Portal,
  db: Kysely<Database>,
  address: string,
  now: Date,
  bytes: number,
): Promise<void> {
  const limits = p.config.recipientMessages;
  const hourAgo = new Date(now.getTime() - 3_600_000).toISOString();
  const dayAgo = new Date(now.getTime() - 86_400_000).toISOString();
  const sent = await db
    .selectFrom('portal_messages')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('address', '=', address)
    .where('created_at', '>', hourAgo)
    .executeTakeFirstOrThrow();
  if (Number(sent.n) >= limits.perHour) {
    throw new HttpError(
      'MESSAGE_LIMIT_REACHED',
      `you have sent ${limits.perHour} messages in the last hour, as many as the portal allows; please try again later or call the sender`,
    );
  }
  if (bytes === 0) return;
  const volume = await db
    .selectFrom('portal_attachments as a')
    .innerJoin('portal_messages as m', 'm.id', 'a.message_id')
    .select((eb) => eb.fn.sum<number | string | null>('a.size').as('bytes'))
    .where('m.address', '=', address)
    .where('m.created_at', '>', dayAgo)
    .executeTakeFirstOrThrow();
  const limit = limits.attachmentMegabytesPerDay * 1024 * 1024;
  if (Number(volume.bytes ?? 0) + bytes > limit) {
    throw new HttpError(
      'MESSAGE_LIMIT_REACHED',
      `these attachments would take you past ${limits.attachmentMegabytesPerDay} MB of files in 24 hours, the portal's limit; send fewer or smaller files, or try again tomorrow`,
    );
  }
}

async function send(p: Portal, given: Compose): Promise<PortalMessage> {
  checkAttachments(p, given.attachments);
  const c: Compose = { ...given, attachments: acceptAttachments(p, given.attachments) };
  const now = new Date();
  const bytes = attachmentBytes(c.attachments);
  await checkVolume(p, p.ctx.store.db, c.address, now, bytes);
  const id = newId();
  const { keyring, config, store } = p.ctx;
  const host = new URL(config.publicUrl).hostname;
  const expires = new Date(now.getTime() + config.links.readDays * 86_400_000);
  const content = await encryptContent(
    keyring,
    { subject: c.subject, text: c.text },
    portalMessageAad(id, c.thread.id),
  );
  // Bound to its message: moved to another message in the database, it does not open.
  const attachments = await storeAttachments(p.ctx, portalMessageOwner(id), c.attachments);

  // Threading for the representative's mail client: after the envelope's
  // notice and every earlier message of this conversation.
  const earlier = await store.db
    .selectFrom('portal_messages')
    .select('mail_message_id')
    .where('thread_id', '=', c.thread.id)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const references = [
    ...(c.thread.kind === 'envelope' ? [`<${c.thread.envelopeId}.${c.thread.id}@${host}>`] : []),
    ...earlier.map((m) => m.mail_message_id),
  ].slice(-20);
  const mailMessageId = `<portal.${id}@${host}>`;
  const outbox = await prepareOutboxRow(
    keyring,
    {
      to: c.to,
      mail: {
        ...renderReplyMail({
          fromAddress: c.address,
          subject: c.subject,
          text: c.text,
          threadUrl: `${config.publicUrl}/portal/#/thread/${c.thread.id}`,
          attachmentNames: c.attachments.map((a) => a.name),
          orgName: config.org.name,
        }),
        replyTo: c.address,
        ...(references.length > 0 ? { inReplyTo: references.at(-1), references } : {}),
        ...(c.attachments.length > 0
          ? {
              attachments: c.attachments.map((a) => ({
                filename: a.name,
                contentType: a.contentType,
                contentBase64: a.contentBase64,
              })),
            }
          : {}),
        auto: false,
      },
      messageId: mailMessageId,
      envelopeId: c.thread.kind === 'envelope' ? c.thread.envelopeId : `thread:${c.thread.id}`,
      recipientId: id,
    },
    now,
  );
  try {
    await store.transact(async (trx) => {
      // One account's sends queue here on PostgreSQL; the embedded store runs one transaction at a time.
      if (store.dialect === 'postgres') {
        await sql`select pg_advisory_xact_lock(hashtextextended(${`portal-send:${c.address}`}, 0))`.execute(
          trx,
        );
      }
      await checkVolume(p, trx, c.address, now, bytes);
      if (c.newThread !== undefined) {
        await trx
          .insertInto('portal_threads')
          .values({
            id: c.newThread.id,
            address: c.address,
            correspondent: c.newThread.correspondent,
            created_at: now.toISOString(),
          })
          .execute();
      }
      await trx
        .insertInto('portal_messages')
        .values({
          id,
          thread_id: c.thread.id,
          envelope_id: c.thread.kind === 'envelope' ? c.thread.envelopeId : null,
          address: c.address,
          to_address: c.to,
          content_jwe: content.jwe,
          content_kid: content.kid,
          mail_message_id: mailMessageId,
          created_at: now.toISOString(),
          expires_at: expires.toISOString(),
        })
        .execute();
      if (attachments.length > 0) {
        await trx
          .insertInto('portal_attachments')
          .values(attachments.map((a) => ({ ...a, message_id: id })))
          .execute();
      }
      await insertOutboxRows(trx, [outbox]);
      await p.audit(trx, {
        actor: recipientActor(c.address),
        action: c.action,
        target: c.thread.kind === 'envelope' ? `envelope:${c.thread.envelopeId}` : `thread:${c.thread.id}`,
        outcome: 'ok',
        sourceIp: c.ip,
        detail: { thread: c.thread.id, message: id, attachments: attachments.length, outbox: outbox.id },
      });
    });
  } catch (e) {
    // Refused (a burst past the limits) or failed: nothing refers to these blobs.
    await discardAttachments(p.ctx, attachments);
    throw e;
  }
  return {
    id,
    direction: 'out',
    from: c.address,
    to: [c.to],
    cc: [],
    sentAt: now.toISOString(),
    subject: c.subject,
    text: c.text,
    attachments: attachments.map((a, i) => ({
      id: a.id,
      name: c.attachments[i]!.name,
      contentType: c.attachments[i]!.contentType,
      size: a.size,
    })),
    expiresAt: expires.toISOString(),
  };
}

export async function reply(
  p: Portal,
  input: { address: string; ip: string; threadId: string; request: ReplyRequest },
): Promise<PortalMessage> {
  const thread = await findThread(p.ctx, input.address, input.threadId);
  await assertReadable(p.ctx, thread, new Date());
  const subject = await threadSubject(p, thread);
  return send(p, {
    address: input.address,
    ip: input.ip,
    thread,
    to: thread.kind === 'envelope' ? thread.sender : thread.correspondent,
    subject: /^re:/i.test(subject) ? subject : `Re: ${subject}`,
    text: input.request.text,
    attachments: input.request.attachments,
    action: 'message.replied',
  });
}

export async function startMessage(
  p: Portal,
  input: { address: string; ip: string; request: NewMessageRequest },
): Promise<{ threadId: string; message: PortalMessage }> {
  const correspondents = await listCorrespondents(p.ctx, input.address);
  if (!correspondents.includes(input.request.to)) {
    throw new HttpError(
      'FORBIDDEN',
      'you can write only to a representative who has sent you a secure message; pick one from the list',
    );
  }
  const threadId = newId();
  const thread: ThreadRef = {
    kind: 'started',
    id: threadId,
    correspondent: input.request.to,
    createdAt: new Date().toISOString(),
  };
  const message = await send(p, {
    address: input.address,
    ip: input.ip,
    thread,
    to: input.request.to,
    subject: input.request.subject,
    text: input.request.text,
    attachments: input.request.attachments,
    action: 'message.started',
    newThread: { id: threadId, correspondent: input.request.to },
  });
  return { threadId, message };
}
