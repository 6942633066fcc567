import { scanText } from '../../detect/index';
import type { Notice } from '../../shared/api';
import { escapeHtml } from '../../shared/html';
import type { Sender } from '../auth/sender-auth';
import type { ServerContext } from '../context';

/**
 * The text Outlook sends in place of the message when the add-in cannot keep
 * Outlook's copy to the sender alone (see the README, "One e-mail per
 * recipient"): the last line of defence. It travels in the clear to
 * every recipient, so it holds no content and no personal link: each recipient
 * gets their own link in a separate notice. Its subject is generic: a
 * subject says what a message is about ("HIV test results for Jane Doe")
 * even when no detector flags it. Policy may let the original subject show,
 * and then one that itself carries sensitive data is still replaced.
 */
export function outlookNotice(
  ctx: Pick<ServerContext, 'config' | 'policy'>,
  sender: Pick<Sender, 'name' | 'address'>,
  subject: string,
): Notice {
  const generic = `Secure message from ${ctx.config.org.name}`;
  const shown =
    ctx.config.policy.noticeSubject === 'original' &&
    subject.trim() !== '' &&
    // A policy keyword ("confidential") in the subject is a reason to hide it too.
    scanText(subject, 'text', ctx.policy.detection).length === 0
      ? `[Secure] ${subject}`
      : generic;
  const portal = `${ctx.config.publicUrl}/portal/`;
  const from = sender.name ?? sender.address;
  const text =
    `${from} sent you a secure message through ${ctx.config.org.name}.\n\n` +
    `It is not in this e-mail. Each recipient receives a separate e-mail with a personal link to read it.\n` +
    `Already registered? Sign in at ${portal}\n\n` +
    `Questions: ${ctx.config.org.supportContact}\n`;
  const html =
    `<div style="font-family:Segoe UI,Arial,sans-serif;font-size:14px;line-height:1.5">` +
    `<p><strong>${escapeHtml(from)}</strong> sent you a secure message through ${escapeHtml(ctx.config.org.name)}.</p>` +
    `<p>It is not in this e-mail. Each recipient receives a separate e-mail with a personal link to read it.</p>` +
    `<p>Already registered? Sign in at <a href="${escapeHtml(portal)}">${escapeHtml(portal)}</a></p>` +
    `<p style="color:#555">Questions: ${escapeHtml(ctx.config.org.supportContact)}</p></div>`;
  return { subject: shown, html, text };
}
