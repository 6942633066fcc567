import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../src/server/config';
import { checkBlobStore, createBlobStore, openBlobStore } from '../../../src/server/blobs/index';
import { FsBlobStore } from '../../../src/server/blobs/fs-blob-store';
import { S3BlobStore } from '../../../src/server/blobs/s3-blob-store';
import { startTestS3, S3_CREDENTIALS, type TestS3 } from '../helpers/s3';
import { collect, describeBlobStoreBehaviour, pieces } from './behaviour';

// The SDK's credential chain ends at the cloud's instance-metadata address: tests never reach off this machine.
process.env.AWS_EC2_METADATA_DISABLED = 'true';

let s3: TestS3;
beforeAll(async () => {
  s3 = await startTestS3();
});
afterAll(async () => {
  await s3.close();
});

let prefixes = 0;
/** A prefix of its own for each test: what it finds under it, it put there. */
const freshPrefix = () => `t${++prefixes}-${Date.now()}/`;

describeBlobStoreBehaviour('S3BlobStore', () => {
  const prefix = freshPrefix();
  const store = new S3BlobStore(s3.options(prefix));
  return Promise.resolve({
    store,
    async held() {
      const keys = await s3.keys(prefix);
      return Promise.all(keys.map((key) => s3.read(key)));
    },
    cleanup: () => store.close(),
  });
});

