/**
 * Turns the bytes of a .txt, .html or .eml file into the message the
 * detection engine scans, picking the format from the file name, or from the
 * content when there is no telling name (stdin, `notes.dat`).
 */
import type { MessageInput } from '../detect/index';
import { decodeBytes } from './charset';
import { parseEml } from './eml';

export type InputFormat = 'text' | 'html' | 'eml';

/** What the report shows about each attachment besides its findings. */
export interface AttachmentInfo {
  name: string;
  contentType: string;
  size: number;
}

export interface LoadedMessage {
  format: InputFormat;
  message: MessageInput;
  attachments: AttachmentInfo[];
}

const EXTENSIONS: Record<string, InputFormat> = {
  txt: 'text',
  text: 'text',
  html: 'html',
  htm: 'html',
  eml: 'eml',
};

export function formatOf(name: string | undefined, bytes: Uint8Array): InputFormat {
  const ext = name?.match(/\.([A-Z0-9]+)$/i)?.[1]?.toLowerCase();
  const known = ext === undefined ? undefined : EXTENSIONS[ext];
  return known ?? sniffFormat(bytes);
}

/** Header names that say "this is a mail message" when they open the input. */
const MAIL_HEADERS =
  /^(?:from|to|cc|subject|date|message-id|mime-version|content-type|received|return-path|delivered-to|x-[\w-]+)[ \t]*:/i;

/**
 * Guesses the format of unnamed input: a mail message starts with a known
 * header and has a header block ending in an empty line; HTML starts with a
 * tag; anything else is plain text.
 */
export function sniffFormat(bytes: Uint8Array): InputFormat {
  const head = decodeBytes(bytes.subarray(0, 4096)).replace(/^\uFEFF/, '');
  if (/^\s*<(?:!doctype\s+html|html|head|body|div|p|span|table|meta)\b/i.test(head)) return 'html';
  const firstLine = head.slice(0, head.indexOf('\n') + 1 || head.length);
  if ((MAIL_HEADERS.test(firstLine) || /^From [ \t]*[^\s:]/.test(firstLine)) && /\r?\n\r?\n/.test(head))
    return 'eml';
  return 'text';
}

export function loadMessage(bytes: Uint8Array, format: InputFormat): LoadedMessage {
  if (format !== 'eml') {
    const body = decodeBytes(bytes).replace(/^\uFEFF/, '');
    return { format, message: { body, bodyType: format }, attachments: [] };
  }
  const eml = parseEml(bytes);
  return {
    format,
    message: {
      subject: eml.subject,
      body: eml.body,
      bodyType: eml.bodyType,
      attachments: eml.attachments.map((a) => ({ name: a.name, contentType: a.contentType, text: a.text })),
    },
    attachments: eml.attachments.map((a) => ({ name: a.name, contentType: a.contentType, size: a.size })),
  };
}
