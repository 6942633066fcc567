import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import { escapeHtml } from '../../shared/html';
import { readMail, type ReadMail } from '../mail/read-mail';

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
        const envelopeFrom = session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address;
        const keep = (parsed: ReadMail | null): void => {
          kept.push({
            id: randomUUID(),
            receivedAt: new Date().toISOString(),
            from: parsed === null || parsed.from === '' ? envelopeFrom : parsed.from,
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed?.subject ?? '',
            messageId: parsed?.messageId ?? '',
            text: parsed === null ? null : parsed.text,
            html: parsed === null ? null : parsed.html,
            raw: buffer.toString('utf8'),
          });
          if (kept.length > max) kept.splice(0, kept.length - max);
          callback();
        };
        // A message the parser cannot read is still kept, raw, for a developer to look at.
        readMail(buffer, { maxBytes }).then(keep, () => {
          keep(null);
        });
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
