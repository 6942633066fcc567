import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../../src/server/blobs/fs-blob-store';
import { describeBlobStoreBehaviour } from './behaviour';

/** Every file under a folder, recursively. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(folder, e.name)) : [join(folder, e.name)],
  );
}

describeBlobStoreBehaviour('FsBlobStore', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'se-blobs-'));
  const root = join(dataDir, 'blobs');
  return Promise.resolve({
    store: new FsBlobStore(dataDir),
    // Temporary files count: whatever is on disk is what the store holds.
    held: () => Promise.resolve(existsSync(root) ? filesUnder(root).map((file) => readFileSync(file)) : []),
    cleanup() {
      rmSync(dataDir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
});

const posix = process.platform !== 'win32';

describe('FsBlobStore on disk', () => {
  let dataDir: string;
  let store: FsBlobStore;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'se-blobs-'));
    store = new FsBlobStore(dataDir);
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
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
});
