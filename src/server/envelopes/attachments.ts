import type { CreateEnvelopeRequest } from '../../shared/api';
import type { ServerContext } from '../context';
import { encryptAttachmentStream, newDataKey, wrapDataKey } from '../crypto/attachment-crypto';
import { attachmentMetaAad, envelopeOwner } from '../crypto/bindings';
import { encryptContent } from '../crypto/content-crypto';
import { newId } from '../ids';

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
 * The data key's wrap is bound to the attachment and its envelope, so the
 * row cannot be moved to another envelope and opened there.
 */
export async function storeAttachments(
  ctx: ServerContext,
  envelopeId: string,
  attachments: CreateEnvelopeRequest['attachments'],
): Promise<StoredAttachment[]> {
  const rows: StoredAttachment[] = [];
  for (const [position, a] of attachments.entries()) {
    const id = newId();
    const data = Buffer.from(a.contentBase64, 'base64');
    const dataKey = newDataKey();
    const wrapped = await wrapDataKey(ctx.keyring, dataKey, id, envelopeOwner(envelopeId));
    const meta = await encryptContent(
      ctx.keyring,
      { name: a.name, contentType: a.contentType, envelopeId },
      attachmentMetaAad(id),
    );
    await ctx.blobs.put(id, encryptAttachmentStream(dataKey, id, [data]));
    dataKey.fill(0);
    rows.push({
      id,
      meta_jwe: meta.jwe,
      wrapped_key: wrapped.jwe,
      wrapped_kid: wrapped.kid,
      blob_key: id,
      size: data.length,
      position,
    });
  }
  return rows;
}
