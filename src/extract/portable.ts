/**
 * The extraction the on-send handler can carry in every Outlook runtime,
 * including classic Outlook's JavaScript-only one (ES2016, no dynamic
 * loading, one small file): text, CSV, HTML, RTF, Word/Excel/PowerPoint,
 * OpenDocument and ZIP. PDF, attached e-mails and .msg files are reported as
 * unsupported here (PDF.js is a megabyte; postal-mime would triple the
 * bundle and needs TextDecoder, which the JavaScript-only runtime may lack);
 * policy decides what happens to attachments that could not be read.
 */
import { createExtractor } from './engine';
import type { AttachmentFile, ExtractLimits, ExtractResult } from './types';

export { DEFAULT_EXTRACT_LIMITS } from './engine';
export type { AttachmentFile, ExtractLimits, ExtractResult, FailureReason } from './types';

const extract = createExtractor({});

export function extractPortable(
  file: AttachmentFile,
  limits?: Partial<ExtractLimits>,
): Promise<ExtractResult> {
  return extract(file, limits);
}
