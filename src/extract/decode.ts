/**
 * Bytes to text without relying on TextDecoder, which Outlook's
 * JavaScript-only runtime may lack (it is used when present, for speed).
 * Unlabelled text that is not valid UTF-8 is taken as Windows-1252, the
 * superset of Latin-1 that Windows tools write.
 */

declare const TextDecoder:
  (new (label?: string, options?: { fatal?: boolean }) => { decode(bytes: Uint8Array): string }) | undefined;

/** Windows-1252 0x80-0x9F; undefined bytes stay as the C1 control of the same number. */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

const CHUNK = 8192;

export function decodeCp1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    const end = Math.min(bytes.length, i + CHUNK);
    const codes: number[] = [];
    for (let k = i; k < end; k++) {
      const b = bytes[k]!;
      codes.push(b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b);
    }
    out += String.fromCharCode.apply(null, codes);
  }
  return out;
}

/** Strict UTF-8: returns null at the first malformed sequence. */
export function decodeUtf8Strict(bytes: Uint8Array, start = 0): string | null {
  if (typeof TextDecoder !== 'undefined') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start));
    } catch {
      return null;
    }
  }
  let out = '';
  let codes: number[] = [];
  let i = start;
  while (i < bytes.length) {
    const b = bytes[i++]!;
    let cp: number;
    let need: number;
    let min: number;
    if (b < 0x80) {
      codes.push(b);
    } else {
      if (b >= 0xc2 && b < 0xe0) {
        cp = b & 0x1f;
        need = 1;
        min = 0x80;
      } else if (b >= 0xe0 && b < 0xf0) {
        cp = b & 0x0f;
        need = 2;
        min = 0x800;
      } else if (b >= 0xf0 && b < 0xf5) {
        cp = b & 0x07;
        need = 3;
        min = 0x10000;
      } else {
        return null;
      }
      for (let k = 0; k < need; k++) {
        const next = bytes[i++];
        if (next === undefined || (next & 0xc0) !== 0x80) return null;
        cp = (cp << 6) | (next & 0x3f);
      }
      if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return null;
      if (cp >= 0x10000) {
        cp -= 0x10000;
        codes.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
      } else {
        codes.push(cp);
      }
    }
    if (codes.length >= CHUNK) {
      out += String.fromCharCode.apply(null, codes);
      codes = [];
    }
  }
  return out + String.fromCharCode.apply(null, codes);
}

export function decodeUtf16(bytes: Uint8Array, littleEndian: boolean, start = 0): string {
  let out = '';
  let codes: number[] = [];
  for (let i = start; i + 1 < bytes.length; i += 2) {
    codes.push(littleEndian ? bytes[i]! | (bytes[i + 1]! << 8) : (bytes[i]! << 8) | bytes[i + 1]!);
    if (codes.length >= CHUNK) {
      out += String.fromCharCode.apply(null, codes);
      codes = [];
    }
  }
  return out + String.fromCharCode.apply(null, codes);
}

/**
 * Text of unknown encoding: a byte order mark decides; otherwise UTF-16
 * without a mark is recognised by its zero bytes, then UTF-8 if valid, else
 * Windows-1252.
 */
export function decodeText(bytes: Uint8Array, charset?: string): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return decodeUtf8Strict(bytes, 3) ?? decodeCp1252(bytes.subarray(3));
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes, true, 2);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes, false, 2);
  const label = (charset ?? '').toLowerCase();
  if (label === 'utf-16le' || label === 'utf-16') return decodeUtf16(bytes, true);
  if (label === 'utf-16be') return decodeUtf16(bytes, false);
  const unmarked = unmarkedUtf16(bytes);
  if (unmarked !== null) return decodeUtf16(bytes, unmarked);
  return decodeUtf8Strict(bytes) ?? decodeCp1252(bytes);
}

/** Little-endian (true), big-endian (false) or not UTF-16 (null), from where ASCII's zero bytes fall. */
function unmarkedUtf16(bytes: Uint8Array): boolean | null {
  const n = Math.min(bytes.length, 512) & ~1;
  if (n < 4) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  if (oddZeros > pairs * 0.6 && evenZeros < pairs * 0.1) return true;
  if (evenZeros > pairs * 0.6 && oddZeros < pairs * 0.1) return false;
  return null;
}

/** The bytes as one character each, for searching binary formats with string methods. */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  for (let i = start; i < end; i += CHUNK) {
    out += String.fromCharCode.apply(null, Array.prototype.slice.call(bytes, i, Math.min(end, i + CHUNK)));
  }
  return out;
}
