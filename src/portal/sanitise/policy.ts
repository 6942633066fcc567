/**
 * The rules the message-body sanitiser applies to URLs and inline styles. Pure
 * (no DOM), so every rule is tested in Node; sanitise.ts applies them to the
 * DOM that DOMPurify leaves.
 */

/** Control characters and whitespace browsers ignore inside a URL scheme ("java\tscript:"). */
// eslint-disable-next-line no-control-regex -- these are exactly what must be stripped
const IGNORED_IN_URL = /[\u0000-\u0020\u007f-\u009f\u00ad\u200b-\u200f\u2028\u2029\ufeff]/g;

function parseAbsolute(value: string): URL | undefined {
  const compact = value.replace(IGNORED_IN_URL, '');
  if (compact === '') return undefined;
  try {
    // No base: a relative URL would resolve against the portal itself, so it is refused.
    return new URL(compact);
  } catch {
    return undefined;
  }
}

/** A link target a recipient may follow: absolute http(s), mailto or tel. */
export function isSafeLinkUrl(value: string): boolean {
  const url = parseAbsolute(value);
  if (url === undefined) return false;
  if (url.protocol === 'http:' || url.protocol === 'https:') return url.hostname !== '';
  return url.protocol === 'mailto:' || url.protocol === 'tel:';
}

/** An image fetched from elsewhere: loading it tells the sender the message was opened. */
export function isRemoteImageUrl(value: string): boolean {
  const url = parseAbsolute(value);
  return url !== undefined && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
}

/** An image carried in the message itself, in a raster format (SVG can carry script and links). */
export function isInlineImageUrl(value: string): boolean {
  return /^data:image\/(?:png|gif|jpeg|jpg|webp);base64,[\d+/=a-z]+$/i.test(value.replace(/\s/g, ''));
}

/** The link's target as the reader should see it, or undefined when the link text already shows it. */
export function linkTargetLabel(href: string, text: string): string | undefined {
  const url = parseAbsolute(href);
  if (url === undefined) return undefined;
  const shown =
    url.protocol === 'mailto:' || url.protocol === 'tel:'
      ? decodeSafely(url.href.slice(url.protocol.length).split('?')[0] ?? '')
      : url.href;
  const normalise = (s: string): string => s.trim().replace(/\/$/, '').toLowerCase();
  const visible = normalise(text);
  if (visible === normalise(shown) || visible === normalise(href)) return undefined;
  return shortenMiddle(shown, 90);
}

function decodeSafely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Keeps the start (scheme and host: what matters) and the end of a long string. */
export function shortenMiddle(value: string, max: number): string {
  if (value.length <= max) return value;
  const head = Math.ceil((max - 1) * 0.7);
  const tail = max - 1 - head;
  return `${value.slice(0, head)}…${value.slice(value.length - tail)}`;
}

/** Properties that shape text and boxes without moving them out of the message or fetching anything. */
const ALLOWED_PROPERTIES = new Set([
  'color',
  'background-color',
  'font',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'font-variant',
  'line-height',
  'letter-spacing',
  'word-spacing',
  'text-align',
  'text-decoration',
  'text-decoration-line',
  'text-indent',
  'text-transform',
  'vertical-align',
  'white-space',
  'word-break',
  'overflow-wrap',
  'direction',
  'margin',
  'margin-top',
  'margin-right',
  'margin-bottom',
  'margin-left',
  'padding',
  'padding-top',
  'padding-right',
  'padding-bottom',
  'padding-left',
  'border',
  'border-top',
  'border-right',
  'border-bottom',
  'border-left',
  'border-color',
  'border-style',
  'border-width',
  'border-radius',
  'border-collapse',
  'border-spacing',
  'width',
  'min-width',
  'max-width',
  'height',
  'min-height',
  'max-height',
  'list-style-type',
  'float',
  'clear',
  'table-layout',
]);

/** Value characters a harmless declaration needs; no backslash (CSS escapes), no `@`, `<`, `>`, `;`, `{`, `}`. */
const SAFE_VALUE = /^[\w\s#%,.()'"!+\-/]*$/;
/** Functions and words that fetch, run code or escape the message's box. */
const UNSAFE_VALUE =
  /url\s*\(|image-set|image\s*\(|expression|javascript|vbscript|-moz-binding|behavior|\/\*|var\s*\(|attr\s*\(|env\s*\(/i;

/** Keeps the declarations of an inline `style` that are on the allow-list and fetch nothing. */
export function cleanStyle(style: string): string {
  const kept: string[] = [];
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon === -1) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration.slice(colon + 1).trim();
    if (!ALLOWED_PROPERTIES.has(property) || value === '') continue;
    if (!SAFE_VALUE.test(value) || UNSAFE_VALUE.test(value)) continue;
    // Unbalanced quotes mean the split cut through a string: the rest cannot be trusted.
    if ((value.match(/"/g)?.length ?? 0) % 2 === 1 || (value.match(/'/g)?.length ?? 0) % 2 === 1) continue;
    kept.push(`${property}: ${value}`);
  }
  return kept.join('; ');
}
