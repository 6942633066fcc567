/**
 * An `.eml` file as the detection engine should see it: what Outlook would
 * hand it — the subject, the body (HTML when the message has it, as Outlook
 * composes HTML), and attachments with their text when the engine can read
 * them. The MIME reading itself is mailparser's, through `readMail`.
 */
import { escapeHtml } from '../shared/html';
import { attachmentKind } from '../detect/index';
import { readMail } from '../server/mail/read-mail';
import { decodeBytes } from './charset';

export interface EmlAttachment {
  name: string;
  contentType: string;
  /** Decoded size in bytes. */
  size: number;
  /** The content as text, when `attachmentKind` says the engine can read it. */
  text?: string;
  /** The decoded content, when asked for (`keepBytes`), for attachment extraction. */
  bytes?: Uint8Array;
}

export interface ParseOptions {
  /** Keep each attachment's decoded bytes, so formats the engine cannot read can be extracted. */
  keepBytes?: boolean;
}

export interface ParsedEml {
  subject?: string;
  body?: string;
  bodyType: 'text' | 'html';
  attachments: EmlAttachment[];
}

/** Messages attached inside messages deeper than this are not opened: not mail but an attack. */
const MAX_DEPTH = 32;

export async function parseEml(bytes: Uint8Array, options: ParseOptions = {}): Promise<ParsedEml> {
  return read(bytes, options.keepBytes === true, 0);
}

async function read(bytes: Uint8Array, keepBytes: boolean, depth: number): Promise<ParsedEml> {
  const mail = await readMail(bytes);
  if (mail.headers.size === 0) {
    // No header block at all: the whole input is the message text, not lost as "headers".
    return { body: decodeBytes(bytes), bodyType: 'text', attachments: [] };
  }
  const parsed: ParsedEml = { bodyType: mail.html === null ? 'text' : 'html', attachments: [] };
  if (mail.subject !== undefined) parsed.subject = mail.subject;
  const body = mail.html ?? mail.text;
  if (body !== null && (body !== '' || mail.attachments.length === 0)) parsed.body = body;
  for (const part of mail.attachments) {
    // Only the last path segment: some mailers send "C:\Users\...\file.txt".
    const base = part.filename?.split(/[\\/]/).pop()?.trim() ?? '';
    const contentType = part.contentType;
    if (contentType === 'message/rfc822' && depth < MAX_DEPTH) {
      const name = base === '' ? `message-${part.partId}.eml` : base;
      await addAttachedMessage(parsed, name, part.content, keepBytes, depth);
      continue;
    }
    const name = base === '' ? `part-${part.partId}` : base;
    const attachment: EmlAttachment = { name, contentType, size: part.content.length };
    // Decoding a large PDF as text would be wasted work: only readable kinds get text.
    if (attachmentKind(name, contentType) !== 'unsupported') {
      attachment.text = decodeBytes(part.content, part.charset);
    }
    if (keepBytes) attachment.bytes = part.content;
    parsed.attachments.push(attachment);
  }
  return parsed;
}

/**
 * A forwarded message attached whole: listed as one attachment whose text is
 * its subject and body, followed by its own attachments, so nothing inside
 * it escapes the scan.
 */
async function addAttachedMessage(
  out: ParsedEml,
  name: string,
  bytes: Uint8Array,
  keepBytes: boolean,
  depth: number,
): Promise<void> {
  const inner = await read(bytes, keepBytes, depth + 1);
  const subject = inner.subject === undefined ? '' : `Subject: ${inner.subject}\n\n`;
  const isHtml = inner.bodyType === 'html';
  const text = (isHtml ? escapeHtml(subject) : subject) + (inner.body ?? '');
  out.attachments.push({ name, contentType: isHtml ? 'text/html' : 'text/plain', size: bytes.length, text });
  for (const a of inner.attachments) out.attachments.push({ ...a, name: `${name}/${a.name}` });
}