describe('S3BlobStore in its bucket', () => {
  const stores: S3BlobStore[] = [];
  /** A store on the test server, closed after the test. */
  function storeAt(prefix: string, bucket?: string): S3BlobStore {
    const store = new S3BlobStore(s3.options(prefix, bucket));
    stores.push(store);
    return store;
  }
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  it('keeps each blob as one object under the prefix, and nothing else', async () => {
    const prefix = freshPrefix();
    const store = storeAt(`${prefix}attachments/`);
    await store.put('abc123', Buffer.from('one'));
    await store.put('def456', pieces(Buffer.alloc(100_000, 7)));
    expect(await s3.keys(prefix)).toEqual([`${prefix}attachments/abc123`, `${prefix}attachments/def456`]);
    expect((await s3.read(`${prefix}attachments/abc123`)).toString()).toBe('one');
    // Another prefix is another store: it sees none of these.
    const other = storeAt(`${prefix}other/`);
    expect(await other.exists('abc123')).toBe(false);
    await expect(collect(other.get('abc123'))).rejects.toThrow("no blob 'abc123'");
  });

  it('sends a large blob in parts while its source is still being read', async () => {
    const store = storeAt(freshPrefix());
    const before = s3.pendingParts();
    const data = randomBytes(25 * 1024 * 1024);
    let read = 0;
    // The source waits, 15 MB in, until a part has reached S3: a store that
    // gathered the whole blob before sending any of it would never finish.
    async function* gated() {
      for await (const chunk of pieces(data)) {
        read += chunk.length;
        if (read === 15 * 1024 * 1024) {
          const deadline = Date.now() + 20_000;
          while (s3.pendingParts() === before) {
            if (Date.now() > deadline) throw new Error('no part reached S3 with 15 MB read');
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
        yield chunk;
      }
    }
    expect(await store.put('streamed', gated())).toBe(data.length);
    expect((await collect(store.get('streamed'))).equals(data)).toBe(true);
  }, 60_000);

  it('shares blobs between two stores on one bucket, as two server instances do', async () => {
    const prefix = freshPrefix();
    const a = storeAt(prefix);
    const b = storeAt(prefix);
    const fromA = randomBytes(300_000);
    const fromB = randomBytes(7 * 1024 * 1024);
    await a.put('from_a', pieces(fromA));
    await b.put('from_b', pieces(fromB));
    expect((await collect(b.get('from_a'))).equals(fromA)).toBe(true);
    expect((await collect(a.get('from_b'))).equals(fromB)).toBe(true);
    expect(await b.exists('from_a')).toBe(true);
    // What one replaces or deletes, the other sees at once.
    await b.put('from_a', Buffer.from('replaced by b'));
    expect((await collect(a.get('from_a'))).toString()).toBe('replaced by b');
    await a.delete('from_b');
    expect(await b.exists('from_b')).toBe(false);
    await expect(collect(b.get('from_b'))).rejects.toThrow("no blob 'from_b'");
  }, 60_000);

  it('passes the start check on a bucket that is there', async () => {
    await expect(storeAt('').check()).resolves.toBeUndefined();
    await expect(checkBlobStore(storeAt(''))).resolves.toBeUndefined();
  });

  it('fails the start check on a wrong bucket, naming the bucket and the setting', async () => {
    const store = storeAt('', 'no-such-bucket');
    const failure = store.check();
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(
      /blobs\.s3\.bucket: S3 bucket 'no-such-bucket' at http:\/\/127\.0\.0\.1:\d+ does not exist/,
    );
    await expect(checkBlobStore(store)).rejects.toThrow("'no-such-bucket'");
  });

  it('fails the start check on an endpoint where nothing answers, naming the endpoint', async () => {
    const port = await closedPort();
    const store = new S3BlobStore({ ...s3.options(''), endpoint: `http://127.0.0.1:${port}` });
    stores.push(store);
    await expect(store.check()).rejects.toThrow(
      new RegExp(
        `blobs\\.s3\\.endpoint: cannot reach S3 bucket '${s3.bucket}' at http://127\\.0\\.0\\.1:${port}`,
      ),
    );
  });

  it('fails the start check on credentials the service refuses, without showing them', async () => {
    const store = new S3BlobStore({
      ...s3.options(''),
      credentials: { accessKeyId: 'AKIAWRONGWRONGWRONG1', secretAccessKey: 'very-secret-value-1234' },
    });
    stores.push(store);
    const message = await store.check().then(
      () => '',
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    expect(message).toMatch(
      /^invalid configuration: blobs\.s3: S3 bucket '.+' at .+ refused these credentials \(403\)/,
    );
    expect(message).not.toContain('AKIAWRONG');
    expect(message).not.toContain('very-secret');
  });
});

describe('the configured store', () => {
  afterEach(() => {
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
  });

  it('is the file store unless the configuration says s3', () => {
    const config = loadConfig({ DATA_DIR: '/tmp/se-unused' }, '');
    expect(config.blobs).toEqual({ kind: 'fs' });
    expect(createBlobStore(config)).toBeInstanceOf(FsBlobStore);
  });

  it('is an S3 store, checked, from environment variables and the SDK credentials chain', async () => {
    // Credentials come from the SDK's own chain here (the environment), not from the configuration.
    process.env.AWS_ACCESS_KEY_ID = S3_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = S3_CREDENTIALS.secretAccessKey;
    const prefix = freshPrefix();
    const config = loadConfig(
      {
        DATA_DIR: '/tmp/se-unused',
        BLOB_STORE: 's3',
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: s3.bucket,
        S3_PREFIX: prefix,
        S3_FORCE_PATH_STYLE: 'true',
      },
      '',
    );
    const store = await openBlobStore(config);
    if (!(store instanceof S3BlobStore)) throw new Error('not the S3 store');
    try {
      await store.put('via_config', Buffer.from('x'));
      expect(await s3.keys(prefix)).toEqual([`${prefix}via_config`]);
    } finally {
      await store.close();
    }
  });

  it('does not start without credentials, saying where they come from', async () => {
    const config = loadConfig(
      { DATA_DIR: '/tmp/se-unused', BLOB_STORE: 's3', S3_ENDPOINT: s3.endpoint, S3_BUCKET: s3.bucket },
      '',
    );
    await expect(openBlobStore(config)).rejects.toThrow(
      /invalid configuration: blobs\.s3\.accessKeyId: no credentials for S3 bucket .* set AWS_ACCESS_KEY_ID/,
    );
  });

  it('does not start on a wrong bucket', async () => {
    process.env.AWS_ACCESS_KEY_ID = S3_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = S3_CREDENTIALS.secretAccessKey;
    const config = loadConfig(
      {
        DATA_DIR: '/tmp/se-unused',
        BLOB_STORE: 's3',
        S3_ENDPOINT: s3.endpoint,
        S3_BUCKET: 'wrong-bucket-name',
        S3_FORCE_PATH_STYLE: '1',
      },
      '',
    );
    await expect(openBlobStore(config)).rejects.toThrow(
      /invalid configuration: blobs\.s3\.bucket: S3 bucket 'wrong-bucket-name' .* does not exist/,
    );
  });
});

/** A loopback port that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}
