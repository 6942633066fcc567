import type { AttachmentInfo, PortalMessage, Thread, ThreadSummary } from '../../shared/portal-api';
import type { ServerContext } from '../context';
import { decryptContentJson } from '../crypto/content-crypto';
import { attachmentMetaAad, contentAad, portalMessageAad } from '../crypto/bindings';
import { HttpError } from '../errors';

/**
 * What a recipient may see, and nothing else. Every query here is keyed by
 * the signed-in recipient's address, so another recipient's thread, message
 * or attachment id finds nothing and answers exactly like an id that never
 * existed.
 *
 * Threads: an envelope is a thread for each of its recipients, with that
 * recipient's own row id (random, one per recipient) as the thread id; a
 * message the recipient starts makes a thread of its own. The recipient's
 * replies and new messages are portal_messages of a thread.
 */

export type ThreadRef =
  | {
      kind: 'envelope';
      id: string;
      envelopeId: string;
      sender: string;
      senderName: string | null;
      contentJwe: string;
      createdAt: string;
      expiresAt: string;
      revokedAt: string | null;
    }
  | { kind: 'started'; id: string; correspondent: string; createdAt: string };

/** Thrown for any id the recipient may not see: the same answer as for an id that does not exist. */
export function notFound(): HttpError {
  return new HttpError('NOT_FOUND', 'no such message');
}

/** The recipient's threads that began with an envelope: one per recipient row of theirs. */
function envelopeThreads(ctx: ServerContext, address: string) {
  return ctx.store.db
    .selectFrom('envelope_recipients as er')
    .innerJoin('envelopes as e', 'e.id', 'er.envelope_id')
    .select([
      'er.id',
      'e.id as envelopeId',
      'e.sender',
      'e.sender_name',
      'e.content_jwe',
      'e.created_at',
      'e.expires_at',
      // Withdrawn from everyone, or from this recipient alone: the same to them.
      (eb) => eb.fn.coalesce('e.revoked_at', 'er.revoked_at').as('revoked_at'),
    ])
    .where('er.address', '=', address);
}

export async function findThread(ctx: ServerContext, address: string, threadId: string): Promise<ThreadRef> {
  if (!/^[\w-]{1,64}$/.test(threadId)) throw notFound();
  const env = await envelopeThreads(ctx, address).where('er.id', '=', threadId).executeTakeFirst();
  if (env !== undefined) {
    return {
      kind: 'envelope',
      id: env.id,
      envelopeId: env.envelopeId,
      sender: env.sender,
      senderName: env.sender_name,
      contentJwe: env.content_jwe,
      createdAt: env.created_at,
      expiresAt: env.expires_at,
      revokedAt: env.revoked_at,
    };
  }
  const started = await ctx.store.db
    .selectFrom('portal_threads')
    .select(['id', 'correspondent', 'created_at'])
    .where('id', '=', threadId)
    .where('address', '=', address)
    .executeTakeFirst();
  if (started === undefined) throw notFound();
  return {
    kind: 'started',
    id: started.id,
    correspondent: started.correspondent,
    createdAt: started.created_at,
  };
}

/** Whether the thread can still be read; 410 EXPIRED or REVOKED otherwise, with whom to contact. */
export async function assertReadable(ctx: ServerContext, thread: ThreadRef, now: Date): Promise<void> {
  const contact = (who: string) => `Contact ${who} or ${ctx.config.org.supportContact} if you still need it.`;
  if (thread.kind === 'envelope') {
    if (thread.revokedAt !== null) {
      throw new HttpError('REVOKED', `The sender withdrew this secure message. ${contact(thread.sender)}`);
    }
    if (Date.parse(thread.expiresAt) <= now.getTime()) {
      throw new HttpError(
        'EXPIRED',
        `This secure message expired on ${thread.expiresAt.slice(0, 10)}. ${contact(thread.sender)}`,
      );
    }
    return;
  }
  const newest = await ctx.store.db
    .selectFrom('portal_messages')
    .select((eb) => eb.fn.max('expires_at').as('expires'))
    .where('thread_id', '=', thread.id)
    .executeTakeFirst();
  if (newest?.expires != null && Date.parse(newest.expires) <= now.getTime()) {
    throw new HttpError(
      'EXPIRED',
      `This conversation expired on ${newest.expires.slice(0, 10)}. ${contact(thread.correspondent)}`,
    );
  }
}

interface EnvelopeContent {
  subject: string;
  html: string | null;
  text: string | null;
}

async function envelopeContent(
  ctx: ServerContext,
  envelopeId: string,
  jwe: string,
  recipients?: readonly { id: string }[],
): Promise<EnvelopeContent> {
  const ids =
    recipients ??
    (await ctx.store.db
      .selectFrom('envelope_recipients')
      .select('id')
      .where('envelope_id', '=', envelopeId)
      .execute());
  const content = (await decryptContentJson(
    ctx.keyring,
    jwe,
    contentAad(
      envelopeId,
      ids.map((r) => r.id),
    ),
  )) as EnvelopeContent;
  return content;
}

