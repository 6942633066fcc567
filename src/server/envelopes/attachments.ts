import type { ServerContext } from '../context';
import { encryptAttachmentStream, newDataKey, wrapDataKey } from '../crypto/attachment-crypto';
import { attachmentMetaAad, type AttachmentOwner } from '../crypto/bindings';
import { encryptContent } from '../crypto/content-crypto';
import { newId } from '../ids';

/**
 * The one attachment store: envelopes and the messages recipients write in
 * the portal both keep their files this way, so a fix here (wiping a key,
 * binding a wrap) holds for both.
 */

/** An attachment as it arrives in a request. */
export interface AttachmentToStore {
  name: string;
  contentType: string;
  contentBase64: string;
}

/** The row of a stored attachment, less the column naming its owner, which the caller adds. */
export interface StoredAttachment {
  id: string;
  meta_jwe: string;
  wrapped_key: string;
  wrapped_kid: string;
  blob_key: string;
  size: number;
  position: number;
}

/**
 * Encrypts each attachment under its own data key into the blob store (the
 * name and type go into the database, encrypted too: file names can be
 * sensitive). Returns the rows for the caller's transaction.
 *
 * The data key's wrap is bound to the attachment and its owner (an envelope,
 * or a recipient's message), so the row cannot be moved to another owner in
 * the database and opened there. `meta` adds fields to the encrypted metadata
 * (an envelope's attachments name their envelope there too).
 */
export async function storeAttachments(
  ctx: Pick<ServerContext, 'keyring' | 'blobs'>,
  owner: AttachmentOwner,
  attachments: readonly AttachmentToStore[],
  meta: Readonly<Record<string, string>> = {},
): Promise<StoredAttachment[]> {
  const rows: StoredAttachment[] = [];
  try {
    for (const [position, a] of attachments.entries()) {
      const id = newId();
      const data = Buffer.from(a.contentBase64, 'base64');
      const dataKey = newDataKey();
      try {
        const wrapped = await wrapDataKey(ctx.keyring, dataKey, id, owner);
        const encryptedMeta = await encryptContent(
          ctx.keyring,
          { name: a.name, contentType: a.contentType, ...meta },
          attachmentMetaAad(id),
        );
        await ctx.blobs.put(id, encryptAttachmentStream(dataKey, id, [data]));
        rows.push({
          id,
          meta_jwe: encryptedMeta.jwe,
          wrapped_key: wrapped.jwe,
          wrapped_kid: wrapped.kid,
          blob_key: id,
          size: data.length,
          position,
        });
      } finally {
        // The key lives on only wrapped; this copy is not left in memory, even on failure.
        dataKey.fill(0);
      }
    }
  } catch (e) {
    // Blobs already written for this request would be referenced by nothing.
    await discardAttachments(ctx, rows);
    throw e;
  }
  return rows;
}

/**
 * Removes the blobs of attachments whose rows were never written (the
 * transaction failed). Best effort: a blob left behind holds only ciphertext.
 */
export async function discardAttachments(
  ctx: Pick<ServerContext, 'blobs'>,
  rows: readonly StoredAttachment[],
): Promise<void> {
  await Promise.all(rows.map((a) => ctx.blobs.delete(a.blob_key).catch(() => undefined)));
}
