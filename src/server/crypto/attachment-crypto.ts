/**
 * Attachments: chunked AES-256-GCM, so a large file streams through a fixed
 * amount of memory in both directions, under a random data key per
 * attachment that is itself wrapped with jose like message content.
 *
 * Layout: a 12-byte header (magic "SEA", version 1, 8-byte random nonce
 * prefix), then chunks of up to 64 KiB plaintext, each stored as ciphertext
 * followed by its 16-byte tag. Chunk i uses the nonce prefix || uint32be(i).
 * Each chunk's AAD binds the header, the attachment id, the chunk index and
 * whether it is the last chunk, so dropping chunks from the end, adding
 * chunks, reordering them or moving them between attachments all fail.
 *
 * The streaming decryptor hands out a chunk's plaintext once that chunk's tag
 * checks, before later chunks are read: a consumer must treat an error in the
 * stream as "the file is invalid", not as "the file ended".
 *
 * The data key's wrap binds the attachment id and its owner (the envelope, or
 * the recipient's message, it belongs to), like message bodies bind theirs: a
 * row moved to another envelope in the database no longer unwraps there.
 * Wraps made before owners were bound name only the attachment; they are told
 * apart by the version tag at the start of the stored AAD, which the GCM tag
 * covers, so neither kind can pass for the other.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring';
import { decryptContent, encryptContent, type EncryptedContent } from './content-crypto';
import {
  BindingError,
  BOUND_DATA_KEY_AAD,
  dataKeyAad as bindingAad,
  ownerInDataKeyAad,
  type AttachmentOwner,
} from './bindings';

export const CHUNK_SIZE = 64 * 1024;
const TAG_BYTES = 16;
const KEY_BYTES = 32;
const PREFIX_BYTES = 8;
const MAGIC = Buffer.from('SEA\x01', 'latin1');
const HEADER_BYTES = MAGIC.length + PREFIX_BYTES;
const MAX_CHUNKS = 2 ** 32;

export class AttachmentCryptoError extends Error {
  readonly code = 'ATTACHMENT_DECRYPT_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'AttachmentCryptoError';
  }
}

/** A fresh 256-bit data key for one attachment. */
export function newDataKey(): Uint8Array {
  return new Uint8Array(randomBytes(KEY_BYTES));
}

/** The stored size of an attachment of `plainSize` bytes. */
export function encryptedSize(plainSize: number): number {
  const chunks = Math.max(1, Math.ceil(plainSize / CHUNK_SIZE));
  return HEADER_BYTES + plainSize + chunks * TAG_BYTES;
}

/** Encrypts a stream of any chunking; yields the header, then one sealed chunk at a time. */
export async function* encryptAttachmentStream(
  dataKey: Uint8Array,
  attachmentId: string,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  checkKey(dataKey);
  const header = Buffer.concat([MAGIC, randomBytes(PREFIX_BYTES)]);
  yield header;
  let pending = Buffer.alloc(0);
  let index = 0;
  for await (const piece of source) {
    pending = pending.length === 0 ? Buffer.from(piece) : Buffer.concat([pending, piece]);
    // Strictly more than a chunk: whatever is left at the end is the final chunk, even if it is full.
    while (pending.length > CHUNK_SIZE) {
      yield seal(dataKey, header, attachmentId, index++, false, pending.subarray(0, CHUNK_SIZE));
      pending = pending.subarray(CHUNK_SIZE);
    }
  }
  // An empty attachment still has one (empty) final chunk, so "nothing" is authenticated too.
  yield seal(dataKey, header, attachmentId, index, true, pending);
}

