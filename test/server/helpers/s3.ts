/**
 * A real S3-protocol server for blob tests: s3rver (an npm package, pure
 * JavaScript) on a free loopback port, keeping its objects in a temporary
 * folder, with the buckets the test names. The tests talk to it over HTTP
 * with the real AWS SDK, signatures and all, as the server does to S3.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type ListObjectsV2CommandOutput,
} from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import type { S3BlobStoreOptions } from '../../../src/server/blobs/s3-blob-store';

/** The one account s3rver knows. */
export const S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } as const;
export const S3_BUCKET = 'secure-envelope-test';

export interface TestS3 {
  /** http://127.0.0.1:<port> */
  endpoint: string;
  bucket: string;
  /** Options for an S3BlobStore on this server, its keys under `prefix`. */
  options(prefix?: string, bucket?: string): S3BlobStoreOptions;
  /** The `blobs` section of a config file for this server. */
  configSection(prefix?: string): Record<string, unknown>;
  /** Every object key under `prefix`, sorted, read through the S3 API. */
  keys(prefix?: string): Promise<string[]>;
  /** An object's bytes as S3 holds them. */
  read(key: string): Promise<Buffer>;
  /**
   * Parts the server has received for multipart uploads not completed (yet),
   * counted in its own folder: s3rver does not list uploads in progress.
   */
  pendingParts(): number;
  close(): Promise<void>;
}

export async function startTestS3(buckets: readonly string[] = [S3_BUCKET]): Promise<TestS3> {
  const directory = mkdtempSync(join(tmpdir(), 'se-s3-'));
  const server = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  let address;
  try {
    address = await server.run();
  } catch (e) {
    rmSync(directory, { recursive: true, force: true });
    throw e;
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  const bucket = buckets[0] ?? S3_BUCKET;
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: S3_CREDENTIALS,
  });
  return {
    endpoint,
    bucket,
    options: (prefix = '', name = bucket) => ({
      endpoint,
      bucket: name,
      region: 'us-east-1',
      prefix,
      forcePathStyle: true,
      credentials: { ...S3_CREDENTIALS },
    }),
    configSection: (prefix = '') => ({
      kind: 's3',
      s3: { endpoint, bucket, prefix, forcePathStyle: true, ...S3_CREDENTIALS },
    }),
    async keys(prefix = '') {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const page: ListObjectsV2CommandOutput = await client.send(
          new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
        token = page.NextContinuationToken;
      } while (token !== undefined);
      return keys.sort();
    },
    async read(key) {
      const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await out.Body!.transformToByteArray());
    },
    pendingParts() {
      const uploads = join(directory, bucket, '._S3rver_uploads');
      if (!existsSync(uploads)) return 0;
      let parts = 0;
      for (const upload of readdirSync(uploads)) {
        try {
          parts += readdirSync(join(uploads, upload)).filter((f) => /^\d+$/.test(f)).length;
        } catch {
          // Completed while we looked: its parts are an object now.
        }
      }
      return parts;
    },
    async close() {
      client.destroy();
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
