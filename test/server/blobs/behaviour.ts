/**
 * What every blob store does, whatever it keeps blobs in: the cases each
 * store's test file runs against its own store, so the file store and the
 * S3 store cannot drift apart in what the rest of the server relies on.
 */
import { randomBytes } from 'node:crypto';
import { beforeEach, afterEach, describe, expect, it } from 'vitest';
import { BlobKeyError, BlobNotFoundError, type BlobStore } from '../../../src/server/blobs/blob-store';
import {
  decryptAttachmentStream,
  encryptAttachmentStream,
  newDataKey,
} from '../../../src/server/crypto/attachment-crypto';

export interface BlobStoreSubject {
  store: BlobStore;
  /** The bytes of everything the store keeps, as it keeps them (on disk, in the bucket). */
  held(): Promise<Buffer[]>;
  cleanup(): Promise<void>;
}

export async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of source) parts.push(p);
  return Buffer.concat(parts);
}

/** `data` as a stream of `piece`-byte chunks, each after a turn of the event loop, as a request body arrives. */
export async function* pieces(data: Uint8Array, piece = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < data.length; at += piece) {
    await Promise.resolve();
    yield data.subarray(at, Math.min(at + piece, data.length));
  }
}

/** The size of the largest attachment the server takes: more than one upload part on S3. */
export const LARGE_BLOB_BYTES = 25 * 1024 * 1024;

export function describeBlobStoreBehaviour(name: string, open: () => Promise<BlobStoreSubject>): void {
  describe(`${name}: what every blob store does`, () => {
    let subject: BlobStoreSubject;
    let store: BlobStore;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.cleanup();
    });

    it('stores, reads, replaces and deletes blobs', async () => {
      const data = Buffer.from('ciphertext bytes');
      expect(await store.put('abc123', data)).toBe(data.length);
      expect(await store.exists('abc123')).toBe(true);
      expect((await collect(store.get('abc123'))).equals(data)).toBe(true);

      expect(await store.put('abc123', Buffer.from('other'))).toBe(5);
      expect((await collect(store.get('abc123'))).toString()).toBe('other');

      await store.delete('abc123');
      expect(await store.exists('abc123')).toBe(false);
      await store.delete('abc123');
      await expect(collect(store.get('abc123'))).rejects.toBeInstanceOf(BlobNotFoundError);
    });

    it('takes a stream and reads large blobs back in pieces', async () => {
      const size = 300_000;
      async function* source() {
        for (let at = 0; at < size; at += 10_000) {
          await Promise.resolve();
          yield Buffer.alloc(Math.min(10_000, size - at), at / 10_000);
        }
      }
      expect(await store.put('big_one', source())).toBe(size);
      const read: Uint8Array[] = [];
      for await (const p of store.get('big_one')) read.push(p);
      expect(read.length).toBeGreaterThan(1);
      const back = Buffer.concat(read);
      expect(back.length).toBe(size);
      expect(back[0]).toBe(0);
      expect(back[size - 1]).toBe(29);
    });

    it('stores an empty blob, from bytes and from a stream', async () => {
      expect(await store.put('empty_bytes', new Uint8Array(0))).toBe(0);
      expect(await store.put('empty_stream', pieces(new Uint8Array(0)))).toBe(0);
      for (const key of ['empty_bytes', 'empty_stream']) {
        expect(await store.exists(key)).toBe(true);
        expect((await collect(store.get(key))).length).toBe(0);
      }
    });

    it('round-trips a 25 MB streamed blob byte for byte', async () => {
      const data = randomBytes(LARGE_BLOB_BYTES);
      expect(await store.put('large_blob', pieces(data))).toBe(data.length);
      const back = await collect(store.get('large_blob'));
      expect(back.length).toBe(data.length);
      expect(back.equals(data)).toBe(true);
      // From bytes in memory too (the other form put takes).
      expect(await store.put('large_blob', data)).toBe(data.length);
      expect((await collect(store.get('large_blob'))).equals(data)).toBe(true);
    }, 60_000);

    it('leaves no trace of a put whose source fails', async () => {
      async function* failing() {
        await Promise.resolve();
        yield Buffer.from('partial');
        throw new Error('client went away');
      }
      await expect(store.put('broken', failing())).rejects.toThrow('client went away');
      expect(await store.exists('broken')).toBe(false);
      expect(await subject.held()).toEqual([]);
    });

    it('keeps the earlier blob whole when a put that would replace it fails halfway', async () => {
      const earlier = Buffer.from('the earlier blob');
      await store.put('replaced', earlier);
      // Past two S3 parts before it fails: an upload under way must come to nothing.
      const half = randomBytes(12 * 1024 * 1024);
      async function* failing() {
        yield* pieces(half);
        throw new Error('client went away');
      }
      await expect(store.put('replaced', failing())).rejects.toThrow('client went away');
      expect((await collect(store.get('replaced'))).equals(earlier)).toBe(true);
      expect(await subject.held()).toEqual([earlier]);
    }, 60_000);

    it('reports a missing blob as BlobNotFoundError when read, as absent, and deletes it quietly', async () => {
      const reading = store.get('missing');
      await expect(collect(reading)).rejects.toBeInstanceOf(BlobNotFoundError);
      await expect(collect(store.get('missing'))).rejects.toThrow("no blob 'missing'");
      expect(await store.exists('missing')).toBe(false);
      await store.delete('missing');
    });

    it('stays usable after many readers that stopped early', async () => {
      await store.put('read_partly', randomBytes(2 * 1024 * 1024));
      // More than a connection pool holds: a reader that leaves must give its connection back.
      for (let i = 0; i < 60; i++) {
        for await (const chunk of store.get('read_partly')) {
          expect(chunk.length).toBeGreaterThan(0);
          break;
        }
      }
      expect((await collect(store.get('read_partly'))).length).toBe(2 * 1024 * 1024);
    }, 60_000);

    it.each([
      '../../etc/passwd',
      '..',
      'a/b',
      'a\\b',
      '/abs',
      'with.dot',
      'x',
      '',
      'nul\0byte',
      'spa ce',
      'é-accent',
      '%2e%2e',
      'a'.repeat(201),
    ])('rejects the key %j in every operation', async (key) => {
      expect(() => store.get(key)).toThrow(BlobKeyError);
      await expect(store.put(key, Buffer.from('x'))).rejects.toBeInstanceOf(BlobKeyError);
      await expect(store.exists(key)).rejects.toBeInstanceOf(BlobKeyError);
      await expect(store.delete(key)).rejects.toBeInstanceOf(BlobKeyError);
      expect(await subject.held()).toEqual([]);
    });

    it('holds no plaintext of an encrypted attachment', async () => {
      const secret = 'Patient Jane Roe, SSN 078-05-1120, DOB 04/12/1961, MRN 00123456. ';
      const plain = Buffer.from(secret.repeat(3000));
      const key = newDataKey();
      await store.put('att_known', encryptAttachmentStream(key, 'att_known', [plain]));

      const held = await subject.held();
      expect(held.length).toBe(1);
      for (const bytes of held) {
        for (const needle of ['078-05-1120', 'Jane Roe', '04/12/1961', '00123456', 'Patient']) {
          expect(bytes.includes(Buffer.from(needle))).toBe(false);
          expect(bytes.includes(Buffer.from(needle, 'utf16le'))).toBe(false);
        }
      }
      const back = await collect(decryptAttachmentStream(key, 'att_known', store.get('att_known')));
      expect(back.equals(plain)).toBe(true);
    });
  });
}
