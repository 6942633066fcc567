import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { escapeHtml } from '../../shared/html';

/**
 * The development mail catcher: an SMTP server on the loopback interface that
 * keeps every message in memory for `/dev/mail`, so notices can be read without
 * a real relay. No authentication, no TLS, a size limit, and a cap on how many
 * messages it keeps (the oldest go first). Never started in production.
 */

export interface CaughtMessage {
  id: string;
  /** ISO-8601, UTC. */
  receivedAt: string;
  /** The From header, decoded; the envelope sender when the header is missing. */
  from: string;
  /** The envelope recipients (RCPT TO), Bcc included. */
  to: string[];
  /** The Subject header, RFC 2047 words decoded. */
  subject: string;
  /** The Message-ID header as sent, angle brackets included; '' when missing. */
  messageId: string;
  /** The first text/plain part, decoded, with LF line ends; null when there is none. */
  text: string | null;
  /** The first text/html part, decoded, with LF line ends; null when there is none. */
  html: string | null;
  /** The message as received. */
  raw: string;
}

export interface MailCatcherOptions {
  /** A loopback address only: the catcher has no authentication. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** How many messages to keep; the oldest are dropped first. */
  max?: number;
  /** Larger messages are refused with 552. */
  maxMessageBytes?: number;
}

export interface MailCatcher {
  /** smtp://<host>:<port>, for SMTP_URL or a transport. */
  url: string;
  port: number;
  /** Oldest first. */
  messages(): CaughtMessage[];
  clear(): void;
  close(): Promise<void>;
}

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/;

