/**
 * Where attachment ciphertext lives. The embedded store keeps files under the
 * data folder; a store at scale (S3) implements the same four operations.
 * A blob store only ever receives ciphertext: it is not trusted with content.
 */
export interface BlobStore {
  /** Stores the bytes under `key`, replacing any earlier blob whole; resolves to the byte count. */
  put(key: string, data: AsyncIterable<Uint8Array> | Uint8Array): Promise<number>;
  /** The blob's bytes; iterating a missing blob throws BlobNotFoundError. */
  get(key: string): AsyncIterable<Uint8Array>;
  /** Removes the blob; removing a missing blob is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

/** A key that no store accepts: only letters, digits, '_' and '-', 2 to 200 of them. */
export class BlobKeyError extends Error {
  readonly code = 'BLOB_KEY_INVALID';
  constructor(key: string) {
    // The key is echoed only by length: it came from outside and may be anything.
    super(`invalid blob key (${key.length} characters): use 2-200 of [A-Za-z0-9_-]`);
    this.name = 'BlobKeyError';
  }
}

export class BlobNotFoundError extends Error {
  readonly code = 'BLOB_NOT_FOUND';
  constructor(key: string) {
    super(`no blob '${key}'`);
    this.name = 'BlobNotFoundError';
  }
}

const KEY_PATTERN = /^[\w-]{2,200}$/;

/** Throws BlobKeyError unless the key is safe as a file name and an object key everywhere. */
export function assertBlobKey(key: string): void {
  if (!KEY_PATTERN.test(key)) throw new BlobKeyError(key);
}
