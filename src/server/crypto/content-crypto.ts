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
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { flattenedDecrypt, type FlattenedJWE } from 'jose';
import type { Keyring } from './keyring';

const ALG = 'A256KW';
const ENC = 'A256GCM';
/** RFC 3394's default initial value, the one A256KW uses. */
const KW_IV = Buffer.from('A6A6A6A6A6A6A6A6', 'hex');
const CEK_BYTES = 32;
/** A256GCM's IV: 96 bits (RFC 7518 §5.3). */
const GCM_IV_BYTES = 12;

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

/**
 * Encrypts bytes as they are, or an object as JSON (marked `cty: json`), under
 * the current key: a fresh content key and IV for every call.
 *
 * The JWE is assembled here with node:crypto, following RFC 7516 §5.1 step
 * by step, rather than by jose's FlattenedEncrypt: jose goes through WebCrypto,
 * whose per-call key imports and thread-pool round trips cost about five times
 * the encryption itself, four times per envelope. Every JWE is still read by
 * jose (`flattenedDecrypt` below), so a deviation from the standard could not
 * go unnoticed, and the tests check that jose-made JWEs decrypt here too.
 */
export function encryptContent(
  keyring: Keyring,
  plaintext: Uint8Array | object,
  aad: string,
): Promise<EncryptedContent> {
  // Synchronous inside; callers still get every failure as a rejection.
  try {
    return Promise.resolve(sealContent(keyring, plaintext, aad));
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

function sealContent(keyring: Keyring, plaintext: Uint8Array | object, aad: string): EncryptedContent {
  requireAad(aad);
  const isBytes = plaintext instanceof Uint8Array;
  const bytes = isBytes ? plaintext : Buffer.from(JSON.stringify(plaintext), 'utf8');
  const { kid, key } = keyring.current();
  const cek = randomBytes(CEK_BYTES);
  try {
    const header = isBytes ? { alg: ALG, enc: ENC } : { alg: ALG, enc: ENC, cty: 'json' };
    const protectedHeader = Buffer.from(JSON.stringify(header), 'utf8').toString('base64url');
    const aadB64 = Buffer.from(aad, 'utf8').toString('base64url');
    const iv = randomBytes(GCM_IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', cek, iv);
    // RFC 7516 §5.1 step 14: the GCM AAD is the protected header, a period and the JWE AAD.
    cipher.setAAD(Buffer.from(`${protectedHeader}.${aadB64}`, 'ascii'));
    const ciphertext = Buffer.concat([cipher.update(bytes), cipher.final()]);
    const jwe = {
      protected: protectedHeader,
      header: { kid },
      encrypted_key: wrapKey(key, cek).toString('base64url'),
      iv: iv.toString('base64url'),
      ciphertext: ciphertext.toString('base64url'),
      tag: cipher.getAuthTag().toString('base64url'),
      aad: aadB64,
    };
    return { jwe: JSON.stringify(jwe), kid };
  } finally {
    cek.fill(0);
  }
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
