/**
 * Which attachments the engine can read, and how. The add-in hands over the
 * content of small attachments as text; formats that need a parser (PDF,
 * Office documents, RTF, attached messages with encoded parts) are reported as
 * not scanned, so policy can treat them with care.
 */
export type AttachmentKind = 'text' | 'csv' | 'html' | 'unsupported';

const TEXT_EXTENSIONS = ['txt', 'tsv', 'log', 'md', 'json', 'xml', 'ics', 'vcf'];
const HTML_EXTENSIONS = ['html', 'htm', 'xhtml'];
// Text types whose raw form hides values behind escapes or transfer encodings.
const UNREADABLE_TEXT_TYPES = ['text/rtf', 'text/richtext', 'message/rfc822'];

export function attachmentKind(name: string, contentType = ''): AttachmentKind {
  const type = contentType.toLowerCase().split(';')[0]!.trim();
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (type === 'text/html' || type === 'application/xhtml+xml' || HTML_EXTENSIONS.indexOf(ext) >= 0)
    return 'html';
  // Spreadsheet exports: the header row labels every column below it.
  if (type === 'text/csv' || type === 'application/csv' || ext === 'csv') return 'csv';
  if (UNREADABLE_TEXT_TYPES.indexOf(type) >= 0 || ext === 'rtf' || ext === 'eml') return 'unsupported';
  if (type.indexOf('text/') === 0 || TEXT_EXTENSIONS.indexOf(ext) >= 0) return 'text';
  if (type === 'application/json' || type === 'application/xml') return 'text';
  return 'unsupported';
}
