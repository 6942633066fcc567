/**
 * A small MIME reader for `.eml` files (RFC 5322 + RFC 2045-2049): enough to
 * hand the detection engine what Outlook would hand it — the subject, the body
 * (HTML when the message has it, as Outlook composes HTML), and attachments
 * with their text when the engine can read them.
 *
 * The message is read as a "binary" string (one character per byte) so
 * boundaries and headers can be found with string methods before any charset
 * is applied; each part is decoded with its own transfer encoding and charset.
 */
import { escapeHtml } from '../shared/html';
import { attachmentKind } from '../detect/index';
import { binaryToBytes, bytesToBinary, decodeBytes } from './charset';
import {
  decodeHeaderText,
  firstHeader,
  parseHeaderBlock,
  startsWithHeader,
  parseStructured,
  type HeaderMap,
  type StructuredValue,
} from './mime-headers';

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

/** Deeper nesting than this is not mail but an attack on the parser; deeper parts are skipped. */
const MAX_DEPTH = 32;

interface Entity {
  headers: HeaderMap;
  type: StructuredValue;
  disposition: StructuredValue | undefined;
  /** The body, still transfer-encoded, as a binary string. */
  body: string;
}

interface Collected {
  body?: { text: string; type: 'text' | 'html' };
  attachments: EmlAttachment[];
  keepBytes: boolean;
}

export function parseEml(bytes: Uint8Array, options: ParseOptions = {}): ParsedEml {
  const root = parseEntity(stripEnvelope(bytesToBinary(bytes)), 'text/plain');
  const subjectRaw = firstHeader(root.headers, 'subject');
  const out: Collected = { attachments: [], keepBytes: options.keepBytes === true };
  walk(root, 0, out, { parts: 0 });
  return {
    subject: subjectRaw === undefined ? undefined : decodeHeaderText(subjectRaw),
    body: out.body?.text,
    bodyType: out.body?.type ?? 'text',
    attachments: out.attachments,
  };
}

/**
 * Drops what some tools put before the headers of a saved message: a UTF-8
 * byte order mark, and the "From sender date" line of an mbox export.
 */
function stripEnvelope(binary: string): string {
  const text = binary.startsWith('\xef\xbb\xbf') ? binary.slice(3) : binary;
  // "From: a@b" and obsolete "From : a@b" are headers; "From a@b Mon Jan 1 ..." is not.
  if (!/^From [ \t]*[^\s:]/.test(text)) return text;
  const eol = text.indexOf('\n');
  return eol < 0 ? '' : text.slice(eol + 1);
}

/** Splits an entity into headers and body at the first empty line. */
function parseEntity(text: string, defaultType: string): Entity {
  let headerEnd: number;
  let bodyStart: number;
  if (/^\r?\n/.test(text)) {
    headerEnd = 0;
    bodyStart = text.indexOf('\n') + 1;
  } else if (!startsWithHeader(text)) {
    // No header block at all: the whole entity is content, not lost as "headers".
    headerEnd = 0;
    bodyStart = 0;
  } else {
    const m = /\r?\n\r?\n/.exec(text);
    headerEnd = m === null ? text.length : m.index;
    bodyStart = m === null ? text.length : m.index + m[0].length;
  }
  const headers = parseHeaderBlock(text.slice(0, headerEnd));
  const typeHeader = firstHeader(headers, 'content-type');
  const dispositionHeader = firstHeader(headers, 'content-disposition');
  let type = parseStructured(typeHeader ?? defaultType);
  if (!type.value.includes('/')) type = parseStructured(defaultType);
  return {
    headers,
    type,
    disposition: dispositionHeader === undefined ? undefined : parseStructured(dispositionHeader),
    body: text.slice(bodyStart),
  };
}

