import type { Config } from '../config';
import type { BlobStore } from './blob-store';
import { FsBlobStore } from './fs-blob-store';
import { S3BlobStore } from './s3-blob-store';

export type { BlobStore } from './blob-store';

/** The blob store the configuration names: files under the data folder unless told otherwise. */
export function createBlobStore(config: Config): BlobStore {
  const { kind, s3 } = config.blobs;
  if (kind === 'fs') return new FsBlobStore(config.dataDir);
  // The config loader refuses kind "s3" without its section; this guards callers that build a Config by hand.
  if (s3 === undefined) throw new Error('blobs.kind is "s3" but blobs.s3 is not set');
  return new S3BlobStore({
    bucket: s3.bucket,
    region: s3.region,
    endpoint: s3.endpoint,
    prefix: s3.prefix,
    forcePathStyle: s3.forcePathStyle,
    credentials:
      s3.accessKeyId !== undefined && s3.secretAccessKey !== undefined
        ? { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey }
        : undefined,
  });
}

/**
 * Confirms once, at start, that the store can be used: a wrong bucket,
 * endpoint, region or credentials is a ConfigError naming the setting, before
 * the server takes a request. The file store has nothing to ask (its folder
 * is made on first write, as the rest of the data folder is).
 */
export async function checkBlobStore(store: BlobStore): Promise<void> {
  if (store instanceof S3BlobStore) await store.check();
}

/** The configured store, checked: what a starting server uses. */
export async function openBlobStore(config: Config): Promise<BlobStore> {
  const store = createBlobStore(config);
  await checkBlobStore(store);
  return store;
}
