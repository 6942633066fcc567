/**
 * Attachment downloads: decrypting a stored attachment for a recipient and
 * recording the outcome.
 *
 * What the recipient gets and what the log says must agree:
 * - Nothing is sent before the key has unwrapped for this message and the
 *   first chunk has authenticated. A file that is missing, cut short, altered
 *   or moved from another envelope answers a clear error (500, with a message
 *   that says so), never a 200 that breaks off.
 * - The outcome is recorded once it is known: "ok" only after the last chunk
 *   has authenticated (and before its bytes leave), "failed" with a reason
 *   otherwise, including a transfer the recipient broke off.
 * - A small file is decrypted whole and sent in one write; a large one streams
 *   through a fixed amount of memory. If a later chunk of a large file fails,
 *   the transfer is aborted (the browser reports the download as failed).
 *
 * The download headers: the file always downloads (`attachment`), never
 * renders in the portal's origin, and a type that is not a plain
 * `type/subtype` becomes application/octet-stream.
 */
import { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { AuditDetail } from '../audit/audit-log';
import { BlobNotFoundError } from '../blobs/blob-store';
import {
  AttachmentCryptoError,
  dataKeyIsBound,
  decryptAttachmentStream,
  unwrapDataKey,
} from '../crypto/attachment-crypto';
import {
  attachmentMetaAad,
  envelopeOwner,
  portalMessageOwner,
  type AttachmentOwner,
} from '../crypto/bindings';
import { ContentCryptoError, decryptContentJson } from '../crypto/content-crypto';
import { HttpError } from '../errors';
import type { AttachmentRef } from './content';
import { recipientActor, type Portal } from './portal';

/** Attachments up to this size are decrypted whole before sending; larger ones are streamed. */
export const WHOLE_FILE_BYTES = 4 * 1024 * 1024;

export interface AttachmentDownload {
  attachment: AttachmentRef;
  /** The message id the recipient asked under: for an envelope's attachment, their own row's id. */
  messageId: string;
  /** The signed-in recipient. */
  address: string;
  ip: string;
  /** The audit target of the attachment's thread ("envelope:<id>", "thread:<id>"). */
  target: string;
}

/**
 * Why a download failed, as the audit log records it:
 * - `moved`: the attachment is not bound to this message (its row was moved, or its key altered);
 * - `missing`: the stored file is gone;
 * - `damaged`: the stored file is cut short or altered;
 * - `unreadable`: reading it failed for another reason (the disk, the store);
 * - `interrupted`: the recipient broke off the transfer.
 */
export type DownloadFailure = 'moved' | 'missing' | 'damaged' | 'unreadable' | 'interrupted';

/**
 * Sends one attachment, decrypted, and records the outcome. `readableOrAudit`
 * (expiry, revocation) and the recipient's right to the message are the
 * caller's, checked before.
 */
export async function sendAttachment(
  p: Portal,
  reply: FastifyReply,
  d: AttachmentDownload,
): Promise<FastifyReply> {
  const { attachment } = d;
  const record = (outcome: 'ok' | 'failed', extra: AuditDetail) =>
    p.ctx.store.transact((trx) =>
      p.audit(trx, {
        actor: recipientActor(d.address),
        action: 'attachment.downloaded',
        target: d.target,
        outcome,
        sourceIp: d.ip,
        detail: {
          thread: attachment.thread.id,
          message: d.messageId,
          attachment: attachment.id,
          size: attachment.size,
          ...extra,
        },
      }),
    );
  /** Records the failure, then answers it: the record is written even though the request fails. */
  const refuse = async (reason: DownloadFailure, cause?: unknown): Promise<never> => {
    await record('failed', { reason });
    throw refusal(reason, cause);
  };

  // A key that does not open for this message was moved from another or altered;
  // any other failure (the key ring, the database) says nothing about the file.
  const dataKey = await openDataKey(p, d).catch((e: unknown) =>
    refuse(e instanceof ContentCryptoError || e instanceof AttachmentCryptoError ? 'moved' : 'unreadable', e),
  );
  const chunks = decryptAttachmentStream(dataKey, attachment.id, readBlob(p, attachment.blobKey));
  const close = async () => {
    dataKey.fill(0);
    // Closes the stored file if the stream stopped before its end.
    await chunks.return(undefined).catch(() => undefined);
  };

  // The first chunk decides between an answer and an error: nothing is sent before it authenticates.
  let first: IteratorResult<Uint8Array>;
  try {
    first = await chunks.next();
  } catch (e) {
    await close();
    return refuse(failureOf(e), e);
  }

  if (attachment.size <= WHOLE_FILE_BYTES) {
    const parts: Uint8Array[] = first.done === true ? [] : [first.value];
    try {
      for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) {
        parts.push(next.value);
      }
    } catch (e) {
      return await refuse(failureOf(e), e);
    } finally {
      await close();
    }
    const file = Buffer.concat(parts);
    // Every chunk has authenticated: now, and only now, the download goes on the record.
    await record('ok', {});
    setHeaders(reply, attachment, file.length);
    return reply.send(file);
  }

  setHeaders(reply, attachment, attachment.size);
  return reply.send(Readable.from(stream(first, chunks, attachment.size, record, close)));
}

