import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BlobKeyError, BlobNotFoundError } from '../../../src/server/blobs/blob-store';
import { FsBlobStore } from '../../../src/server/blobs/fs-blob-store';
import {
  decryptAttachmentStream,
  encryptAttachmentStream,
  newDataKey,
} from '../../../src/server/crypto/attachment-crypto';

let dataDir: string;
let store: FsBlobStore;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'se-blobs-'));
  store = new FsBlobStore(dataDir);
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of source) parts.push(p);
  return Buffer.concat(parts);
}

/** Every file under a folder, recursively. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(folder, e.name)) : [join(folder, e.name)],
  );
}

const posix = process.platform !== 'win32';

describe('FsBlobStore', () => {
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
    const pieces: Uint8Array[] = [];
    for await (const p of store.get('big_one')) pieces.push(p);
    expect(pieces.length).toBeGreaterThan(1);
    expect(Buffer.concat(pieces).length).toBe(size);
  });

  it('shards into 2-character folders; files 0600, folders 0700; no temp files left', async () => {
    await store.put('xyzzy', Buffer.from('x'));
    const file = join(dataDir, 'blobs', 'xy', 'xyzzy');
    expect(readFileSync(file, 'utf8')).toBe('x');
    expect(filesUnder(join(dataDir, 'blobs'))).toEqual([file]);
    if (posix) {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(statSync(join(dataDir, 'blobs', 'xy')).mode & 0o777).toBe(0o700);
      expect(statSync(join(dataDir, 'blobs')).mode & 0o777).toBe(0o700);
    }
  });

  it('leaves no trace of a put whose source fails', async () => {
    async function* failing() {
      await Promise.resolve();
      yield Buffer.from('partial');
      throw new Error('client went away');
    }
    await expect(store.put('broken', failing())).rejects.toThrow('client went away');
    expect(await store.exists('broken')).toBe(false);
    expect(filesUnder(join(dataDir, 'blobs'))).toEqual([]);
  });

  it('reports a missing blob as BlobNotFoundError when read', async () => {
    await expect(collect(store.get('missing'))).rejects.toBeInstanceOf(BlobNotFoundError);
  });

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
  });

  it('holds no plaintext of an encrypted attachment', async () => {
    const secret = 'Patient Jane Roe, SSN 078-05-1120, DOB 04/12/1961, MRN 00123456. ';
    const plain = Buffer.from(secret.repeat(3000));
    const key = newDataKey();
    await store.put('att_known', encryptAttachmentStream(key, 'att_known', [plain]));

    for (const file of filesUnder(join(dataDir, 'blobs'))) {
      const bytes = readFileSync(file);
      for (const needle of ['078-05-1120', 'Jane Roe', '04/12/1961', '00123456', 'Patient']) {
        expect(bytes.includes(Buffer.from(needle))).toBe(false);
        expect(bytes.includes(Buffer.from(needle, 'utf16le'))).toBe(false);
      }
    }
    const back = await collect(decryptAttachmentStream(key, 'att_known', store.get('att_known')));
    expect(back.equals(plain)).toBe(true);
  });
});
