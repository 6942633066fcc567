import type { Config } from '../config';
import type { BlobStore } from './blob-store';
import { FsBlobStore } from './fs-blob-store';

export type { BlobStore } from './blob-store';

/** The blob store the configuration names: files under the data folder unless told otherwise. */
export function createBlobStore(config: Config): BlobStore {
  return new FsBlobStore(config.dataDir);
}