/**
 * The rest of a large file, one chunk behind the decryptor: a chunk is sent
 * once the next has authenticated, and the last one once the download is on
 * the record. A failure after the headers went out can only abort the
 * transfer; it is recorded first.
 */
async function* stream(
  first: IteratorResult<Uint8Array>,
  chunks: AsyncIterator<Uint8Array>,
  declared: number,
  record: (outcome: 'ok' | 'failed', extra: AuditDetail) => Promise<void>,
  close: () => Promise<void>,
): AsyncGenerator<Uint8Array> {
  let held: Uint8Array = first.done === true ? new Uint8Array(0) : first.value;
  let sent = 0;
  let settled = false;
  const fail = async (reason: DownloadFailure) => {
    settled = true;
    // The transfer is failing anyway; a record that cannot be written must not hide why.
    await record('failed', { reason, bytes: sent }).catch(() => undefined);
  };
  try {
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) {
      sent += held.length;
      yield held;
      held = next.value;
    }
    // The size in the database is what the headers promised; a file that does not match it was altered.
    if (sent + held.length !== declared)
      throw new AttachmentCryptoError('the attachment is not its recorded size');
    await record('ok', {});
    settled = true;
    yield held;
  } catch (e) {
    if (!settled) await fail(failureOf(e));
    throw e;
  } finally {
    // Reached without a verdict only when the recipient went away mid-transfer.
    if (!settled) await fail('interrupted');
    await close();
  }
}

/**
 * Whose attachment this is, as the recipient's request says: an envelope's
 * attachment is asked for under the recipient's own row of that envelope,
 * which is the thread's id (content.ts, findAttachment); anything else is an
 * attachment of a message the recipient wrote.
 */
function ownerOf(d: AttachmentDownload): AttachmentOwner {
  const thread = d.attachment.thread;
  return thread.kind === 'envelope' && d.messageId === thread.id
    ? envelopeOwner(thread.envelopeId)
    : portalMessageOwner(d.messageId);
}

/** The attachment's data key, if it belongs to the message the recipient asked under. */
async function openDataKey(p: Portal, d: AttachmentDownload): Promise<Uint8Array> {
  const owner = ownerOf(d);
  const { wrappedKey, id } = d.attachment;
  if (!dataKeyIsBound(wrappedKey) && owner.startsWith('envelope:')) {
    // A wrap from before owners were bound: its envelope is named inside the
    // attachment's encrypted metadata (bound to the attachment id), so a
    // moved row is still caught. The database row itself is not evidence.
    const row = await p.ctx.store.db
      .selectFrom('attachments')
      .select('meta_jwe')
      .where('id', '=', id)
      .executeTakeFirst();
    const meta =
      row === undefined
        ? undefined
        : ((await decryptContentJson(p.ctx.keyring, row.meta_jwe, attachmentMetaAad(id))) as {
            envelopeId?: unknown;
          });
    const envelopeId = meta?.envelopeId;
    if (typeof envelopeId !== 'string' || owner !== envelopeOwner(envelopeId)) {
      throw new AttachmentCryptoError('the attachment belongs to another envelope');
    }
  }
  return unwrapDataKey(p.ctx.keyring, wrappedKey, id, owner);
}

/** The stored file; a failure to even start reading it (a bad key) surfaces in the stream too. */
async function* readBlob(p: Portal, key: string): AsyncGenerator<Uint8Array> {
  yield* p.ctx.blobs.get(key);
}

function failureOf(e: unknown): DownloadFailure {
  if (e instanceof BlobNotFoundError) return 'missing';
  if (e instanceof AttachmentCryptoError) return 'damaged';
  return 'unreadable';
}

function refusal(reason: DownloadFailure, cause: unknown): Error {
  switch (reason) {
    case 'moved':
      return new HttpError(
        'INTERNAL',
        'this attachment cannot be opened here: it is not bound to this message (it was moved or ' +
          'altered in storage). The attempt is recorded; ask the sender to send it again.',
      );
    case 'missing':
    case 'damaged':
      return new HttpError(
        'INTERNAL',
        'this attachment cannot be opened: its stored copy is missing, incomplete or altered. ' +
          'The attempt is recorded; ask the sender to send it again.',
      );
    default:
      // Not the attachment's fault (the disk, the database): the error as it is, for the log.
      return cause instanceof Error ? cause : new Error(String(cause));
  }
}

function setHeaders(reply: FastifyReply, attachment: AttachmentRef, length: number): void {
  void reply
    .header('content-type', safeContentType(attachment.contentType))
    .header('content-disposition', contentDisposition(attachment.name))
    .header('content-length', String(length));
}

const MEDIA_TYPE = /^[a-z0-9][\w!#$&^.+-]{0,126}\/[a-z0-9][\w!#$&^.+-]{0,126}$/i;

export function safeContentType(contentType: string): string {
  const bare = contentType.split(';')[0]!.trim().toLowerCase();
  return MEDIA_TYPE.test(bare) ? bare : 'application/octet-stream';
}

/** RFC 6266: an ASCII fallback name, and the real name in UTF-8 (RFC 5987). */
export function contentDisposition(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what must go
  const clean = name.replace(/[\u0000-\u001f\u007f/\\]+/g, '_').trim() || 'attachment';
  const fallback = clean.replace(/[^\x20-\x7e]/g, '_').replace(/["%;]/g, '_');
  const encoded = encodeURIComponent(clean).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
