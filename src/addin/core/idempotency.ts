/**
 * The Idempotency-Key of an envelope: the compose session's random id plus a
 * digest of exactly what is sent. A retried send of the same draft repeats
 * the key, so the server answers with the envelope it already made; an
 * edited draft gets a new key. Pure JavaScript: the classic Outlook runtime
 * has no WebCrypto to lean on, and the key needs no secrecy, only stability.
 */

/** FNV-1a over UTF-16 code units, 32 bits, from a given offset basis. */
function fnv1a(text: string, basis: number): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

function hex8(n: number): string {
  return ('00000000' + n.toString(16)).slice(-8);
}

/** A 64-bit digest as 16 hex digits (two FNV-1a passes with different bases). */
export function digest(text: string): string {
  return hex8(fnv1a(text, 0x811c9dc5)) + hex8(fnv1a(text, 0x050c5d1f));
}

/** 128 random bits as hex: WebCrypto when the runtime has it, Math.random otherwise. */
export function randomId(): string {
  const c: Crypto | undefined = typeof crypto === 'object' ? crypto : undefined;
  if (c !== undefined && typeof c.getRandomValues === 'function') {
    const bytes = c.getRandomValues(new Uint8Array(16));
    let out = '';
    for (let i = 0; i < bytes.length; i++) out += ('0' + bytes[i]!.toString(16)).slice(-2);
    return out;
  }
  let out = '';
  for (let i = 0; i < 4; i++) out += hex8(Math.floor(Math.random() * 0x100000000));
  return out;
}

export function idempotencyKey(composeId: string, payload: string): string {
  return `se-${composeId}-${digest(payload)}`;
}
