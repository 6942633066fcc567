import type { CreateEnvelopeRequest } from '../../shared/api';
import type { Config } from '../config';
import { HttpError } from '../errors';

type EnvelopeLimits = Pick<Config['limits'], 'bodyBytes' | 'attachmentBytes' | 'totalBytes'>;

/**
 * Refuses a message past the configured sizes, naming the limit so the sender
 * knows what to cut: the body, any one attachment, then the whole. Sizes of
 * attachments are their decoded bytes, estimated from the base64 length.
 */
export function checkEnvelopeSize(limits: EnvelopeLimits, request: CreateEnvelopeRequest): void {
  const { bodyBytes, attachmentBytes, totalBytes } = limits;
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
