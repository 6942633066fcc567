import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../../src/server/blobs/blob-store';
import { decryptAttachmentStream, unwrapDataKey } from '../../../src/server/crypto/attachment-crypto';
import { attachmentMetaAad, envelopeOwner, portalMessageOwner } from '../../../src/server/crypto/bindings';
import { decryptContentJson } from '../../../src/server/crypto/content-crypto';
import { loadOrCreateKeyring, type Keyring } from '../../../src/server/crypto/keyring';
import { discardAttachments, storeAttachments } from '../../../src/server/envelopes/attachments';

/** Blobs in memory; `failOn` makes the nth put fail, as a full disk would. */
function memoryBlobs(failOn?: number): BlobStore & { blobs: Map<string, Buffer> } {
  const blobs = new Map<string, Buffer>();
  let puts = 0;
  return {
    blobs,
    async put(key, data) {
      puts += 1;
      if (puts === failOn) throw new Error('disk full');
      const parts: Uint8Array[] = [];
      if (data instanceof Uint8Array) parts.push(data);
      else for await (const p of data) parts.push(p);
      const b = Buffer.concat(parts);
      blobs.set(key, b);
      return b.length;
    },
    async *get(key) {
      const b = blobs.get(key);
      if (b === undefined) throw new Error('missing');
      yield await Promise.resolve(b);
    },
    async delete(key) {
      blobs.delete(key);
      return Promise.resolve();
    },
    async exists(key) {
      return Promise.resolve(blobs.has(key));
    },
  };
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of source) parts.push(p);
  return Buffer.concat(parts);
}

const files = [
  { name: 'a.txt', contentType: 'text/plain', contentBase64: Buffer.from('first').toString('base64') },
  { name: 'b.pdf', contentType: 'application/pdf', contentBase64: Buffer.from('second!').toString('base64') },
];

describe('attachment store', () => {
  let dir: string;
  let keyring: Keyring;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'se-store-'));
    keyring = await loadOrCreateKeyring(dir, {});
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores ciphertext only, in order, with metadata and a wrap bound to the owner', async () => {
    const blobs = memoryBlobs();
    const owner = envelopeOwner('env-1');
    const rows = await storeAttachments({ keyring, blobs }, owner, files, { envelopeId: 'env-1' });
    expect(rows.map((r) => [r.position, r.size])).toEqual([
      [0, 5],
      [1, 7],
    ]);
    for (const [i, row] of rows.entries()) {
      const blob = blobs.blobs.get(row.blob_key)!;
      expect(blob.includes(Buffer.from(i === 0 ? 'first' : 'second!'))).toBe(false);
      const key = await unwrapDataKey(keyring, row.wrapped_key, row.id, owner);
      expect((await collect(decryptAttachmentStream(key, row.id, [blob]))).toString()).toBe(
        i === 0 ? 'first' : 'second!',
      );
      expect(await decryptContentJson(keyring, row.meta_jwe, attachmentMetaAad(row.id))).toEqual({
        name: files[i]!.name,
        contentType: files[i]!.contentType,
        envelopeId: 'env-1',
      });
      await expect(
        unwrapDataKey(keyring, row.wrapped_key, row.id, portalMessageOwner('env-1')),
      ).rejects.toThrow();
    }
  });

  it('adds nothing to the metadata unless asked', async () => {
    const [row] = await storeAttachments({ keyring, blobs: memoryBlobs() }, portalMessageOwner('m-1'), [
      files[0]!,
    ]);
    expect(await decryptContentJson(keyring, row!.meta_jwe, attachmentMetaAad(row!.id))).toEqual({
      name: 'a.txt',
      contentType: 'text/plain',
    });
  });

  it('leaves no blob behind when a later one fails to store', async () => {
    const blobs = memoryBlobs(2);
    await expect(storeAttachments({ keyring, blobs }, envelopeOwner('env-2'), files)).rejects.toThrow(
      'disk full',
    );
    expect(blobs.blobs.size).toBe(0);
  });

  it('discards stored blobs', async () => {
    const blobs = memoryBlobs();
    const rows = await storeAttachments({ keyring, blobs }, envelopeOwner('env-3'), files);
    await discardAttachments({ blobs }, rows);
    expect(blobs.blobs.size).toBe(0);
  });
});
