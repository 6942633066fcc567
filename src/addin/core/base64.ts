/**
 * Base64 to text without atob or TextDecoder, which the JavaScript-only
 * runtime may lack: attachments arrive as base64 and the engine scans text.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function base64ToBytes(b64: string): number[] {
  const clean = b64.replace(/[^\d+/a-z]/gi, '');
  const bytes: number[] = [];
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < clean.length; i++) {
    buffer = (buffer << 6) | ALPHABET.indexOf(clean.charAt(i));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return bytes;
}

/** UTF-8 bytes to a string; malformed sequences become U+FFFD. */
export function utf8Decode(bytes: readonly number[]): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i++]!;
    let cp: number;
    let need: number;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      continue;
    } else if (b >= 0xc2 && b < 0xe0) {
      cp = b & 0x1f;
      need = 1;
    } else if (b >= 0xe0 && b < 0xf0) {
      cp = b & 0x0f;
      need = 2;
    } else if (b >= 0xf0 && b < 0xf5) {
      cp = b & 0x07;
      need = 3;
    } else {
      out += '\ufffd';
      continue;
    }
    let ok = true;
    for (let k = 0; k < need; k++) {
      const next = bytes[i];
      if (next === undefined || (next & 0xc0) !== 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (next & 0x3f);
      i++;
    }
    out += ok ? String.fromCodePoint(cp) : '\ufffd';
  }
  return out;
}

const LOOKUP = ((): Int16Array => {
  const table = new Int16Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();

/** Base64 to bytes in one typed array: attachments of megabytes decode in milliseconds. */
export function base64ToUint8Array(b64: string): Uint8Array {
  const out = new Uint8Array(Math.floor((b64.length * 3) / 4) + 3);
  let n = 0;
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < b64.length; i++) {
    const c = b64.charCodeAt(i);
    const v = c < 128 ? LOOKUP[c]! : -1;
    // Padding, line breaks and anything else outside the alphabet are skipped.
    if (v < 0) continue;
    buffer = ((buffer << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (buffer >> bits) & 0xff;
    }
  }
  return out.subarray(0, n);
}

export function base64ToText(b64: string): string {
  return utf8Decode(base64ToBytes(b64));
}
