/**
 * Message content as JWE (flattened JSON serialization): A256KW wraps a fresh
 * content key per message, A256GCM encrypts the content, and the caller's
 * binding (envelope and recipient ids) is the JWE AAD, so a JWE moved to
 * another row does not decrypt there.
 *
 * The kid sits in the per-recipient unprotected header, next to the wrapped
 * key it names. Rotation can then swap the wrapped key and the kid without
 * touching anything the GCM tag covers (protected header, AAD, ciphertext).
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import { FlattenedEncrypt, flattenedDecrypt, type FlattenedJWE } from 'jose';
import type { Keyring } from './keyring';

const ALG = 'A256KW';
const ENC = 'A256GCM';
/** RFC 3394's default initial value, the one A256KW uses. */
const KW_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');
const CEK_BYTES = 32;

export interface EncryptedContent {
  /** The flattened JWE, as JSON text. */
  jwe: string;
  /** The key id that wraps its content key (also in the JWE's unprotected header). */
  kid: string;
}

export type ContentCryptoErrorCode = 'MALFORMED' | 'UNSUPPORTED' | 'DECRYPT_FAILED';

export class ContentCryptoError extends Error {
  constructor(
    readonly code: ContentCryptoErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ContentCryptoError';
  }
}

/** Encrypts bytes as they are, or an object as JSON (marked `cty: json`), under the current key. */
export async function encryptContent(
  keyring: Keyring,
  plaintext: Uint8Array | object,
  aad: string,
): Promise<EncryptedContent> {
  requireAad(aad);
  const isBytes = plaintext instanceof Uint8Array;
  const bytes = isBytes ? plaintext : new TextEncoder().encode(JSON.stringify(plaintext));
  const { kid, key } = keyring.current();
  // jose draws a fresh content key and IV for every call.
  const jwe = await new FlattenedEncrypt(bytes)
    .setProtectedHeader(isBytes ? { alg: ALG, enc: ENC } : { alg: ALG, enc: ENC, cty: 'json' })
    .setUnprotectedHeader({ kid })
    .setAdditionalAuthenticatedData(new TextEncoder().encode(aad))
    .encrypt(key);
  return { jwe: JSON.stringify(jwe), kid };
}

/**
 * Decrypts with the key the JWE names. The expected AAD replaces the stored
 * one before decryption, so the GCM tag itself decides whether the binding
 * holds: a JWE from another envelope fails however its aad field was edited.
 */
export async function decryptContent(keyring: Keyring, jwe: string, aad: string): Promise<Uint8Array> {
  return (await open(keyring, jwe, aad)).plaintext;
}

/** Decrypts content that was encrypted from an object; the caller validates the shape. */
export async function decryptContentJson(keyring: Keyring, jwe: string, aad: string): Promise<unknown> {
  const { plaintext, protectedHeader } = await open(keyring, jwe, aad);
  if (protectedHeader?.cty !== 'json') throw new ContentCryptoError('UNSUPPORTED', 'the content is not JSON');
  return JSON.parse(new TextDecoder().decode(plaintext)) as unknown;
}

/** The kid a JWE names, without decrypting it. */
export function contentKid(jwe: string): string {
  return parseJwe(jwe).header.kid;
}

/**
 * Moves a JWE to another key: unwraps the content key with the key it names
 * and wraps it with `newKid`'s. Only `encrypted_key` and `header.kid` change;
 * the protected header, IV, ciphertext, tag and AAD stay byte for byte, so no
 * content is decrypted and the result decrypts exactly as before. A JWE that
 * is already under `newKid` comes back unchanged.
 */
