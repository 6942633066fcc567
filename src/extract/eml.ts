/**
 * Attached e-mail (.eml, message/rfc822) through postal-mime, which runs in
 * browsers and Node alike: the subject, the text (or the HTML as text) and
 * each of its own attachments, read by their own formats one level deeper.
 */
import PostalMime from 'postal-mime';
import { nestedText, type Context, type Extracted } from './context';
import { htmlToText } from './markup';
import { ExtractError, type AttachmentFile } from './types';

declare const TextDecoder: unknown;

export async function readEml(file: AttachmentFile, ctx: Context): Promise<Extracted> {
  // postal-mime decodes charsets with TextDecoder, which Outlook's JavaScript-only runtime may lack.
  if (typeof TextDecoder === 'undefined') {
    throw new ExtractError('unsupported', 'not scanned: attached e-mails cannot be read in this Outlook');
  }
  let email: Awaited<ReturnType<typeof PostalMime.parse>>;
  try {
    email = await PostalMime.parse(file.bytes, {
      // Every attached message is read as a file of its own, so it counts against the nesting depth.
      forceRfc822Attachments: true,
      attachmentEncoding: 'arraybuffer',
      maxNestingDepth: 64,
    });
  } catch {
    throw new ExtractError('corrupt', 'not scanned: the attached e-mail is damaged');
  }
  ctx.budget.checkTime();
  const lines: string[] = [];
  if (email.subject !== undefined && email.subject !== '') lines.push(`Subject: ${email.subject}`, '');
  const body = email.text ?? (email.html === undefined ? '' : htmlToText(email.html));
  if (body !== '') lines.push(body.replace(/\r\n?/g, '\n').trim(), '');
  let n = 0;
  for (const a of email.attachments) {
    n++;
    const content = a.content;
    const bytes =
      typeof content === 'string'
        ? new Uint8Array(0)
        : content instanceof Uint8Array
          ? content
          : new Uint8Array(content);
    ctx.budget.spend(bytes.length);
    const name = a.filename ?? (a.mimeType === 'message/rfc822' ? `message-${n}.eml` : `part-${n}`);
    lines.push(`Attachment: ${name}`, await nestedText(ctx, { name, contentType: a.mimeType, bytes }), '');
  }
  return { format: 'eml', textKind: 'text', text: lines.join('\n').trim() };
}
