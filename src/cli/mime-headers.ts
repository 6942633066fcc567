/**
 * Header fields of an Internet message (RFC 5322): unfolding, RFC 2047
 * encoded words ("=?utf-8?B?...?="), and structured values with parameters
 * including RFC 2231 continuations and charsets (`filename*0*=utf-8''...`).
 *
 * Input strings are "binary": one character per byte, as the MIME parser reads
 * the message, so 8-bit header bytes are decoded here, once, with the charset.
 */
import { binaryToBytes, decodeBytes } from './charset';

export type HeaderMap = ReadonlyMap<string, readonly string[]>;

/** Header names are printable ASCII without spaces or colons. */
const HEADER_LINE = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:(.*)$/s;

/**
 * Parses an unfolded header block. Names are lower-cased; values keep their
 * raw bytes. Lines that are not header fields (an mbox "From " line) are skipped.
 */
export function parseHeaderBlock(block: string): HeaderMap {
  const headers = new Map<string, string[]>();
  let current: { name: string; value: string } | undefined;
  const flush = (): void => {
    if (current === undefined) return;
    const list = headers.get(current.name) ?? [];
    list.push(current.value.trim());
    headers.set(current.name, list);
    current = undefined;
  };
  for (const line of block.split(/\r?\n/)) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && current !== undefined) {
      // Unfolding removes the line break and keeps the whitespace (RFC 5322 2.2.3).
      current.value += line;
      continue;
    }
    flush();
    const m = HEADER_LINE.exec(line);
    if (m !== null) current = { name: m[1]!.toLowerCase(), value: m[2]! };
  }
  flush();
  return headers;
}

/** Whether the text starts with a header field line (`Name: value`). */
export function startsWithHeader(text: string): boolean {
  const eol = text.indexOf('\n');
  return HEADER_LINE.test(eol < 0 ? text : text.slice(0, eol));
}

export function firstHeader(headers: HeaderMap, name: string): string | undefined {
  return headers.get(name)?.[0];
}

// Charset (with an optional RFC 2231 language after '*'), encoding, text.
const ENCODED_WORD = /=\?([^?\s*]+)(?:\*[^?\s]*)?\?([BQ])\?([^?\s]*)\?=/gi;

/**
 * Decodes an unstructured header value (a subject): raw 8-bit bytes as UTF-8
 * (RFC 6532) or Windows-1252, then encoded words. Whitespace between two
 * adjacent encoded words is dropped, and adjacent words in the same charset
 * are decoded together, since mailers split multi-byte characters across them.
 */
export function decodeHeaderText(binary: string): string {
  const text = decodeBytes(binaryToBytes(binary));
  let out = '';
  let last = 0;
  let pending: { charset: string; bytes: number[] } | undefined;
  const flushPending = (): void => {
    if (pending === undefined) return;
    out += decodeBytes(Uint8Array.from(pending.bytes), pending.charset);
    pending = undefined;
  };
  ENCODED_WORD.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ENCODED_WORD.exec(text)) !== null) {
    const between = text.slice(last, m.index);
    const adjacent = pending !== undefined && /^[ \t\r\n]*$/.test(between);
    if (!adjacent) {
      flushPending();
      out += between;
    }
    const charset = m[1]!.toLowerCase();
    const bytes = m[2]!.toUpperCase() === 'B' ? base64Bytes(m[3]!) : qEncodingBytes(m[3]!);
    if (pending !== undefined && pending.charset !== charset) flushPending();
    if (pending === undefined) pending = { charset, bytes: [] };
    for (const b of bytes) pending.bytes.push(b);
    last = m.index + m[0].length;
  }
  flushPending();
  return out + text.slice(last);
}

function base64Bytes(text: string): Uint8Array {
  return Buffer.from(text, 'base64');
}

/** The "Q" encoding of RFC 2047: quoted-printable where `_` is a space. */
function qEncodingBytes(text: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    const hex = c === '=' ? text.slice(i + 1, i + 3) : '';
    if (/^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(c === '_' ? 0x20 : text.charCodeAt(i) & 0xff);
    }
  }
  return bytes;
}

export interface StructuredValue {
  /** The value before the parameters, lower-cased: `text/html`, `attachment`. */
  value: string;
  /** Parameters by lower-cased name, decoded to text. */
  params: ReadonlyMap<string, string>;
}

/** Parses `Content-Type` and `Content-Disposition` values. */
export function parseStructured(binary: string): StructuredValue {
  const raw = splitParams(binary);
  const value = (raw.shift()?.[1] ?? '').trim().toLowerCase();
  return { value, params: assembleParams(raw) };
}

/**
 * Splits `main; a=1; b="x;y"` into [['', 'main'], ['a', '1'], ['b', 'x;y']],
 * honouring quoted strings and their backslash escapes.
 */
function splitParams(input: string): [string, string][] {
  const out: [string, string][] = [];
  let name = '';
  let value = '';
  let inName = false;
  let quoted = false;
  const push = (): void => {
    out.push([name.trim().toLowerCase(), inName ? '' : value.trim()]);
    name = '';
    value = '';
  };
  for (let i = 0; i < input.length; i++) {
    const c = input.charAt(i);
    if (quoted) {
      if (c === '\\' && i + 1 < input.length) value += input.charAt(++i);
      else if (c === '"') quoted = false;
      else value += c;
    } else if (c === ';') {
      push();
      inName = true;
    } else if (inName) {
      if (c === '=') inName = false;
      else name += c;
    } else if (c === '"') {
      quoted = true;
    } else {
      value += c;
    }
  }
  push();
  return out.filter(([n], i) => i === 0 || n !== '');
}

// `name*`, `name*0`, `name*0*`: RFC 2231 extended and continued parameters.
const SECTION = /^([^*]+)\*(?:(\d+)\*?)?$/;

interface Section {
  index: number;
  extended: boolean;
  value: string;
}

/**
 * Joins RFC 2231 sections and decodes them; an RFC 2231 value wins over a
 * plain one of the same name. Plain values may still hold encoded words
 * (Outlook and Gmail write filenames that way) or raw UTF-8.
 */
function assembleParams(raw: readonly [string, string][]): Map<string, string> {
  const plain = new Map<string, string>();
  const sections = new Map<string, Section[]>();
  for (const [name, value] of raw) {
    const m = SECTION.exec(name);
    if (m === null) {
      if (!plain.has(name)) plain.set(name, decodeHeaderText(value));
      continue;
    }
    const base = m[1]!;
    const list = sections.get(base) ?? [];
    list.push({ index: m[2] === undefined ? 0 : Number(m[2]), extended: name.endsWith('*'), value });
    sections.set(base, list);
  }
  for (const [base, list] of sections) plain.set(base, joinSections(list));
  return plain;
}

function joinSections(list: Section[]): string {
  list.sort((a, b) => a.index - b.index);
  let charset: string | undefined;
  const bytes: number[] = [];
  for (const s of list) {
    let value = s.value;
    if (s.extended && s.index === 0) {
      // charset'language'percent-encoded-value
      const parts = value.split("'");
      if (parts.length >= 3) {
        charset = parts[0];
        value = parts.slice(2).join("'");
      }
    }
    if (s.extended) for (const b of percentDecode(value)) bytes.push(b);
    else for (let i = 0; i < value.length; i++) bytes.push(value.charCodeAt(i) & 0xff);
  }
  return decodeBytes(Uint8Array.from(bytes), charset);
}

function percentDecode(value: string): number[] {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const hex = value.charAt(i) === '%' ? value.slice(i + 1, i + 3) : '';
    if (/^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(value.charCodeAt(i) & 0xff);
    }
  }
  return bytes;
}