export function rewrapContent(keyring: Keyring, jwe: string, newKid: string): string {
  const parsed = parseJwe(jwe);
  const oldKid = parsed.header.kid;
  if (oldKid === newKid) return jwe;
  const header = decodeProtected(parsed.protected);
  if (header.alg !== ALG || header.enc !== ENC) {
    throw new ContentCryptoError(
      'UNSUPPORTED',
      `cannot rewrap alg ${String(header.alg)} / enc ${String(header.enc)}`,
    );
  }
  const cek = unwrapKey(keyring.get(oldKid), Buffer.from(parsed.encrypted_key, 'base64url'), oldKid);
  try {
    const wrapped = wrapKey(keyring.get(newKid), cek);
    // Rebuilding from the parsed object keeps every other member as stored.
    const raw = JSON.parse(jwe) as Record<string, unknown>;
    raw.encrypted_key = wrapped.toString('base64url');
    raw.header = { ...parsed.header, kid: newKid };
    return JSON.stringify(raw);
  } finally {
    cek.fill(0);
  }
}

async function open(keyring: Keyring, jwe: string, aad: string) {
  requireAad(aad);
  const parsed = parseJwe(jwe);
  const key = keyring.get(parsed.header.kid);
  try {
    return await flattenedDecrypt({ ...parsed, aad: Buffer.from(aad, 'utf8').toString('base64url') }, key, {
      keyManagementAlgorithms: [ALG],
      contentEncryptionAlgorithms: [ENC],
    });
  } catch {
    // One message for every cause: which part failed is no business of whoever altered the data.
    throw new ContentCryptoError(
      'DECRYPT_FAILED',
      'the content does not decrypt (altered, or bound to another record)',
    );
  }
}

interface ParsedJwe extends FlattenedJWE {
  protected: string;
  encrypted_key: string;
  iv: string;
  ciphertext: string;
  tag: string;
  header: { kid: string };
}

function parseJwe(jwe: string): ParsedJwe {
  let raw: unknown;
  try {
    raw = JSON.parse(jwe);
  } catch {
    throw new ContentCryptoError('MALFORMED', 'the JWE is not JSON');
  }
  if (typeof raw !== 'object' || raw === null)
    throw new ContentCryptoError('MALFORMED', 'the JWE is not an object');
  const o = raw as Record<string, unknown>;
  for (const member of ['protected', 'encrypted_key', 'iv', 'ciphertext', 'tag'] as const) {
    if (typeof o[member] !== 'string')
      throw new ContentCryptoError('MALFORMED', `the JWE has no '${member}'`);
  }
  const header = o.header;
  if (
    typeof header !== 'object' ||
    header === null ||
    typeof (header as { kid?: unknown }).kid !== 'string'
  ) {
    throw new ContentCryptoError('MALFORMED', 'the JWE names no kid');
  }
  return o as unknown as ParsedJwe;
}

function decodeProtected(value: string): Record<string, unknown> {
  try {
    const header: unknown = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
    if (typeof header === 'object' && header !== null) return header as Record<string, unknown>;
  } catch {
    // Reported below.
  }
  throw new ContentCryptoError('MALFORMED', 'the JWE protected header is not a JSON object');
}

function requireAad(aad: string): void {
  // Content that is bound to nothing could be moved anywhere.
  if (aad === '')
    throw new ContentCryptoError('MALFORMED', 'the additional authenticated data must not be empty');
}

/** AES key wrap (RFC 3394), as A256KW does it. */
function wrapKey(kek: Uint8Array, cek: Uint8Array): Buffer {
  const cipher = createCipheriv('id-aes256-wrap', kek, KW_IV);
  return Buffer.concat([cipher.update(cek), cipher.final()]);
}

function unwrapKey(kek: Uint8Array, wrapped: Uint8Array, kid: string): Buffer {
  let cek: Buffer;
  try {
    const decipher = createDecipheriv('id-aes256-wrap', kek, KW_IV);
    cek = Buffer.concat([decipher.update(wrapped), decipher.final()]);
  } catch {
    throw new ContentCryptoError('DECRYPT_FAILED', `the content key does not unwrap with key '${kid}'`);
  }
  if (cek.length !== CEK_BYTES) {
    cek.fill(0);
    throw new ContentCryptoError('UNSUPPORTED', `the content key is ${cek.length} bytes, not ${CEK_BYTES}`);
  }
  return cek;
}