export interface PortalContent {
  subject: string;
  text: string;
}

interface AttachmentMeta {
  name: string;
  contentType: string;
}

async function attachmentInfos(
  ctx: ServerContext,
  rows: readonly { id: string; meta_jwe: string; size: number }[],
): Promise<AttachmentInfo[]> {
  return Promise.all(
    rows.map(async (a) => {
      const meta = (await decryptContentJson(
        ctx.keyring,
        a.meta_jwe,
        attachmentMetaAad(a.id),
      )) as AttachmentMeta;
      return { id: a.id, name: meta.name, contentType: meta.contentType, size: a.size };
    }),
  );
}

/** The whole conversation, in order; the caller has checked that it is readable. */
export async function loadThread(ctx: ServerContext, address: string, thread: ThreadRef): Promise<Thread> {
  const messages: PortalMessage[] = [];
  let subject = '';
  const correspondent = thread.kind === 'envelope' ? thread.sender : thread.correspondent;
  if (thread.kind === 'envelope') {
    const [recipients, attachments] = await Promise.all([
      ctx.store.db
        .selectFrom('envelope_recipients')
        .select(['id', 'address', 'kind'])
        .where('envelope_id', '=', thread.envelopeId)
        .orderBy('id')
        .execute(),
      ctx.store.db
        .selectFrom('attachments')
        .select(['id', 'meta_jwe', 'size'])
        .where('envelope_id', '=', thread.envelopeId)
        .orderBy('position')
        .execute(),
    ]);
    const content = await envelopeContent(ctx, thread.envelopeId, thread.contentJwe, recipients);
    subject = content.subject;
    messages.push({
      // The recipient's own row id: the envelope's id is shared by all its recipients.
      id: thread.id,
      direction: 'in',
      from: thread.sender,
      // Bcc recipients are never shown, not even to one another.
      to: recipients.filter((r) => r.kind === 'to').map((r) => r.address),
      cc: recipients.filter((r) => r.kind === 'cc').map((r) => r.address),
      sentAt: thread.createdAt,
      subject: content.subject,
      ...(content.html !== null ? { html: content.html } : {}),
      ...(content.text !== null ? { text: content.text } : {}),
      attachments: await attachmentInfos(ctx, attachments),
      expiresAt: thread.expiresAt,
    });
  }
  const own = await ctx.store.db
    .selectFrom('portal_messages')
    .select(['id', 'to_address', 'content_jwe', 'created_at', 'expires_at'])
    .where('thread_id', '=', thread.id)
    .where('address', '=', address)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const ownAttachments =
    own.length === 0
      ? []
      : await ctx.store.db
          .selectFrom('portal_attachments')
          .select(['id', 'message_id', 'meta_jwe', 'size'])
          .where(
            'message_id',
            'in',
            own.map((m) => m.id),
          )
          .orderBy('position')
          .execute();
  for (const m of own) {
    const content = (await decryptContentJson(
      ctx.keyring,
      m.content_jwe,
      portalMessageAad(m.id, thread.id),
    )) as PortalContent;
    if (subject === '') subject = content.subject;
    messages.push({
      id: m.id,
      direction: 'out',
      from: address,
      to: [m.to_address],
      cc: [],
      sentAt: m.created_at,
      subject: content.subject,
      text: content.text,
      attachments: await attachmentInfos(
        ctx,
        ownAttachments.filter((a) => a.message_id === m.id),
      ),
      expiresAt: m.expires_at,
    });
  }
  return { id: thread.id, subject, correspondent: withName(correspondent, thread), messages };
}

/** A representative as shown to the recipient: by name when their sign-in token carried one. */
function withName(address: string, thread: ThreadRef): { address: string; name?: string } {
  return thread.kind === 'envelope' && thread.senderName !== null
    ? { address, name: thread.senderName }
    : { address };
}

