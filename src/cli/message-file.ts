/**
 * Turns the bytes of a .txt, .html or .eml file, or of a document such as a
 * PDF or a spreadsheet, into the message the detection engine scans, picking
 * the format from the file name, or from the content when there is no telling
 * name (stdin, `notes.dat`). Attachments and documents go through attachment
 * extraction, as in the add-in.
 */
import type { AttachmentInput, MessageInput } from '../detect/index';
import { decodeBytes } from './charset';
import { CliError } from './command';

/** `file`: a document or archive, scanned as the message's one attachment. */
export type InputFormat = 'text' | 'html' | 'eml' | 'file';

/** What the report shows about each attachment besides its findings. */
export interface AttachmentInfo {
  name: string;
  contentType: string;
  size: number;
  /** Why it could not be read, for a person ("not scanned: it is password-protected"). */
  unscannedReason?: string;
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

/** Files read by attachment extraction rather than as a message. */
const DOCUMENT_EXTENSIONS = [
  'pdf',
  'docx',
  'xlsx',
  'pptx',
  'odt',
  'ods',
  'odp',
  'rtf',
  'csv',
  'zip',
  'msg',
  'doc',
  'xls',
  'ppt',
  'png',
  'jpg',
  'jpeg',
  'gif',
  'tif',
  'tiff',
  'heic',
];

export function formatOf(name: string | undefined, bytes: Uint8Array): InputFormat {
  const ext = name?.match(/\.([A-Z0-9]+)$/i)?.[1]?.toLowerCase();
  const known = ext === undefined ? undefined : EXTENSIONS[ext];
  if (known !== undefined) return known;
  if (ext !== undefined && DOCUMENT_EXTENSIONS.includes(ext)) return 'file';
  return sniffFormat(bytes);
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
  if (hasDocumentSignature(bytes)) return 'file';
  const head = decodeBytes(bytes.subarray(0, 4096)).replace(/^\uFEFF/, '');
  if (/^\s*<(?:!doctype\s+html|html|head|body|div|p|span|table|meta)\b/i.test(head)) return 'html';
  const firstLine = head.slice(0, head.indexOf('\n') + 1 || head.length);
  if ((MAIL_HEADERS.test(firstLine) || /^From [ \t]*[^\s:]/.test(firstLine)) && /\r?\n\r?\n/.test(head))
    return 'eml';
  return 'text';
}

/** ZIP (Office, OpenDocument), PDF, OLE (.msg, old Office), RTF: formats no one pipes in as a message. */
function hasDocumentSignature(bytes: Uint8Array): boolean {
  const b = bytes;
  return (
    (b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5)) ||
    (b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46) ||
    (b[0] === 0xd0 && b[1] === 0xcf && b[2] === 0x11 && b[3] === 0xe0) ||
    (b[0] === 0x7b && b[1] === 0x5c && b[2] === 0x72 && b[3] === 0x74 && b[4] === 0x66)
  );
}

export async function loadMessage(
  bytes: Uint8Array,
  format: InputFormat,
  name = 'stdin',
): Promise<LoadedMessage> {
  if (format === 'file') {
    const info: AttachmentInfo = { name, contentType: '', size: bytes.length };
    const input = await extracted({ name, bytes }, info);
    return { format, message: { attachments: [input] }, attachments: [info] };
  }
  if (format !== 'eml') {
    const body = decodeBytes(bytes).replace(/^\uFEFF/, '');
    return { format, message: { body, bodyType: format }, attachments: [] };
  }
  // Loaded on first use, like the document readers: a plain text scan does not need a MIME parser.
  const { parseEml } = await import('./eml');
  let eml: Awaited<ReturnType<typeof parseEml>>;
  try {
    eml = await parseEml(bytes, { keepBytes: true });
  } catch (e) {
    // Mail the parser refuses (more MIME parts than it allows, say) is not scanned: an error, never "clean".
    throw new CliError(`cannot read ${name} as mail: ${e instanceof Error ? e.message : 'unknown error'}`, 1);
  }
  const attachments: AttachmentInfo[] = [];
  const inputs: AttachmentInput[] = [];
  for (const a of eml.attachments) {
    const info: AttachmentInfo = { name: a.name, contentType: a.contentType, size: a.size };
    // Text the MIME reader already decoded (with the part's own charset) is used as it is.
    inputs.push(
      a.text !== undefined || a.bytes === undefined
        ? { name: a.name, contentType: a.contentType, text: a.text }
        : await extracted({ name: a.name, contentType: a.contentType, bytes: a.bytes }, info),
    );
    attachments.push(info);
  }
  return {
    format,
    message: { subject: eml.subject, body: eml.body, bodyType: eml.bodyType, attachments: inputs },
    attachments,
  };
}

/** An attachment's extracted text for the engine; a failure leaves it unscanned, with its reason noted. */
async function extracted(
  file: { name: string; contentType?: string; bytes: Uint8Array },
  info: AttachmentInfo,
): Promise<AttachmentInput> {
  // Loaded on first use: a plain text or HTML scan should not pay for the document readers.
  const { extractAttachment } = await import('../extract/index');
  const result = await extractAttachment(file);
  const input: AttachmentInput = { name: file.name };
  if (file.contentType !== undefined) input.contentType = file.contentType;
  if (result.ok) {
    input.text = result.text;
    input.textKind = result.textKind;
  } else {
    info.unscannedReason = result.message;
  }
  return input;
}
