/**
 * Every authenticated-data string that binds a stored ciphertext to the ids of
 * the row it belongs to. A JWE sealed under one of these opens only with the
 * same string, so a ciphertext copied to another row (another envelope,
 * recipient set, outbox row, attachment or owner) fails to decrypt there.
 *
 * They live together because each is a stored format: changing one makes
 * every ciphertext already written under it unreadable, and two formats must
 * never be able to produce the same string for different rows.
 */

/** Binds the content to its envelope and recipients: swapping JWEs between rows fails to decrypt. */
export function contentAad(envelopeId: string, recipientIds: readonly string[]): string {
  return `envelope:${envelopeId};recipients:${[...recipientIds].sort().join(',')}`;
}

/** What binds a stored notice (or any queued mail) to its outbox row. */
export function noticeAad(outboxId: string): string {
  return `outbox:${outboxId}`;
}

/** What binds a stored idempotent answer to the sender and key it answers. */
export function replayAad(senderSubject: string, idempotencyKey: string): string {
  return `idempotency:${senderSubject}:${idempotencyKey}`;
}

/** What an attachment's name and type are bound to, so metadata cannot move between attachments. */
export function attachmentMetaAad(attachmentId: string): string {
  return `attachment-meta:${attachmentId}`;
}

/** What binds a recipient's message to its row and thread. */
export function portalMessageAad(messageId: string, threadId: string): string {
  return `portal-message:${messageId};thread:${threadId}`;
}

/** What an attachment belongs to: an envelope, or a message a recipient wrote in the portal. */
export type AttachmentOwner = `envelope:${string}` | `portal-message:${string}`;

export function envelopeOwner(envelopeId: string): AttachmentOwner {
  return `envelope:${envelopeId}`;
}

export function portalMessageOwner(messageId: string): AttachmentOwner {
  return `portal-message:${messageId}`;
}

/** The start of every owner-bound key wrap's AAD; an unbound (older) wrap's AAD never starts so. */
export const BOUND_DATA_KEY_AAD = 'attachment-key:v2;';
const ID = /^[\w-]{1,128}$/;
const OWNER = /^(?:envelope|portal-message):[\w-]{1,128}$/;

/** Why a key-wrap binding could not be formed: an id or owner that could shift a field boundary. */
export class BindingError extends Error {
  readonly code = 'ATTACHMENT_CRYPTO';
}

/**
 * What an attachment's wrapped data key is bound to: the attachment and, for
 * every wrap made since owners were bound, its owner. Without an owner, the
 * older format that names the attachment alone.
 */
export function dataKeyAad(attachmentId: string, owner: AttachmentOwner | undefined): string {
  if (owner === undefined) return `attachment-key:${attachmentId}`;
  // Ids and owners are checked, so no field can carry a ';' and shift another's boundary.
  if (!ID.test(attachmentId)) throw new BindingError('an attachment id is 1-128 of [A-Za-z0-9_-]');
  if (!OWNER.test(owner)) throw new BindingError(`'${owner}' is not an attachment owner`);
  return `${BOUND_DATA_KEY_AAD}attachment:${attachmentId};owner:${owner}`;
}

/** The owner named in an owner-bound wrap's AAD; undefined for any other string. */
export function ownerInDataKeyAad(aad: string): string | undefined {
  if (!aad.startsWith(BOUND_DATA_KEY_AAD)) return undefined;
  return /;owner:(.+)$/.exec(aad)?.[1];
}
