import type { Config } from '../config';
import type { Store } from '../store/db';

/** Recipient-domain TLS verdicts, shared by the API and the CLI. */
export interface TlsChecker {
  close(): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- filled in with its feature
export function createTlsChecker(_config: Config, _store: Store): TlsChecker {
  return { close: () => Promise.resolve() };
}
