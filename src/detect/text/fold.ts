/**
 * Folding of single code points for scanning: what a person sees as the same
 * character becomes the same character. Identifiers in real mail arrive with
 * non-breaking spaces, typographic dashes, full-width or other-script digits,
 * zero-width characters and soft hyphens (pasted from Word, or put there to
 * slip past a filter); after folding they look like plain ASCII again.
 */

/** Code points removed outright: invisible formatting and joiners. */
const DROPPED_RANGES: readonly (readonly [number, number])[] = [
  [0x00ad, 0x00ad], // soft hyphen
  [0x0300, 0x036f], // combining diacritics (strike-through and underline tricks)
  [0x034f, 0x034f],
  [0x061c, 0x061c],
  [0x115f, 0x1160],
  [0x17b4, 0x17b5],
  [0x180b, 0x180f],
  [0x1ab0, 0x1aff],
  [0x1dc0, 0x1dff],
  [0x200b, 0x200f], // zero-width space, joiners, direction marks
  [0x202a, 0x202e],
  [0x2060, 0x206f], // word joiner, invisible operators, isolates
  [0x20d0, 0x20ff],
  [0x3164, 0x3164],
  [0xfe00, 0xfe0f], // variation selectors
  [0xfe20, 0xfe2f],
  [0xfeff, 0xfeff], // byte order mark / zero-width no-break space
  [0xffa0, 0xffa0],
  [0xe0000, 0xe0fff], // tag characters, variation selectors supplement
];

const SPACES = [0x00a0, 0x1680, 0x202f, 0x205f, 0x3000];
const LINE_BREAKS = [0x0085, 0x2028, 0x2029];
const DASHES = [
  0x058a, 0x05be, 0x1806, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2043, 0x2212, 0x2e3a, 0x2e3b,
  0xfe58, 0xfe63, 0xff0d,
];
const SLASHES = [0x2044, 0x2215, 0x29f8];

/** Zero points of decimal digit blocks that Unicode normalisation leaves alone. */
const DIGIT_ZEROS = [
  0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0de6,
  0x0e50, 0x0ed0, 0x0f20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0xa620, 0xa8d0, 0xa900, 0xa9d0,
  0xaa50, 0xabf0,
];

/**
 * Cyrillic and Greek letters that render like Latin ones. Identifiers such as
 * DEA numbers and MBIs contain letters, and a look-alike letter is an easy way
 * to hide one from a naive filter.
 */
const LOOK_ALIKES: Readonly<Record<number, string>> = {
  0x0410: 'A', 0x0412: 'B', 0x0415: 'E', 0x041a: 'K', 0x041c: 'M', 0x041d: 'H', 0x041e: 'O',
  0x0420: 'P', 0x0421: 'C', 0x0422: 'T', 0x0423: 'Y', 0x0425: 'X', 0x0405: 'S', 0x0406: 'I',
  0x0408: 'J', 0x0430: 'a', 0x0435: 'e', 0x043e: 'o', 0x0440: 'p', 0x0441: 'c', 0x0443: 'y',
  0x0445: 'x', 0x0455: 's', 0x0456: 'i', 0x0458: 'j', 0x0391: 'A', 0x0392: 'B', 0x0395: 'E',
  0x0396: 'Z', 0x0397: 'H', 0x0399: 'I', 0x039a: 'K', 0x039c: 'M', 0x039d: 'N', 0x039f: 'O',
  0x03a1: 'P', 0x03a4: 'T', 0x03a5: 'Y', 0x03a7: 'X', 0x03bf: 'o',
}; // prettier-ignore

const cache = new Map<number, string>();

/**
 * What code point `cp` (not printable ASCII) becomes for scanning: '' when it
 * is dropped, otherwise one or more characters.
 */
export function foldCodePoint(cp: number): string {
  let folded = cache.get(cp);
  if (folded === undefined) {
    folded = computeFold(cp);
    // Mail is mostly one or two scripts, so the cache stays small; the cap
    // keeps a hostile input from growing it without bound.
    if (cache.size < 4096) cache.set(cp, folded);
  }
  return folded;
}

function computeFold(cp: number): string {
  if (cp < 0x20 || cp === 0x7f)
    return cp === 0x09 || cp === 0x0a || cp === 0x0d ? String.fromCharCode(cp) : ' ';
  if (cp < 0x7f) return String.fromCharCode(cp);
  const simple = foldSimple(cp);
  if (simple !== undefined) return simple;
  const normal = nfkc(String.fromCodePoint(cp));
  let out = '';
  for (let i = 0; i < normal.length; i++) {
    const c = normal.charCodeAt(i);
    const again = c < 0x80 ? undefined : foldSimple(c);
    out += again === undefined ? normal.charAt(i) : again;
  }
  return out;
}

function foldSimple(cp: number): string | undefined {
  for (const [lo, hi] of DROPPED_RANGES) if (cp >= lo && cp <= hi) return '';
  if ((cp >= 0x2000 && cp <= 0x200a) || SPACES.indexOf(cp) >= 0) return ' ';
  if (LINE_BREAKS.indexOf(cp) >= 0) return '\n';
  if (DASHES.indexOf(cp) >= 0) return '-';
  if (SLASHES.indexOf(cp) >= 0) return '/';
  const look = LOOK_ALIKES[cp];
  if (look !== undefined) return look;
  for (const zero of DIGIT_ZEROS)
    if (cp >= zero && cp <= zero + 9) return String.fromCharCode(0x30 + cp - zero);
  return undefined;
}

// Outlook's JavaScript-only runtime may lack String.prototype.normalize; without
// it, full-width digits are still folded by the table below.
const hasNormalize = typeof ''.normalize === 'function';

function nfkc(s: string): string {
  if (hasNormalize) return s.normalize('NFKC');
  const cp = s.charCodeAt(0);
  if (cp >= 0xff01 && cp <= 0xff5e) return String.fromCharCode(cp - 0xfee0);
  return s;
}
