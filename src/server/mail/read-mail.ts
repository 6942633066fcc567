/**
 * Reads a raw Internet message (RFC 5322 with MIME: multipart, quoted-printable,
 * base64, RFC 2047 and RFC 2231) with mailparser, into the few fields the rest
 * of the code needs. The development mail catcher and the CLI's `.eml` reading
 * both go through here; neither parses MIME itself.
 */
import { simpleParser, type AddressObject, type HeaderValue, type Headers } from 'mailparser';

export interface MailPart {
  /** The file name as sent (RFC 2231 and encoded words decoded); undefined when the part has none. */
  filename: string | undefined;
  /** Lower-cased, without parameters: `application/pdf`. */
  contentType: string;
  /** The `charset` parameter of the part's Content-Type, when it has one. */
  charset: string | undefined;
  /** Where the part sits in the MIME tree (`1.2`): names a part that has no file name. */
  partId: string;
  /** Decoded content (transfer encoding undone, charset not applied). */
  content: Buffer;
}

export interface ReadMail {
  /** The Subject header, decoded; undefined when there is none. */
  subject: string | undefined;
  /** The From header, decoded, as `Name <address>`; '' when missing. */
  from: string;
  /** The addresses of the To header. */
  to: string[];
  /** The Message-ID header, angle brackets included; '' when missing. */
  messageId: string;
  /**
   * The plain-text body, LF line ends; null when the message has an HTML body
   * and no plain one. A message without any body part reads as ''.
   */
  text: string | null;
  /** The HTML body; null when there is none. */
  html: string | null;
  /** Every part that is not the body: attachments, inline images, attached messages. */
  attachments: MailPart[];
  /** All header fields by lower-cased name; empty when the input had no header block. */
  headers: Headers;
}

export interface ReadMailOptions {
  /** Larger input is refused with a RangeError rather than parsed. */
  maxBytes?: number;
}

/** Mail larger than this is not read: the SMTP relays in front of us refuse it long before. */
export const DEFAULT_MAX_MAIL_BYTES = 64 * 1024 * 1024;

export async function readMail(raw: Uint8Array | string, options: ReadMailOptions = {}): Promise<ReadMail> {
  const bytes =
    typeof raw === 'string'
      ? Buffer.from(raw, 'utf8')
      : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MAIL_BYTES;
  if (bytes.length > maxBytes) {
    throw new RangeError(`the message is ${bytes.length} bytes, more than the ${maxBytes} read`);
  }
  const mail = await simpleParser(bytes, {
    // The body as sent: no text made up from HTML or HTML from text, no links added,
    // and images left as cid: references rather than inlined as data URIs.
    skipHtmlToText: true,
    skipTextToHtml: true,
    skipTextLinks: true,
    skipImageLinks: true,
    keepCidLinks: true,
  });
  const html = typeof mail.html === 'string' ? mail.html : null;
  // Without skipHtmlToText the parser would derive text from HTML; with it, an
  // HTML-only message still reports text '', which here means "no text part".
  const text =
    html === null ? (mail.text ?? '') : mail.text !== undefined && mail.text !== '' ? mail.text : null;
  return {
    subject: mail.subject,
    from: addressText(mail.from),
    to: addresses(mail.to),
    messageId: mail.messageId ?? '',
    text,
    html,
    attachments: mail.attachments.map((a, i) => ({
      filename: a.filename,
      contentType: a.contentType.toLowerCase(),
      charset: charsetOf(a.headers.get('content-type')),
      partId: a.partId ?? String(i + 1),
      content: a.content,
    })),
    headers: mail.headers,
  };
}

/** `Name <address>` for each mailbox, unquoted: the text a person reads, not a header to send. */
function addressText(value: AddressObject | AddressObject[] | undefined): string {
  if (value === undefined) return '';
  return (Array.isArray(value) ? value : [value])
    .flatMap((obj) => obj.value)
    .map((a) => {
      const address = a.address ?? '';
      if (a.name === '') return address;
      return address === '' ? a.name : `${a.name} <${address}>`;
    })
    .join(', ');
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  if (value === undefined) return [];
  const out: string[] = [];
  const walk = (list: readonly { address?: string | undefined; group?: unknown[] }[]): void => {
    for (const a of list) {
      if (a.address !== undefined && a.address !== '') out.push(a.address);
      if (Array.isArray(a.group)) walk(a.group as { address?: string }[]);
    }
  };
  for (const obj of Array.isArray(value) ? value : [value]) walk(obj.value);
  return out;
}

function charsetOf(header: HeaderValue | undefined): string | undefined {
  if (header === undefined || typeof header !== 'object' || !('value' in header) || !('params' in header)) {
    return undefined;
  }
  const params = header.params as Partial<Record<string, string>>;
  const charset = params.charset;
  return charset !== undefined && charset !== '' ? charset : undefined;
}
