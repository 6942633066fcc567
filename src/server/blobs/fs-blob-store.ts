/**
 * The embedded blob store: one file a blob under `<dataDir>/blobs/<2-char
 * shard>/<key>`. The shard keeps folders small; keys are checked before they
 * touch a path, so no key can name a file outside the store.
 *
 * A blob appears whole or not at all: it is written to a temporary file in
 * the same folder, synced, renamed into place, and the folder synced. Files
 * are 0600 and folders 0700, as everything under the data folder.
 *
 * Keys are case-sensitive; on a case-insensitive file system two keys that
 * differ only in case would share a file, which random ids make vanishingly
 * unlikely but callers must not rely on case to tell keys apart.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { assertBlobKey, BlobNotFoundError, type BlobStore } from './blob-store';

const READ_SIZE = 64 * 1024;

export class FsBlobStore implements BlobStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = join(dataDir, 'blobs');
  }

  async put(key: string, data: AsyncIterable<Uint8Array> | Uint8Array): Promise<number> {
    const { folder, file } = this.locate(key);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    // Dot-prefixed and suffixed, so a temporary file can never be taken for a blob (keys have no dots).
    const temp = join(folder, `.${key}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temp, 'wx', 0o600);
    let bytes = 0;
    try {
      try {
        for await (const chunk of data instanceof Uint8Array ? [data] : data) {
          await handle.write(chunk);
          bytes += chunk.length;
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temp, file);
    } catch (e) {
      await unlink(temp).catch(() => undefined);
      throw e;
    }
    await syncFolder(folder);
    return bytes;
  }

  get(key: string): AsyncIterable<Uint8Array> {
    // Checked now, not on first read: a bad key is the caller's bug and should surface at the call.
    const { file } = this.locate(key);
    return readFile(key, file);
  }

  async delete(key: string): Promise<void> {
    const { folder, file } = this.locate(key);
    try {
      await unlink(file);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    await syncFolder(folder);
  }

  async exists(key: string): Promise<boolean> {
    const { file } = this.locate(key);
    try {
      return (await stat(file)).isFile();
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  private locate(key: string): { folder: string; file: string } {
    assertBlobKey(key);
    const folder = join(this.root, key.slice(0, 2));
    return { folder, file: join(folder, key) };
  }
}

async function* readFile(key: string, file: string): AsyncGenerator<Uint8Array> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    if (isNotFound(e)) throw new BlobNotFoundError(key);
    throw e;
  }
  try {
    for (;;) {
      const buffer = Buffer.allocUnsafe(READ_SIZE);
      const { bytesRead } = await handle.read(buffer, 0, READ_SIZE, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

/** Makes a rename or unlink durable: the folder entry is what changed. */
async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isNotFound(e: unknown): boolean {
  return e instanceof Error && 'code' in e && e.code === 'ENOENT';
}
