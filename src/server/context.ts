import type { OrgPolicy } from '../shared/org-policy';
import type { SenderVerifier } from './auth/sender-auth';
import type { DevIssuer } from './dev/dev-issuer';
import type { BlobStore } from './blobs/blob-store';
import type { Config } from './config';
import type { Keyring } from './crypto/keyring';
import type { MailCatcher } from './dev/mail-catcher';
import type { Redis } from 'ioredis';
import type { Store } from './store/db';
import type { TlsChecker } from './tls-check/index';

/** Everything a request handler needs, built once at start-up. */
export interface ServerContext {
  config: Config;
  store: Store;
  keyring: Keyring;
  blobs: BlobStore;
  verifier: SenderVerifier;
  policy: OrgPolicy;
  tlsChecker: TlsChecker;
  /** Shared by every instance of the server when REDIS_URL is set: rate limits. */
  redis?: Redis | undefined;
  /** Development only: the built-in token issuer. */
  devIssuer?: DevIssuer | undefined;
  /** Development only: the mail catcher that takes every notice. */
  catcher?: MailCatcher | undefined;
  /** True once the server is stopping: health answers 503 so load balancers send no more. */
  draining?: () => boolean;
}