/** Every thread of the recipient, newest first. */
export async function listThreads(ctx: ServerContext, address: string): Promise<ThreadSummary[]> {
  const db = ctx.store.db;
  const [envelopes, started, own, reads] = await Promise.all([
    envelopeThreads(ctx, address).execute(),
    db
      .selectFrom('portal_threads')
      .select(['id', 'correspondent', 'created_at'])
      .where('address', '=', address)
      .execute(),
    db
      .selectFrom('portal_messages')
      .select(['id', 'thread_id', 'content_jwe', 'created_at', 'expires_at'])
      .where('address', '=', address)
      .orderBy('created_at')
      .execute(),
    db.selectFrom('portal_reads').select(['thread_id', 'read_at']).where('address', '=', address).execute(),
  ]);
  const readAt = new Map(reads.map((r) => [r.thread_id, r.read_at]));
  const byThread = new Map<string, typeof own>();
  for (const m of own) {
    const list = byThread.get(m.thread_id) ?? [];
    list.push(m);
    byThread.set(m.thread_id, list);
  }
  const summaries: ThreadSummary[] = [];
  for (const e of envelopes) {
    const replies = byThread.get(e.id) ?? [];
    let subject = '';
    if (e.revoked_at !== null) {
      // Withdrawn: nothing of the message shows, its subject included.
      subject = 'Withdrawn by the sender';
    } else {
      try {
        subject = (await envelopeContent(ctx, e.envelopeId, e.content_jwe)).subject;
      } catch {
        subject = '';
      }
    }
    const last = replies.at(-1)?.created_at ?? e.created_at;
    summaries.push({
      id: e.id,
      subject: subject.trim() === '' ? '(no subject)' : subject,
      correspondent:
        e.sender_name !== null ? { address: e.sender, name: e.sender_name } : { address: e.sender },
      lastMessageAt: last > e.created_at ? last : e.created_at,
      messageCount: 1 + replies.length,
      // The representative's message is the only incoming one: unread until the thread is opened.
      unread: !readAt.has(e.id),
      expiresAt: e.expires_at,
      ...(e.revoked_at !== null ? { revoked: true } : {}),
    });
  }
  for (const t of started) {
    const messages = byThread.get(t.id) ?? [];
    const first = messages[0];
    let subject = '';
    if (first !== undefined) {
      try {
        subject = (
          (await decryptContentJson(
            ctx.keyring,
            first.content_jwe,
            portalMessageAad(first.id, t.id),
          )) as PortalContent
        ).subject;
      } catch {
        subject = '';
      }
    }
    const newest = messages.at(-1);
    summaries.push({
      id: t.id,
      subject: subject === '' ? '(no subject)' : subject,
      correspondent: { address: t.correspondent },
      lastMessageAt: newest?.created_at ?? t.created_at,
      messageCount: messages.length,
      unread: false,
      expiresAt: newest?.expires_at ?? t.created_at,
    });
  }
  return summaries.sort((a, b) =>
    a.lastMessageAt < b.lastMessageAt ? 1 : a.lastMessageAt > b.lastMessageAt ? -1 : 0,
  );
}

/** The representatives this recipient corresponds with: whom a new message may go to. */
export async function listCorrespondents(ctx: ServerContext, address: string): Promise<string[]> {
  const rows = await ctx.store.db
    .selectFrom('envelope_recipients as er')
    .innerJoin('envelopes as e', 'e.id', 'er.envelope_id')
    .select('e.sender')
    .distinct()
    .where('er.address', '=', address)
    .execute();
  return rows.map((r) => r.sender).sort();
}

export interface AttachmentRef {
  id: string;
  name: string;
  contentType: string;
  size: number;
  wrappedKey: string;
  blobKey: string;
  thread: ThreadRef;
}

/** An attachment of a message the recipient can see; NOT_FOUND for anything else. */
export async function findAttachment(
  ctx: ServerContext,
  address: string,
  messageId: string,
  attachmentId: string,
): Promise<AttachmentRef> {
  if (!/^[\w-]{1,64}$/.test(messageId) || !/^[\w-]{1,64}$/.test(attachmentId)) throw notFound();
  const db = ctx.store.db;
  let row: { id: string; meta_jwe: string; wrapped_key: string; blob_key: string; size: number } | undefined;
  let threadId: string;
  const env = await db
    .selectFrom('envelope_recipients as er')
    .innerJoin('attachments as a', 'a.envelope_id', 'er.envelope_id')
    .select(['er.id as threadId', 'a.id', 'a.meta_jwe', 'a.wrapped_key', 'a.blob_key', 'a.size'])
    .where('er.id', '=', messageId)
    .where('er.address', '=', address)
    .where('a.id', '=', attachmentId)
    .executeTakeFirst();
  if (env !== undefined) {
    row = env;
    threadId = env.threadId;
  } else {
    const own = await db
      .selectFrom('portal_messages as m')
      .innerJoin('portal_attachments as a', 'a.message_id', 'm.id')
      .select(['m.thread_id as threadId', 'a.id', 'a.meta_jwe', 'a.wrapped_key', 'a.blob_key', 'a.size'])
      .where('m.id', '=', messageId)
      .where('m.address', '=', address)
      .where('a.id', '=', attachmentId)
      .executeTakeFirst();
    if (own === undefined) throw notFound();
    row = own;
    threadId = own.threadId;
  }
  const thread = await findThread(ctx, address, threadId);
  const meta = (await decryptContentJson(
    ctx.keyring,
    row.meta_jwe,
    attachmentMetaAad(row.id),
  )) as AttachmentMeta;
  return {
    id: row.id,
    name: meta.name,
    contentType: meta.contentType,
    size: row.size,
    wrappedKey: row.wrapped_key,
    blobKey: row.blob_key,
    thread,
  };
}
