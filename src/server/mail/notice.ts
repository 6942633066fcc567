import { escapeHtml } from '../../shared/html';
import type { Notice } from '../../shared/api';
import type { OutboundMail } from '../outbox/outbound-mail';

/**
 * The notice a recipient receives instead of the protected message. It travels
 * in the clear, so it carries who sent something and where to read it, never
 * what was sent: no original subject, no body, no attachment names.
 */
export interface NoticeInput {
  orgName: string;
  /** How recipients reach a person, e.g. "Provider Services, 1-800-555-0100, help@plan.example". */
  supportContact: string;
  senderName: string;
  senderAddress: string;
  /** The secure link (https, or http on a development server), shown in full. */
  link: string;
  /** True when the recipient has never registered. */
  firstTime: boolean;
  expiresAt: Date;
  /** The recipient's address: their username in the portal. */
  recipientAddress: string;
  /** The organisation's logo (https), shown above the notice when set. */
  logoUrl?: string;
}

/** The attached page that opens the message when a mail filter blocks or rewrites the link. */
export const NOTICE_ATTACHMENT_NAME = 'SecureMessage.html';

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/**
 * Renders the notice: pure, deterministic (dates in UTC, no locale), every
 * interpolated value escaped in the HTML and flattened to one line in both
 * parts, so no input can add a header, a line or markup of its own.
 */
export function renderNotice(input: NoticeInput): Notice & Pick<OutboundMail, 'attachments'> {
  const link = checkedLink(input.link);
  const org = oneLine(input.orgName);
  const support = oneLine(input.supportContact);
  const address = oneLine(input.senderAddress);
  const name = oneLine(input.senderName);
  const sender =
    name === '' || name.toLowerCase() === address.toLowerCase() ? address : `${name} <${address}>`;
  const expires = formatUtc(input.expiresAt);
  const host = new URL(link).host;
  const username = oneLine(input.recipientAddress);
  const logo = input.logoUrl === undefined ? undefined : checkedLink(input.logoUrl);

  const subject = `Secure message from ${org}`;
  const howTo = input.firstTime
    ? 'This is your first secure message: register once with this e-mail address, then sign in with your username and password.'
    : 'Sign in with your username and password.';
  const noPassword = `${org} and the sender will never ask for your password by e-mail. Enter it only on the page this link opens, at ${host}.`;
  const intro = `${sender} sent you a secure message through ${org}.`;
  const encrypted = 'The message is encrypted and is not included in this e-mail.';
  const available = `You can read it until ${expires}.`;
  const questions = `Questions? Contact ${support}`;
  const usernameLine = `Your username is this e-mail address: ${username}`;
  const blocked = `If the link does not open, open the attached ${NOTICE_ATTACHMENT_NAME}.`;

  const text = [
    intro,
    encrypted,
    '',
    'To read it, open this link:',
    link,
    '',
    howTo,
    usernameLine,
    available,
    blocked,
    '',
    questions,
    noPassword,
    '',
  ].join('\n');

  const e = escapeHtml;
  const p = (content: string, fontSize = 16, marginBottom = 16): string =>
    `<p style="margin:0 0 ${marginBottom}px 0;font-size:${fontSize}px;line-height:1.5;color:#1f2933;">${content}</p>`;
  const html = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(subject)}</title>`,
    '</head>',
    '<body style="margin:0;padding:0;background-color:#f4f5f7;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f5f7;">',
    '<tr><td align="center" style="padding:16px 8px;">',
    '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;width:100%;background-color:#ffffff;border:1px solid #d9dde3;border-radius:6px;">',
    '<tr><td style="padding:24px 20px;font-family:Segoe UI,Helvetica,Arial,sans-serif;">',
    ...(logo === undefined
      ? []
      : [
          `<img src="${e(logo)}" alt="${e(org)}" height="40" style="display:block;height:40px;border:0;margin:0 0 16px 0;">`,
        ]),
    `<h1 style="margin:0 0 16px 0;font-size:20px;line-height:1.3;color:#1f2933;">${e(subject)}</h1>`,
    p(e(intro)),
    p(e(encrypted)),
    // A real button, drawn with a table cell so that clients without CSS support still show it.
    '<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 16px 0;"><tr>',
    `<td style="background-color:#0b57d0;border-radius:4px;"><a href="${e(link)}" style="display:inline-block;padding:12px 24px;font-size:16px;font-weight:600;color:#ffffff;text-decoration:none;">Open secure message</a></td>`,
    '</tr></table>',
    p('Or open this link:', 14, 4),
    p(
      `<a href="${e(link)}" style="color:#0b57d0;text-decoration:underline;word-break:break-all;overflow-wrap:anywhere;">${e(link)}</a>`,
      14,
    ),
    p(e(howTo)),
    p(`Your username is this e-mail address: <strong>${e(username)}</strong>`),
    p(e(available)),
    p(e(blocked), 14),
    '<hr style="border:0;border-top:1px solid #d9dde3;margin:8px 0 16px 0;">',
    p(e(questions), 14),
    p(`<strong>${e(noPassword)}</strong>`, 14, 0),
    '</td></tr>',
    '</table>',
    '</td></tr>',
    '</table>',
    '</body>',
    '</html>',
    '',
  ].join('\n');

  return { subject, text, html, attachments: [openerPage({ org, link, subject })] };
}

/**
 * A small page that opens the message: mail filters rewrite or block links
 * in a message's body, seldom inside an attachment. It holds the same link
 * as the notice and nothing more.
 */
function openerPage(input: {
  org: string;
  link: string;
  subject: string;
}): NonNullable<OutboundMail['attachments']>[number] {
  const e = escapeHtml;
  const page = [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(input.subject)}</title></head>`,
    '<body style="font-family:Segoe UI,Helvetica,Arial,sans-serif;margin:24px;color:#1f2933;">',
    `<h1 style="font-size:20px;">${e(input.subject)}</h1>`,
    `<p>This page opens your secure message from ${e(input.org)}.</p>`,
    `<p><a href="${e(input.link)}" style="display:inline-block;padding:12px 24px;background:#0b57d0;color:#fff;border-radius:4px;text-decoration:none;font-weight:600;">Open secure message</a></p>`,
    `<p style="font-size:14px;word-break:break-all;">${e(input.link)}</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return {
    filename: NOTICE_ATTACHMENT_NAME,
    contentType: 'text/html',
    contentBase64: Buffer.from(page, 'utf8').toString('base64'),
  };
}

/** Control characters (CR and LF included) become spaces: every value stays on its line. */
function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

/** Only an absolute http(s) URL can be a secure link; anything else is a programming error. */
function checkedLink(link: string): string {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    throw new TypeError('renderNotice: link must be an absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError('renderNotice: link must be an https URL');
  }
  return url.href;
}

/** "14 March 2026, 09:05 UTC": unambiguous in every locale. */
function formatUtc(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new TypeError('renderNotice: expiresAt is not a valid date');
  const hh = String(date.getUTCHours()).padStart(2, '0');
  const mm = String(date.getUTCMinutes()).padStart(2, '0');
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()] ?? ''} ${date.getUTCFullYear()}, ${hh}:${mm} UTC`;
}
