/**
 * Which attachments the engine can read, and how. The add-in hands over the
 * content of small attachments as text; formats that need a parser (PDF,
 * Office documents) are reported as not scanned so policy can decide.
 */
export type AttachmentKind = 'text' | 'html' | 'unsupported';

const TEXT_EXTENSIONS = ['txt', 'csv', 'tsv', 'log', 'md', 'json', 'xml', 'ics', 'vcf', 'eml', 'rtf'];
const HTML_EXTENSIONS = ['html', 'htm', 'xhtml'];

export function attachmentKind(name: string, contentType = ''): AttachmentKind {
  const type = contentType.toLowerCase().split(';')[0]!.trim();
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (type === 'text/html' || type === 'application/xhtml+xml' || HTML_EXTENSIONS.indexOf(ext) >= 0)
    return 'html';
  if (type.indexOf('text/') === 0 || TEXT_EXTENSIONS.indexOf(ext) >= 0) return 'text';
  if (type === 'application/json' || type === 'application/xml' || type === 'application/csv') return 'text';
  return 'unsupported';
}
