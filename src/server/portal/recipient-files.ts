import { HttpError } from '../errors';

/**
 * What a recipient may attach to a portal message. Files from outside reach
 * representatives as mail from the organisation's own secure-mail address,
 * which their mail client trusts more than a stranger's: so the type is
 * decided here, by an allow-list of extensions the admin controls, and the
 * content type the mail carries comes from that list, never from the
 * browser. A file whose first bytes say it is a program or a web page is
 * refused whatever its name, unless the admin allowed that kind outright.
 */

/** Extensions and the content type each is relayed with. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
  rtf: 'application/rtf',
  txt: 'text/plain',
  csv: 'text/csv',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  heic: 'image/heic',
  zip: 'application/zip',
  html: 'text/html',
  htm: 'text/html',
  exe: 'application/octet-stream',
};

/** The default list: documents, spreadsheets and images. No programs, web pages or archives. */
export const DEFAULT_RECIPIENT_FILE_TYPES: readonly string[] = [
  'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'odt', 'ods', 'rtf', 'txt', 'csv',
  'jpg', 'jpeg', 'png', 'gif', 'tif', 'tiff', 'heic',
]; // prettier-ignore

type Sniffed = 'program' | 'web page';

/** The kinds refused by content, and the extension that, on the list, lets each through. */
const ALLOWED_BY: Readonly<Record<Sniffed, string>> = { program: 'exe', 'web page': 'html' };

/** What the first bytes say, for the kinds that are dangerous whatever the name. */
function sniff(bytes: Uint8Array): Sniffed | undefined {
  const b = bytes;
  // Windows executables ("MZ"), ELF, Mach-O, and scripts with a "#!" line.
  if (b[0] === 0x4d && b[1] === 0x5a) return 'program';
  if (b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46) return 'program';
  if ((b[0] === 0xcf || b[0] === 0xce) && b[1] === 0xfa && b[2] === 0xed && b[3] === 0xfe) return 'program';
  if (b[0] === 0x23 && b[1] === 0x21) return 'program';
  // Markup a browser or mail client would render and run: HTML, SVG, XML with scripts.
  const head = new TextDecoder('utf-8', { fatal: false })
    .decode(b.subarray(0, 512))
    .replace(/^\ufeff/, '')
    .trimStart()
    .toLowerCase();
  if (/^<(?:!doctype html|html|head|body|script|svg|iframe|\?xml[^>]*>\s*<(?:svg|html))/.test(head)) {
    return 'web page';
  }
  return undefined;
}

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1).toLowerCase();
}

/**
 * The content type to relay a recipient's file with, or an error that names
 * the file and says what may be sent instead.
 */
export function acceptRecipientFile(name: string, bytes: Uint8Array, allowed: readonly string[]): string {
  const ext = extensionOf(name);
  const list = allowed.map((e) => e.toLowerCase());
  const offer = `You can send ${list.map((e) => `.${e}`).join(', ')} files.`;
  if (ext === '' || list.indexOf(ext) < 0) {
    throw new HttpError(
      'ATTACHMENT_TYPE_REFUSED',
      `'${name}' cannot be sent: ${ext === '' ? 'files without an extension' : `.${ext} files`} are not accepted here. ${offer}`,
    );
  }
  const kind = sniff(bytes);
  if (kind !== undefined && list.indexOf(ALLOWED_BY[kind]) < 0) {
    throw new HttpError(
      'ATTACHMENT_TYPE_REFUSED',
      `'${name}' cannot be sent: it is a ${kind}, whatever its name says. ${offer}`,
    );
  }
  return CONTENT_TYPES[ext] ?? 'application/octet-stream';
}
