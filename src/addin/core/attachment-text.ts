/**
 * Reads the draft's attachments for scanning: the bytes come from Outlook
 * as base64, extraction turns them into text and its layout, and an
 * attachment that cannot be read keeps the reason, for the task pane and the
 * Smart Alert to name. The extractor is passed in: the on-send bundle must
 * use the portable one (no PDF, nothing loaded at run time), the task pane
 * can use the full one.
 */
import type { AttachmentInput } from '../../detect/index';
import type { ExtractLimits, ExtractResult, FailureReason } from '../../extract/types';
import type { AttachmentInfo, ComposeItem } from '../office/types';
import { base64ToUint8Array } from './base64';

export type Extract = (
  file: { name: string; contentType?: string; bytes: Uint8Array },
  limits?: Partial<ExtractLimits>,
) => Promise<ExtractResult>;

/** Why an attachment was not scanned: an extraction reason, or one of the add-in's own. */
export type UnscannedReason = FailureReason | 'not-a-file' | 'unreadable';

export interface ReadAttachment extends AttachmentInput {
  /** Set when the attachment could not be read. */
  unscannedReason?: UnscannedReason;
}

/** Larger attachments are not fetched: base64 through Office.js and decoding cost seconds. */
export const SCAN_ATTACHMENT_BYTES = 5 * 1024 * 1024;

export async function readAttachments(
  item: ComposeItem,
  attachments: readonly AttachmentInfo[],
  extract: Extract,
  limits: Partial<ExtractLimits>,
): Promise<ReadAttachment[]> {
  return Promise.all(
    attachments.map(async (a): Promise<ReadAttachment> => {
      const input: ReadAttachment = { name: a.name };
      if (a.contentType) input.contentType = a.contentType;
      if (a.kind !== 'file') return { ...input, unscannedReason: 'not-a-file' };
      if (a.size > SCAN_ATTACHMENT_BYTES) return { ...input, unscannedReason: 'too-large' };
      const b64 = await item.getAttachmentBase64(a.id).catch(() => null);
      if (b64 === null) return { ...input, unscannedReason: 'unreadable' };
      const file: { name: string; contentType?: string; bytes: Uint8Array } = {
        name: a.name,
        bytes: base64ToUint8Array(b64),
      };
      if (a.contentType) file.contentType = a.contentType;
      const result = await extract(file, limits);
      if (!result.ok) return { ...input, unscannedReason: result.reason };
      return { ...input, text: result.text, textKind: result.textKind };
    }),
  );
}

const LABELS: Record<UnscannedReason, string> = {
  'too-large': 'too large',
  'too-deep': 'nested too deeply',
  encrypted: 'encrypted',
  corrupt: 'damaged',
  unsupported: 'file type not supported',
  image: 'image',
  timeout: 'took too long to read',
  'not-a-file': 'not a file',
  unreadable: 'could not be read',
};

/** "roster.pdf: not scanned (encrypted)". */
export function unscannedLine(name: string, reason: UnscannedReason | undefined): string {
  return `${name}: not scanned (${LABELS[reason ?? 'unsupported']})`;
}