/** Decrypts what encryptAttachmentStream produced; throws AttachmentCryptoError on any alteration. */
export async function* decryptAttachmentStream(
  dataKey: Uint8Array,
  attachmentId: string,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<Uint8Array> {
  checkKey(dataKey);
  const sealedChunk = CHUNK_SIZE + TAG_BYTES;
  let pending = Buffer.alloc(0);
  let header: Buffer | undefined;
  let index = 0;
  for await (const piece of source) {
    pending = pending.length === 0 ? Buffer.from(piece) : Buffer.concat([pending, piece]);
    if (header === undefined) {
      if (pending.length < HEADER_BYTES) continue;
      header = readHeader(pending);
      pending = pending.subarray(HEADER_BYTES);
    }
    // Only a chunk that has bytes after it is known not to be the last.
    while (pending.length > sealedChunk) {
      yield open(dataKey, header, attachmentId, index++, false, pending.subarray(0, sealedChunk));
      pending = pending.subarray(sealedChunk);
    }
  }
  if (header === undefined) throw new AttachmentCryptoError('the attachment is truncated (no header)');
  if (pending.length < TAG_BYTES) throw new AttachmentCryptoError('the attachment is truncated');
  yield open(dataKey, header, attachmentId, index, true, pending);
}

/** Buffer form of encryptAttachmentStream. */
export async function encryptAttachment(
  dataKey: Uint8Array,
  attachmentId: string,
  plaintext: Uint8Array,
): Promise<Uint8Array> {
  return collect(encryptAttachmentStream(dataKey, attachmentId, [plaintext]));
}

/** Buffer form of decryptAttachmentStream. */
export async function decryptAttachment(
  dataKey: Uint8Array,
  attachmentId: string,
  sealed: Uint8Array,
): Promise<Uint8Array> {
  return collect(decryptAttachmentStream(dataKey, attachmentId, [sealed]));
}

/**
 * Wraps a data key as a JWE (A256KW, kid unprotected) bound to its
 * attachment and, when given, its owner, so `rewrapContent` rotates it like
 * message content. Every new attachment names its owner; without one the
 * wrap is bound to the attachment alone, as wraps were before.
 */
export async function wrapDataKey(
  keyring: Keyring,
  dataKey: Uint8Array,
  attachmentId: string,
  owner?: AttachmentOwner,
): Promise<EncryptedContent> {
  checkKey(dataKey);
  return encryptContent(keyring, dataKey, dataKeyAad(attachmentId, owner));
}

/**
 * Unwraps a data key for `attachmentId` as stored for `owner`. A wrap bound
 * to an owner opens only for that owner; one bound to the attachment alone
 * (made before owners were) opens for any, so the caller checks its owner
 * another way (see `dataKeyIsBound`). Throws ContentCryptoError
 * (`DECRYPT_FAILED`) when the wrap does not open.
 */
export async function unwrapDataKey(
  keyring: Keyring,
  jwe: string,
  attachmentId: string,
  owner?: AttachmentOwner,
): Promise<Uint8Array> {
  const bound = dataKeyIsBound(jwe);
  if (bound && owner === undefined) {
    throw new AttachmentCryptoError('the attachment key is bound to its owner: name the owner to unwrap it');
  }
  const key = await decryptContent(keyring, jwe, dataKeyAad(attachmentId, bound ? owner : undefined));
  checkKey(key);
  return key;
}

/**
 * Whether a stored wrap is bound to an owner. Read from the stored AAD, which
 * is not trusted here: if it was edited, the wrap then fails to open, since
 * the AAD it was sealed with is what the tag checks.
 */
export function dataKeyIsBound(jwe: string): boolean {
  return storedAad(jwe)?.startsWith(BOUND_DATA_KEY_AAD) === true;
}

/**
 * The owner a stored wrap says it is bound to, unauthenticated: for saying why
 * a wrap did not open ("bound to another envelope"), never for deciding access.
 */
export function claimedOwner(jwe: string): string | undefined {
  const aad = storedAad(jwe);
  return aad === undefined ? undefined : ownerInDataKeyAad(aad);
}

function storedAad(jwe: string): string | undefined {
  try {
    const aad = (JSON.parse(jwe) as { aad?: unknown }).aad;
    return typeof aad === 'string' ? Buffer.from(aad, 'base64url').toString('utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** The wrap's binding (owned by ./bindings), its refusals reported as this module's errors. */
function dataKeyAad(attachmentId: string, owner: AttachmentOwner | undefined): string {
  try {
    return bindingAad(attachmentId, owner);
  } catch (e) {
    if (e instanceof BindingError) throw new AttachmentCryptoError(e.message);
    throw e;
  }
}

function checkKey(key: Uint8Array): void {
  if (key.length !== KEY_BYTES) throw new AttachmentCryptoError(`a data key is ${KEY_BYTES} bytes`);
}

function readHeader(data: Buffer): Buffer {
  const header = Buffer.from(data.subarray(0, HEADER_BYTES));
  if (!header.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new AttachmentCryptoError('not an encrypted attachment (unknown header)');
  }
  return header;
}

function nonce(header: Buffer, index: number): Buffer {
  const iv = Buffer.alloc(PREFIX_BYTES + 4);
  header.copy(iv, 0, MAGIC.length, HEADER_BYTES);
  iv.writeUInt32BE(index, PREFIX_BYTES);
  return iv;
}

function chunkAad(header: Buffer, attachmentId: string, index: number, final: boolean): Buffer {
  const id = Buffer.from(attachmentId, 'utf8');
  // Lengths and fixed widths keep the encoding unambiguous for any id.
  const fixed = Buffer.alloc(4 + 4 + 1);
  fixed.writeUInt32BE(id.length, 0);
  fixed.writeUInt32BE(index, 4);
  fixed.writeUInt8(final ? 1 : 0, 8);
  return Buffer.concat([header, fixed.subarray(0, 4), id, fixed.subarray(4)]);
}

function seal(
  key: Uint8Array,
  header: Buffer,
  attachmentId: string,
  index: number,
  final: boolean,
  plaintext: Uint8Array,
): Buffer {
  if (index >= MAX_CHUNKS) throw new AttachmentCryptoError('the attachment is too large to encrypt');
  const cipher = createCipheriv('aes-256-gcm', key, nonce(header, index), { authTagLength: TAG_BYTES });
  cipher.setAAD(chunkAad(header, attachmentId, index, final));
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function open(
  key: Uint8Array,
  header: Buffer,
  attachmentId: string,
  index: number,
  final: boolean,
  sealed: Buffer,
): Buffer {
  if (index >= MAX_CHUNKS) throw new AttachmentCryptoError('the attachment has too many chunks');
  const body = sealed.subarray(0, sealed.length - TAG_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce(header, index), { authTagLength: TAG_BYTES });
    decipher.setAAD(chunkAad(header, attachmentId, index, final));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    throw new AttachmentCryptoError(
      `chunk ${index} of the attachment does not decrypt (altered, moved or cut short)`,
    );
  }
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of chunks) parts.push(chunk);
  return Buffer.concat(parts);
}
