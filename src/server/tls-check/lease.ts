import type { StoredVerdict, TlsCache } from './cache';

/**
 * The cross-instance probe lease: one instance of a fleet probes a domain at
 * a time; the others wait for its verdict in the shared cache.
 */

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * Runs `work` holding the domain's lease for `leaseMs`, or answers null at
 * once when another holder has it. The lease is released when the work ends,
 * unless `keep()` says not to touch the store any more (the checker closed).
 */
export async function withLease<T>(
  cache: Pick<TlsCache, 'acquireLease' | 'releaseLease'>,
  lease: { domain: string; holder: string; leaseMs: number; keep?: () => boolean },
  work: () => Promise<T>,
): Promise<T | null> {
  const now = Date.now();
  if (!(await cache.acquireLease(lease.domain, lease.holder, iso(now + lease.leaseMs), iso(now))))
    return null;
  try {
    return await work();
  } finally {
    if (lease.keep?.() !== false) await cache.releaseLease(lease.domain, lease.holder).catch(() => undefined);
  }
}

/**
 * Polls the shared cache for the verdict another instance is probing, for up
 * to `maxMs` or until `signal` aborts. Undefined when none appeared in time.
 */
export async function awaitOtherHolder(
  cache: Pick<TlsCache, 'verdicts'>,
  domain: string,
  maxMs: number,
  signal: AbortSignal,
  pollMs = 50,
): Promise<StoredVerdict | undefined> {
  const until = Date.now() + maxMs;
  while (Date.now() < until && !signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const found = (await cache.verdicts([domain], iso(Date.now()))).get(domain);
    if (found !== undefined) return found;
  }
  return undefined;
}