export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<MailCatcher> {
  const host = options.host ?? '127.0.0.1';
  const max = options.max ?? 500;
  // Room for a portal reply relayed with its attachments (10 MB, base64-encoded).
  const maxBytes = options.maxMessageBytes ?? 20 * 1024 * 1024;
  if (!LOOPBACK.test(host)) {
    throw new Error(`the mail catcher listens on loopback addresses only, not ${host}`);
  }
  if (!Number.isInteger(max) || max < 1) throw new RangeError('max must be a positive integer');
  const kept: CaughtMessage[] = [];

  const server = new SMTPServer({
    name: 'secure-envelope-mail-catcher',
    banner: 'development mail catcher',
    logger: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    disableReverseLookup: true,
    size: maxBytes,
    maxClients: 50,
    socketTimeout: 30_000,
    closeTimeout: 2_000,
    onConnect(session: SMTPServerSession, callback: (err?: Error | null) => void) {
      // Defence in depth: the socket is bound to loopback already.
      if (!isLoopbackPeer(session.remoteAddress)) {
        callback(smtpError('loopback connections only', 554));
        return;
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null) => void) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) chunks.push(chunk);
      });
      stream.on('error', (err: Error) => {
        callback(err);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded || size > maxBytes) {
          callback(smtpError('message exceeds the size limit', 552));
          return;
        }
        const buffer = Buffer.concat(chunks);
        const parsed = parseMessage(buffer);
        const envelopeFrom = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        kept.push({
          id: randomUUID(),
          receivedAt: new Date().toISOString(),
          from: parsed.from || envelopeFrom,
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: parsed.subject,
          messageId: parsed.messageId,
          text: parsed.text,
          html: parsed.html,
          raw: buffer.toString('utf8'),
        });
        if (kept.length > max) kept.splice(0, kept.length - max);
        callback();
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      reject(err);
    };
    server.server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.server.off('error', onError);
      resolve();
    });
  });
  // Errors of single connections must not crash a development server.
  server.on('error', () => undefined);
  const port = (server.server.address() as AddressInfo).port;
  const urlHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `smtp://${urlHost}:${port}`,
    port,
    messages: () => kept.slice(),
    clear: () => {
      kept.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

function isLoopbackPeer(address: string): boolean {
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return LOOPBACK.test(plain);
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

// ---------------------------------------------------------------------------
// A minimal MIME reader: enough for what nodemailer and common clients send
// (RFC 2047 headers, multipart, quoted-printable and base64), not a general
// parser. Bytes are carried in latin1 strings, one character per byte, until
// a part's charset decodes them.

export interface ParsedMessage {
  from: string;
  subject: string;
  messageId: string;
  text: string | null;
  html: string | null;
}

interface Part {
  headers: Map<string, string>;
  /** latin1: one character per byte. */
  body: string;
}

/** Reads the fields the catcher shows from a raw RFC 5322 message. */
export function parseMessage(raw: Buffer | string): ParsedMessage {
  const bytes = typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw;
  const root = splitPart(bytes.toString('latin1'));
  const found: { text: string | null; html: string | null } = { text: null, html: null };
  collectBodies(root, found, 0);
  return {
    from: decodeHeader(root.headers.get('from') ?? ''),
    subject: decodeHeader(root.headers.get('subject') ?? ''),
    messageId: (root.headers.get('message-id') ?? '').trim(),
    text: found.text,
    html: found.html,
  };
}

function splitPart(source: string): Part {
  let cut = source.indexOf('\r\n\r\n');
  let skip = 4;
  const lf = source.indexOf('\n\n');
  if (cut < 0 || (lf >= 0 && lf < cut)) {
    cut = lf;
    skip = 2;
  }
  const head = cut < 0 ? source : source.slice(0, cut);
  const body = cut < 0 ? '' : source.slice(cut + skip);
  const headers = new Map<string, string>();
  let current: string | undefined;
  for (const line of head.split(/\r?\n/)) {
    if ((line.startsWith(' ') || line.startsWith('\t')) && current !== undefined) {
      headers.set(current, `${headers.get(current) ?? ''} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    current = name;
    // The first occurrence wins, as for a reader looking at the top of the header.
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
    else current = undefined;
  }
  return { headers, body };
}

interface ContentType {
  type: string;
  params: Map<string, string>;
}

function contentType(part: Part): ContentType {
  const value = part.headers.get('content-type') ?? 'text/plain; charset=us-ascii';
  const [type = '', ...rest] = splitParams(value);
  const params = new Map<string, string>();
  for (const item of rest) {
    const eq = item.indexOf('=');
    if (eq <= 0) continue;
    let v = item.slice(eq + 1).trim();
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    params.set(item.slice(0, eq).trim().toLowerCase(), v);
  }
  return { type: type.trim().toLowerCase(), params };
}

/** Splits "a; b=1; c=\"x;y\"" on the semicolons outside quotes. */
function splitParams(value: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    if (ch === '\\' && quoted && i + 1 < value.length) {
      current += ch + value.charAt(i + 1);
      i++;
    } else if (ch === '"') {
      quoted = !quoted;
      current += ch;
    } else if (ch === ';' && !quoted) {
      out.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  out.push(current);
  return out;
}

function collectBodies(part: Part, found: { text: string | null; html: string | null }, depth: number): void {
  if (depth > 20) return;
  const ct = contentType(part);
  const disposition = (part.headers.get('content-disposition') ?? '').trim().toLowerCase();
  if (disposition.startsWith('attachment')) return;
  if (ct.type.startsWith('multipart/')) {
    const boundary = ct.params.get('boundary');
    if (boundary === undefined || boundary === '') return;
    for (const child of splitMultipart(part.body, boundary))
      collectBodies(splitPart(child), found, depth + 1);
    return;
  }
  if (ct.type === 'text/plain' && found.text === null) found.text = decodeBody(part, ct);
  else if (ct.type === 'text/html' && found.html === null) found.html = decodeBody(part, ct);
}

function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const lines = body.split('\n');
  const parts: string[] = [];
  let current: string[] | undefined;
  for (const rawLine of lines) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    const trimmed = line.trimEnd();
    if (trimmed === `${delimiter}--`) {
      if (current !== undefined) parts.push(current.join('\r\n'));
      return parts;
    }
    if (trimmed === delimiter) {
      if (current !== undefined) parts.push(current.join('\r\n'));
      current = [];
      continue;
    }
    current?.push(line);
  }
  if (current !== undefined) parts.push(current.join('\r\n'));
  return parts;
}

function decodeBody(part: Part, ct: ContentType): string {
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').trim().toLowerCase();
  let bytes: Buffer;
  if (encoding === 'base64') bytes = Buffer.from(part.body.replace(/[^\d+/=a-z]/gi, ''), 'base64');
  else if (encoding === 'quoted-printable') bytes = decodeQuotedPrintable(part.body);
  else bytes = Buffer.from(part.body, 'latin1');
  return decodeCharset(bytes, ct.params.get('charset') ?? 'us-ascii').replace(/\r\n/g, '\n');
}

function decodeQuotedPrintable(body: string): Buffer {
  // Soft line breaks first, then =XX escapes; a stray '=' stays as it is.
  const joined = body.replace(/=[ \t]*\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const ch = joined.charCodeAt(i);
    if (ch === 0x3d && i + 2 < joined.length && isHex(joined.charAt(i + 1)) && isHex(joined.charAt(i + 2))) {
      out.push(parseInt(joined.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(ch & 0xff);
    }
  }
  return Buffer.from(out);
}

function isHex(ch: string): boolean {
  return /^[\da-f]$/i.test(ch);
}

function decodeCharset(bytes: Buffer, charset: string): string {
  const label = charset.trim().toLowerCase();
  if (label === 'us-ascii' || label === 'ascii' || label === '') return bytes.toString('utf8');
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

const ENCODED_WORD = /=\?([^?\s]+)\?([bq])\?([^?\s]*)\?=/gi;

/** Decodes RFC 2047 encoded words; raw 8-bit header bytes are read as UTF-8. */
export function decodeHeader(value: string): string {
  // Whitespace between two adjacent encoded words is not part of the text.
  const joined = value.replace(/(\?=)[ \t\r\n]+(?==\?)/g, '$1');
  let out = '';
  let last = 0;
  for (const match of joined.matchAll(ENCODED_WORD)) {
    const [whole, charset = '', kind = '', data = ''] = match;
    out += Buffer.from(joined.slice(last, match.index), 'latin1').toString('utf8');
    const language = charset.indexOf('*');
    const label = language >= 0 ? charset.slice(0, language) : charset;
    const bytes =
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64')
        : decodeQuotedPrintable(data.replaceAll('_', ' ').replace(/=[ \t]*\r?\n/g, ''));
    out += decodeCharset(bytes, label);
    last = match.index + whole.length;
  }
  out += Buffer.from(joined.slice(last), 'latin1').toString('utf8');
  return out;
}

// ---------------------------------------------------------------------------

const PRE =
  'white-space:pre-wrap;word-break:break-all;background:#f8f8f8;border:1px solid #eee;padding:8px;font-size:12px;max-height:420px;overflow:auto;';

/**
 * The `/dev/mail` page: newest first, every value escaped. A message's HTML is
 * shown inside an iframe with an empty `sandbox` (no scripts, no same-origin,
 * no forms, no navigation of the page), plus its escaped source.
 */
export function renderCatcherPage(messages: readonly CaughtMessage[]): string {
  const e = escapeHtml;
  const items = [...messages]
    .reverse()
    .map((m) => {
      const rows = [
        ['Received', m.receivedAt],
        ['From', m.from],
        ['To', m.to.join(', ')],
        ['Subject', m.subject],
        ['Message-ID', m.messageId],
      ]
        .map(
          ([k = '', v = '']) =>
            `<tr><th style="text-align:left;padding:2px 12px 2px 0;vertical-align:top;white-space:nowrap;">${e(k)}</th><td style="padding:2px 0;word-break:break-all;">${e(v)}</td></tr>`,
        )
        .join('');
      const text =
        m.text === null
          ? '<p><em>no text part</em></p>'
          : `<h3 style="font-size:14px;margin:12px 0 4px;">Text</h3><pre style="${PRE}">${e(m.text)}</pre>`;
      const html =
        m.html === null
          ? '<p><em>no HTML part</em></p>'
          : '<h3 style="font-size:14px;margin:12px 0 4px;">HTML (sandboxed, scripts off)</h3>' +
            `<iframe sandbox="" referrerpolicy="no-referrer" title="${e(`HTML of ${m.id}`)}" srcdoc="${e(m.html)}" style="width:100%;height:420px;border:1px solid #ccc;background:#fff;"></iframe>` +
            `<details><summary>HTML source</summary><pre style="${PRE}">${e(m.html)}</pre></details>`;
      const raw = `<details><summary>Raw message</summary><pre style="${PRE}">${e(m.raw)}</pre></details>`;
      return `<article id="${e(`m-${m.id}`)}" style="border:1px solid #d9dde3;border-radius:6px;padding:12px;margin:0 0 16px;background:#fff;"><table style="border-collapse:collapse;font-size:14px;">${rows}</table>${text}${html}${raw}</article>`;
    })
    .join('\n');
  const count = messages.length === 1 ? '1 message' : `${messages.length} messages`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="referrer" content="no-referrer">',
    '<title>Mail catcher (development)</title>',
    '</head>',
    '<body style="margin:0;padding:16px;font-family:system-ui,Segoe UI,Helvetica,Arial,sans-serif;background:#f4f5f7;color:#1f2933;">',
    '<h1 style="font-size:20px;margin:0 0 4px;">Mail catcher (development)</h1>',
    `<p style="margin:0 0 16px;">${e(count)}, newest first. Nothing here is delivered. <a href="">Refresh</a></p>`,
    items === '' ? '<p><em>No messages yet.</em></p>' : items,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
