import type { Config } from '../config';
import type { Store } from '../store/db';
import { memoryCache, storeCache } from './cache';
import { createChecker, type TlsChecker } from './checker';

export type { CheckOptions, TlsChecker, TlsCheckerStats } from './checker';

/**
 * Recipient-domain TLS verdicts, shared by the API and the CLI. With a store,
 * verdicts, MX evidence, MTA-STS policies and probe leases are shared by every
 * instance on it; without one (the CLI) they live in this process only.
 */
export function createTlsChecker(config: Config, store: Store | undefined): TlsChecker {
  return createChecker({
    tls: config.tlsCheck,
    policy: config.policy,
    ehloName: ehloNameOf(config.publicUrl),
    cache: store === undefined ? memoryCache() : storeCache(store),
  });
}

/** We introduce ourselves in EHLO with the host name the service is known by. */
function ehloNameOf(publicUrl: string): string {
  try {
    const host = new URL(publicUrl).hostname;
    return /^[a-z0-9.-]+$/i.test(host) && host.includes('.') ? host : 'secure-envelope.invalid';
  } catch {
    return 'secure-envelope.invalid';
  }
}
