/**
 * Outlook .msg files through @kenjiuno/msgreader: the subject, the body and
 * each attachment by its own format, one level deeper. Loaded on first use,
 * as only some runtimes can carry it.
 */
import type { Context, Extracted } from './context';
import { nestedText } from './context';
import { htmlToText } from './markup';
import { decodeText } from './decode';
import { ExtractError, type AttachmentFile } from './types';

export async function readMsg(file: AttachmentFile, ctx: Context): Promise<Extracted> {
  const { default: MsgReader } = await import('@kenjiuno/msgreader');
  const bytes = file.bytes;
  let reader: InstanceType<typeof MsgReader>;
  let data: ReturnType<InstanceType<typeof MsgReader>['getFileData']>;
  try {
    reader = new MsgReader(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    data = reader.getFileData();
  } catch {
    throw new ExtractError('corrupt', 'not scanned: the Outlook message is damaged');
  }
  if (data.error !== undefined)
    throw new ExtractError('corrupt', 'not scanned: the Outlook message is damaged');
  ctx.budget.checkTime();
  const lines: string[] = [];
  if (data.subject) lines.push(`Subject: ${data.subject}`, '');
  const html = data.bodyHtml ?? (data.html === undefined ? undefined : decodeText(data.html));
  const body = data.body ?? (html === undefined ? '' : htmlToText(html));
  if (body !== '') lines.push(body.replace(/\r\n?/g, '\n').trim(), '');
  let n = 0;
  for (const a of data.attachments ?? []) {
    n++;
    let name = a.fileName ?? a.name ?? `attachment-${n}`;
    let text: string;
    if (a.innerMsgContent === true && a.innerMsgContentFields !== undefined) {
      // An attached Outlook item: its fields are already parsed.
      const inner = a.innerMsgContentFields;
      name = `${inner.subject ?? 'message'}.msg`;
      text = [inner.subject ? `Subject: ${inner.subject}` : '', inner.body ?? ''].join('\n').trim();
    } else {
      const content = reader.getAttachment(a).content;
      ctx.budget.spend(content.length);
      text = await nestedText(ctx, { name, bytes: content });
    }
    lines.push(`Attachment: ${name}`, text, '');
  }
  return { format: 'msg', textKind: 'text', text: lines.join('\n').trim() };
}