function walk(entity: Entity, depth: number, out: Collected, counter: { parts: number }): void {
  const type = entity.type.value;
  const boundary = entity.type.params.get('boundary');
  if (type.startsWith('multipart/') && boundary !== undefined && boundary !== '' && depth < MAX_DEPTH) {
    // Parts of a digest default to message/rfc822 (RFC 2046 5.1.5).
    const childDefault = type === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
    const children = splitMultipart(entity.body, boundary).map((p) => parseEntity(p, childDefault));
    if (type === 'multipart/alternative') {
      walkAlternative(children, depth, out, counter);
    } else {
      for (const child of children) walk(child, depth + 1, out, counter);
    }
    return;
  }
  counter.parts++;
  const bytes = decodeTransfer(entity);
  const name = fileName(entity);
  const attached = entity.disposition?.value === 'attachment' || name !== undefined;
  if (!attached && (type === 'text/plain' || type === 'text/html')) {
    const text = decodeBytes(bytes, entity.type.params.get('charset'));
    const bodyType = type === 'text/html' ? 'html' : 'text';
    if (out.body === undefined) {
      out.body = { text, type: bodyType };
      return;
    }
    // A second inline text part (some mailers split the body around an
    // inline image): still part of what the recipient reads, so scan it.
    addAttachment(out, {
      name: `part-${counter.parts}.${bodyType === 'html' ? 'html' : 'txt'}`,
      type,
      bytes,
      text,
    });
    return;
  }
  if (type === 'message/rfc822' && depth < MAX_DEPTH) {
    addAttachedMessage(out, name ?? `message-${counter.parts}.eml`, bytes);
    return;
  }
  addAttachment(out, {
    name: name ?? `part-${counter.parts}`,
    type,
    bytes,
    charset: entity.type.params.get('charset'),
  });
}

/**
 * Alternatives carry the same content in different forms: keep the HTML one
 * (what Outlook shows and the add-in scans), else the plain one, and drop the rest.
 */
function walkAlternative(
  children: readonly Entity[],
  depth: number,
  out: Collected,
  counter: { parts: number },
): void {
  const options = children.map((child) => {
    const sub: Collected = { attachments: [], keepBytes: out.keepBytes };
    walk(child, depth + 1, sub, counter);
    return sub;
  });
  const best =
    options.find((o) => o.body?.type === 'html') ??
    options.find((o) => o.body !== undefined) ??
    options[options.length - 1];
  if (best === undefined) return;
  if (best.body !== undefined) {
    if (out.body === undefined) out.body = best.body;
    else {
      const html = best.body.type === 'html';
      const name = `part-${counter.parts}.${html ? 'html' : 'txt'}`;
      addAttachment(out, { name, type: html ? 'text/html' : 'text/plain', text: best.body.text });
    }
  }
  out.attachments.push(...best.attachments);
}

/**
 * A forwarded message attached whole: listed as one attachment whose text is
 * its subject and body, followed by its own attachments, so nothing inside
 * it escapes the scan.
 */
function addAttachedMessage(out: Collected, name: string, bytes: Uint8Array): void {
  const inner = parseEml(bytes, { keepBytes: out.keepBytes });
  const subject = inner.subject === undefined ? '' : `Subject: ${inner.subject}\n\n`;
  const isHtml = inner.bodyType === 'html';
  const text = (isHtml ? escapeHtml(subject) : subject) + (inner.body ?? '');
  out.attachments.push({ name, contentType: isHtml ? 'text/html' : 'text/plain', size: bytes.length, text });
  for (const a of inner.attachments) out.attachments.push({ ...a, name: `${name}/${a.name}` });
}

interface Part {
  name: string;
  type: string;
  /** Decoded bytes, when the part came from the message as is. */
  bytes?: Uint8Array;
  /** Text already decoded (a body part that became an attachment). */
  text?: string;
  charset?: string | undefined;
}

function addAttachment(out: Collected, part: Part): void {
  const { name, type: contentType } = part;
  const size = part.bytes?.length ?? new TextEncoder().encode(part.text ?? '').length;
  let text = part.text;
  // Decoding a large PDF as text would be wasted work: only readable kinds get text.
  if (text === undefined && part.bytes !== undefined && attachmentKind(name, contentType) !== 'unsupported') {
    text = decodeBytes(part.bytes, part.charset);
  }
  const attachment: EmlAttachment =
    text === undefined ? { name, contentType, size } : { name, contentType, size, text };
  if (out.keepBytes && part.bytes !== undefined) attachment.bytes = part.bytes;
  out.attachments.push(attachment);
}

