/**
 * Attachment text extraction: bytes of an attachment in, text for the
 * detection engine out (or the reason it could not be read). Runs in Node
 * and in browsers; every format is read under limits of depth, size,
 * expansion, entries and time, and nothing is ever thrown to the caller.
 *
 * This entry reads every supported format and loads PDF and .msg support on
 * first use. The on-send bundle uses `./portable` instead, which leaves
 * those two out.
 */
import { createExtractor } from './engine';
import { readEml } from './eml';
import type { AttachmentFile, ExtractLimits, ExtractResult } from './types';

export { DEFAULT_EXTRACT_LIMITS } from './engine';
export type { AttachmentFile, ExtractLimits, ExtractResult, FailureReason } from './types';

const extract = createExtractor({
  eml: readEml,
  pdf: async (file, ctx) => (await import('./pdf')).readPdf(file, ctx),
  msg: async (file, ctx) => (await import('./msg')).readMsg(file, ctx),
});

export function extractAttachment(
  file: AttachmentFile,
  limits?: Partial<ExtractLimits>,
): Promise<ExtractResult> {
  return extract(file, limits);
}
