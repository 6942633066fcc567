/**
 * What a file is, from its first bytes where formats have a signature, else
 * from its name and declared type. Signatures win: a renamed file is read as
 * what it is, and a ".txt" that is really a ZIP does not slip through as text.
 */

export type Sniffed = 'pdf' | 'zip' | 'cfb' | 'rtf' | 'image' | 'eml' | 'html' | 'csv' | 'text' | 'binary';

function startsWith(bytes: Uint8Array, sig: readonly number[], at = 0): boolean {
  for (let i = 0; i < sig.length; i++) if (bytes[at + i] !== sig[i]) return false;
  return true;
}

function ascii(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(s.charCodeAt(i));
  return out;
}

const PDF = ascii('%PDF-');
const RTF = ascii('{\\rtf');
const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const IMAGE_SIGNATURES: readonly (readonly number[])[] = [
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0xff, 0xd8, 0xff], // JPEG
  ascii('GIF8'),
  [0x49, 0x49, 0x2a, 0x00], // TIFF, little-endian
  [0x4d, 0x4d, 0x00, 0x2a], // TIFF, big-endian
  ascii('BM'),
  [0x00, 0x00, 0x01, 0x00], // ICO
];
/** ISO media brands of still images (HEIC/HEIF/AVIF), found at offset 8 after "ftyp". */
const IMAGE_BRANDS = ['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1', 'avif'];
const IMAGE_EXTENSIONS = [
  'png',
  'jpg',
  'jpeg',
  'gif',
  'tif',
  'tiff',
  'bmp',
  'heic',
  'heif',
  'webp',
  'avif',
  'ico',
  'svg',
  'emf',
  'wmf',
];
const HTML_EXTENSIONS = ['html', 'htm', 'xhtml'];
const TEXT_EXTENSIONS = [
  'txt',
  'text',
  'tsv',
  'log',
  'md',
  'json',
  'xml',
  'ics',
  'vcf',
  'ini',
  'yaml',
  'yml',
];

export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? name.slice(dot + 1).toLowerCase() : '';
}

export function sniff(bytes: Uint8Array, name: string, contentType = ''): Sniffed {
  const type = contentType.toLowerCase().split(';')[0]!.trim();
  const ext = extensionOf(name);
  if (indexOfSignature(bytes, PDF, 1024)) return 'pdf';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5)) return 'zip';
  if (startsWith(bytes, CFB)) return 'cfb';
  if (startsWith(bytes, RTF)) return 'rtf';
  if (IMAGE_SIGNATURES.some((s) => startsWith(bytes, s) && (s.length > 2 || ext === 'bmp'))) return 'image';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image';
  if (startsWith(bytes, ascii('ftyp'), 4)) {
    const brand = String.fromCharCode(bytes[8] ?? 0, bytes[9] ?? 0, bytes[10] ?? 0, bytes[11] ?? 0);
    if (IMAGE_BRANDS.indexOf(brand) >= 0) return 'image';
  }
  if (type.indexOf('image/') === 0 || IMAGE_EXTENSIONS.indexOf(ext) >= 0) return 'image';
  if (!looksLikeText(bytes)) return 'binary';
  if (type === 'message/rfc822' || ext === 'eml' || ext === 'mht' || ext === 'mhtml') return 'eml';
  if (type === 'text/html' || type === 'application/xhtml+xml' || HTML_EXTENSIONS.indexOf(ext) >= 0)
    return 'html';
  if (type === 'text/csv' || type === 'application/csv' || ext === 'csv') return 'csv';
  if (type === 'text/rtf' || type === 'application/rtf' || ext === 'rtf') return 'rtf';
  if (type.indexOf('text/') === 0 || TEXT_EXTENSIONS.indexOf(ext) >= 0) return 'text';
  if (looksLikeMail(bytes)) return 'eml';
  if (looksLikeHtml(bytes)) return 'html';
  return 'text';
}

function indexOfSignature(bytes: Uint8Array, sig: readonly number[], within: number): boolean {
  const end = Math.min(bytes.length - sig.length, within);
  for (let i = 0; i <= end; i++) if (startsWith(bytes, sig, i)) return true;
  return false;
}

/** Text has no NUL bytes, unless it is UTF-16 (a BOM, or NULs in every other byte). */
function looksLikeText(bytes: Uint8Array): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return true;
  const n = Math.min(bytes.length, 4096);
  let nuls = 0;
  let controls = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) nuls++;
    else if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) controls++;
  }
  if (nuls === 0) return controls <= n / 100 + 1;
  // UTF-16 without a mark: about half the bytes are zeros.
  return nuls > n * 0.3 && nuls < n * 0.6;
}

function head(bytes: Uint8Array): string {
  let s = '';
  const n = Math.min(bytes.length, 1024);
  for (let i = 0; i < n; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

const MAIL_HEADER =
  /^(?:from|to|cc|subject|date|message-id|mime-version|content-type|received|return-path|delivered-to|x-[\w-]+)[ \t]*:/i;

function looksLikeMail(bytes: Uint8Array): boolean {
  const text = head(bytes);
  return MAIL_HEADER.test(text) && /\r?\n\r?\n/.test(text);
}

function looksLikeHtml(bytes: Uint8Array): boolean {
  return /^\s*<(?:!doctype\s+html|html|head|body)\b/i.test(
    head(bytes).replace(/^\uFEFF|^\u00ef\u00bb\u00bf/, ''),
  );
}
