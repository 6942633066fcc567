import { escapeHtml } from '../../shared/html';
import type { Notice } from '../../shared/api';

/**
 * The e-mails the portal sends. Reset, sign-in-link and password-changed
 * mails go to the recipient and hold no message content. A recipient's
 * secure reply goes to the representative over the organization's own relay
 * (TLS required), so it carries the reply itself, as ordinary internal mail.
 */

export interface OrgFacts {
  orgName: string;
  supportContact: string;
}

/** Control characters (CR and LF included) become spaces: a value cannot add a line or a header. */
function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim();
}

function page(title: string, paragraphs: readonly string[]): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="margin:0;padding:16px;font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:16px;line-height:1.5;color:#1f2933;">',
    ...paragraphs.map((p) => `<p style="margin:0 0 16px 0;">${p}</p>`),
    '</body></html>',
    '',
  ].join('\n');
}

function link(url: string): string {
  const e = escapeHtml(url);
  return `<a href="${e}" style="color:#0b57d0;word-break:break-all;">${e}</a>`;
}

export function renderResetMail(input: OrgFacts & { link: string; minutes: number }): Notice {
  const org = oneLine(input.orgName);
  const subject = `Reset your password for secure messages from ${org}`;
  const lines = [
    `Someone (we hope you) asked to reset the password you use to read secure messages from ${org}.`,
    `To choose a new password, open this link within ${input.minutes} minutes. It works once:`,
    input.link,
    'If you did not ask for this, ignore this e-mail: your password stays as it is.',
    `Questions? Contact ${oneLine(input.supportContact)}`,
  ];
  return {
    subject,
    text: `${lines[0]}\n\n${lines[1]}\n${lines[2]}\n\n${lines[3]}\n\n${lines[4]}\n`,
    html: page(subject, [
      escapeHtml(lines[0]!),
      escapeHtml(lines[1]!),
      link(input.link),
      escapeHtml(lines[3]!),
      escapeHtml(lines[4]!),
    ]),
  };
}

/**
 * A one-time sign-in link, asked for on the sign-in page. Someone who did not
 * ask is told that ignoring it is safe, and that repeated ones are worth
 * reporting: they mean someone is trying the address.
 */
export function renderSignInLinkMail(input: OrgFacts & { link: string; minutes: number }): Notice {
  const org = oneLine(input.orgName);
  const subject = `Your sign-in link for secure messages from ${org}`;
  const lines = [
    `Someone (we hope you) asked for a link to sign in to your secure messages from ${org} without a password.`,
    `To sign in, open this link within ${input.minutes} minutes. It works once:`,
    input.link,
    'If you did not ask for this, ignore this e-mail: nobody can use the link without this mailbox. If such e-mails keep coming, tell us.',
    `Questions? Contact ${oneLine(input.supportContact)}`,
  ];
  return {
    subject,
    text: `${lines[0]}\n\n${lines[1]}\n${lines[2]}\n\n${lines[3]}\n\n${lines[4]}\n`,
    html: page(subject, [
      escapeHtml(lines[0]!),
      escapeHtml(lines[1]!),
      link(input.link),
      escapeHtml(lines[3]!),
      escapeHtml(lines[4]!),
    ]),
  };
}

export function renderPasswordChangedMail(input: OrgFacts & { portalUrl: string; at: Date }): Notice {
  const org = oneLine(input.orgName);
  const subject = `Your password for secure messages from ${org} was changed`;
  const when = `${input.at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  const lines = [
    `The password you use to read secure messages from ${org} was changed on ${when}, and every signed-in session was ended.`,
    `If this was you, there is nothing to do. Sign in at ${input.portalUrl}`,
    `If it was not you, contact ${oneLine(input.supportContact)} at once.`,
  ];
  return {
    subject,
    text: `${lines.join('\n\n')}\n`,
    html: page(subject, lines.map(escapeHtml)),
  };
}

export interface ReplyMailInput {
  /** The recipient who wrote. */
  fromAddress: string;
  subject: string;
  text: string;
  /** The conversation in the portal. */
  threadUrl: string;
  attachmentNames: readonly string[];
  orgName: string;
}

/** A recipient's secure reply or new message, as the representative reads it in Outlook. */
export function renderReplyMail(input: ReplyMailInput): Notice {
  const from = oneLine(input.fromAddress);
  const subject = oneLine(input.subject);
  // It arrives from the organisation's own secure-mail address, so it says
  // first, plainly, that a person outside wrote it.
  const warning = `External sender: ${from} is outside ${oneLine(input.orgName)}. They wrote this through the secure message portal; treat links and attachments as you would any outside mail.`;
  const intro = `${from} wrote to you securely through the ${oneLine(input.orgName)} secure message portal.`;
  const files =
    input.attachmentNames.length > 0
      ? `Attached: ${input.attachmentNames.map(oneLine).join(', ')}`
      : undefined;
  const footer = `Conversation in the portal: ${input.threadUrl}\nReply to this e-mail to answer ${from}; sensitive answers go out as Secure Email.`;
  const text = [
    warning,
    '',
    intro,
    '',
    input.text,
    '',
    ...(files !== undefined ? [files, ''] : []),
    '--',
    footer,
    '',
  ].join('\n');
  const html = [
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
    `<title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family:Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;line-height:1.5;color:#1f2933;">',
    `<p style="margin:0 0 12px 0;padding:8px 12px;background-color:#fff4ce;border:1px solid #f2c94c;color:#1f2933;"><strong>${escapeHtml(warning)}</strong></p>`,
    `<p style="color:#555">${escapeHtml(intro)}</p>`,
    `<div style="white-space:pre-wrap">${escapeHtml(input.text)}</div>`,
    ...(files !== undefined ? [`<p>${escapeHtml(files)}</p>`] : []),
    `<hr><p style="color:#555">Conversation in the portal: ${link(input.threadUrl)}<br>`,
    `Reply to this e-mail to answer ${escapeHtml(from)}; sensitive answers go out as Secure Email.</p>`,
    '</body></html>',
    '',
  ].join('\n');
  return { subject: `[External] ${subject}`, text, html };
}