function fileName(entity: Entity): string | undefined {
  const name = entity.disposition?.params.get('filename') ?? entity.type.params.get('name');
  if (name === undefined) return undefined;
  // Only the last path segment: some mailers send "C:\Users\...\file.txt".
  const base = name.split(/[\\/]/).pop()?.trim() ?? '';
  return base === '' ? undefined : base;
}

/**
 * Splits a multipart body at its boundary lines (RFC 2046 5.1.1). The line
 * break before a boundary belongs to the boundary; preamble and epilogue are
 * dropped; a missing closing boundary keeps the last part (truncated mail).
 */
export function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = '--' + boundary;
  const parts: string[] = [];
  let partStart = -1;
  let pos = 0;
  for (;;) {
    const at = body.indexOf(delimiter, pos);
    if (at < 0) break;
    pos = at + 1;
    if (at > 0 && body.charAt(at - 1) !== '\n') continue;
    let after = at + delimiter.length;
    const closing = body.startsWith('--', after);
    if (closing) after += 2;
    const eol = body.indexOf('\n', after);
    const lineEnd = eol < 0 ? body.length : eol;
    // Only transport padding may follow; otherwise this is a longer boundary
    // that merely starts with ours (allowed for nested parts).
    if (!/^[ \t\r]*$/.test(body.slice(after, lineEnd))) continue;
    if (partStart >= 0) {
      let end = at;
      if (end > partStart && body.charAt(end - 1) === '\n') end--;
      if (end > partStart && body.charAt(end - 1) === '\r') end--;
      parts.push(body.slice(partStart, Math.max(partStart, end)));
    }
    if (closing) return parts;
    partStart = eol < 0 ? body.length : eol + 1;
    pos = partStart;
  }
  if (partStart >= 0) parts.push(body.slice(partStart));
  return parts;
}

function decodeTransfer(entity: Entity): Uint8Array {
  const encoding = (firstHeader(entity.headers, 'content-transfer-encoding') ?? '').trim().toLowerCase();
  if (encoding === 'base64') return Buffer.from(entity.body.replace(/[^A-Z0-9+/]/gi, ''), 'base64');
  if (encoding === 'quoted-printable') return decodeQuotedPrintable(entity.body);
  return binaryToBytes(entity.body);
}

/**
 * Quoted-printable (RFC 2045 6.7): `=XX` is a byte, `=` at the end of a line
 * is a soft break, trailing whitespace on a line is padding. A stray `=` is
 * kept as is, as mail readers do.
 */
export function decodeQuotedPrintable(binary: string): Uint8Array {
  const out = new Uint8Array(binary.length);
  let n = 0;
  const length = binary.length;
  let i = 0;
  while (i < length) {
    const c = binary.charCodeAt(i);
    if (c === 0x3d /* = */) {
      const hex = binary.slice(i + 1, i + 3);
      if (/^[0-9A-F]{2}$/i.test(hex)) {
        out[n++] = parseInt(hex, 16);
        i += 3;
        continue;
      }
      const j = skipBlanks(binary, i + 1);
      if (j >= length) {
        i = j;
        continue;
      }
      if (binary.charCodeAt(j) === 0x0a) {
        i = j + 1;
        continue;
      }
      if (binary.charCodeAt(j) === 0x0d && binary.charCodeAt(j + 1) === 0x0a) {
        i = j + 2;
        continue;
      }
      out[n++] = c;
      i++;
    } else if (c === 0x20 || c === 0x09) {
      const j = skipBlanks(binary, i);
      const next = binary.charCodeAt(j);
      const trailing = j >= length || next === 0x0a || (next === 0x0d && binary.charCodeAt(j + 1) === 0x0a);
      if (!trailing) for (let k = i; k < j; k++) out[n++] = binary.charCodeAt(k);
      i = j;
    } else {
      out[n++] = c & 0xff;
      i++;
    }
  }
  return out.slice(0, n);
}

function skipBlanks(text: string, from: number): number {
  let j = from;
  while (j < text.length && (text.charCodeAt(j) === 0x20 || text.charCodeAt(j) === 0x09)) j++;
  return j;
}
