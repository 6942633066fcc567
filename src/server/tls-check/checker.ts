import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { createSecureContext, rootCertificates } from 'node:tls';
import type { TlsLevel } from '../../shared/org-policy';
import type { TlsVerdict } from '../../shared/tls-verdict';
import type { StoredVerdict, TlsCache } from './cache';
import type { TlsCheckConfig } from './config';
import { createMailDns } from './dns';
import { awaitOtherHolder, withLease } from './lease';
import { ProbeBudget, Semaphore } from './limits';
import { interimVerdict } from './outcomes';
import { createProber } from './probe';
import { RecentVerdicts } from './recent-verdicts';
import { SingleFlight } from './single-flight';
import { readPolicy } from './verdict';

/**
 * The checker: answers from the cache when it can, otherwise probes (one
 * probe per domain at a time, across instances through a lease in the store)
 * and answers within the deadline, with `unknown` for what has not finished
 * while the probe goes on and caches its result.
 *
 * Its parts each do one thing: recent-verdicts.ts (this instance's memory),
 * cache.ts (the shared store), single-flight.ts (one probe per key here),
 * lease.ts (one probe per domain across instances), probe.ts (MX and MTA-STS),
 * outcomes.ts (answers that are not findings). This file decides which runs when.
 */

export interface CheckOptions {
  /** Who asks, for the per-client probe budget (the API passes the sender's id; the CLI nobody). */
  client?: string;
  /** Wait for probes to finish instead of answering at the deadline (the CLI does). */
  wait?: boolean;
  /** Probe again even when a cached verdict holds (MTA-STS policies stay cached by id). */
  fresh?: boolean;
}

export interface TlsCheckerStats {
  /** Probes started by this instance. */
  probesStarted: number;
  /** Requests that joined a probe already running for their domain. */
  probesJoined: number;
  /** The most probes of one domain that ran at the same time (must stay 1). */
  maxConcurrentPerDomain: number;
  /** The most probes that ran at the same time, over all domains. */
  maxConcurrentProbes: number;
  memoryHits: number;
  storeHits: number;
  rateLimited: number;
  /** Domains answered `unknown` at the deadline while their probe went on. */
  pending: number;
}

export interface TlsChecker {
  /** Verdicts for domains already in ASCII form (see normalizeMailDomain), in order. */
  check(domains: string[], options?: CheckOptions): Promise<TlsVerdict[]>;
  stats(): TlsCheckerStats;
  /** Forgets what this instance remembers in memory (the shared cache is untouched). */
  clearMemory(): void;
  close(): Promise<void>;
}

export interface CheckerSettings {
  tls: TlsCheckConfig;
  policy: { tlsMinimum: TlsLevel; alwaysSecure: string[]; knownGood: string[] };
  /** The name given in EHLO. */
  ehloName: string;
  cache: TlsCache;
}

export function createChecker(settings: CheckerSettings): TlsChecker {
  const cfg = settings.tls;
  const cache = settings.cache;
  // One context with the trusted roots, built once: parsing ~150 root
  // certificates for every connection would cost more than the handshake.
  const roots = [...rootCertificates, ...(cfg.extraCaFile !== undefined ? readPems(cfg.extraCaFile) : [])];
  const closing = new AbortController();
  // Every running probe listens for close(): many at once is normal here.
  setMaxListeners(0, closing.signal);
  const prober = createProber({
    cfg,
    dns: createMailDns({ servers: cfg.dnsServers, timeoutMs: cfg.dnsTimeoutMs }),
    cache,
    ehloName: settings.ehloName,
    trust: createSecureContext({ ca: roots, minVersion: 'TLSv1.2' }),
    // The SMTP probe measures what a server offers, old protocols included: TLS
    // below 1.2 is reported (and counts as opportunistic), not hidden as a failure.
    probeTrust: createSecureContext({ ca: roots, minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' }),
    closing: closing.signal,
  });
  const holder = randomBytes(12).toString('base64url');
  const budget = new ProbeBudget(cfg.clientProbesPerMinute, cfg.globalProbesPerMinute);
  const slots = new Semaphore(cfg.maxConcurrentProbes);
  // A function, not a property read, so checks after an await are not narrowed away.
  const isClosed = (): boolean => closing.signal.aborted;
  const memory = new RecentVerdicts(cfg.memoryTtlSeconds);
  const domainProbes = new SingleFlight<StoredVerdict>();
  const running = new Map<string, number>();
  const background = new Set<Promise<unknown>>();
  const stats: TlsCheckerStats = {
    probesStarted: 0,
    probesJoined: 0,
    maxConcurrentPerDomain: 0,
    maxConcurrentProbes: 0,
    memoryHits: 0,
    storeHits: 0,
    rateLimited: 0,
    pending: 0,
  };
  let active = 0;

  const iso = (ms: number): string => new Date(ms).toISOString();

  /** Probes the domain holding its lease, counted and limited in time; null when another instance holds it. */
  async function probeHere(domain: string, fresh: boolean, leaseMs: number): Promise<StoredVerdict | null> {
    if (isClosed()) throw new Error('the TLS checker is closed');
    return withLease(cache, { domain, holder, leaseMs, keep: () => !isClosed() }, async () => {
      const controller = new AbortController();
      const onClose = (): void => {
        controller.abort();
      };
      closing.signal.addEventListener('abort', onClose);
      const limit = setTimeout(() => {
        controller.abort();
      }, cfg.probeTimeoutMs);
      stats.probesStarted++;
      const concurrent = (running.get(domain) ?? 0) + 1;
      running.set(domain, concurrent);
      stats.maxConcurrentPerDomain = Math.max(stats.maxConcurrentPerDomain, concurrent);
      active++;
      stats.maxConcurrentProbes = Math.max(stats.maxConcurrentProbes, active);
      try {
        const result = await prober.probeDomain(domain, fresh, controller.signal);
        if (!isClosed()) {
          await cache.putVerdict(result);
          memory.remember(result);
        }
        return result;
      } finally {
        active--;
        const left = running.get(domain)! - 1;
        if (left === 0) running.delete(domain);
        else running.set(domain, left);
        clearTimeout(limit);
        closing.signal.removeEventListener('abort', onClose);
      }
    });
  }

  /** Runs the domain's probe here, or waits for the instance holding its lease. */
  function startProbe(domain: string, fresh: boolean, wait: boolean): Promise<StoredVerdict> {
    const leaseMs = cfg.probeTimeoutMs + 5000;
    const { work } = domainProbes.run(domain, async () => {
      // The slot comes first: time spent queueing counts neither against the
      // probe's time limit nor against its lease.
      const verdict = await slots.run(() => probeHere(domain, fresh, leaseMs));
      if (verdict !== null) return verdict;
      // Another instance holds the lease: its verdict will appear in the shared cache.
      const other = await awaitOtherHolder(cache, domain, wait ? leaseMs : cfg.deadlineMs, closing.signal);
      return other ?? interimVerdict(domain, 'unknown', 'pending');
    });
    const tracked = work
      .catch(() => undefined)
      .finally(() => {
        background.delete(tracked);
      });
    background.add(tracked);
    return work;
  }

  function failed(domain: string, e: unknown): StoredVerdict {
    return interimVerdict(
      domain,
      'unknown',
      'mx-error',
      `the check failed: ${e instanceof Error ? e.message : 'error'}`,
    );
  }

  async function checkOne(
    domain: string,
    stored: StoredVerdict | undefined,
    options: CheckOptions,
    deadline: number,
  ): Promise<StoredVerdict> {
    if (stored !== undefined) return { ...stored, detail: { ...stored.detail, cached: true } };
    let probe = domainProbes.get(domain);
    if (probe !== undefined) {
      stats.probesJoined++;
    } else {
      if (!budget.take(options.client ?? 'local')) {
        stats.rateLimited++;
        return interimVerdict(domain, 'unknown', 'rate-limited');
      }
      probe = startProbe(domain, options.fresh === true, options.wait === true);
    }
    if (options.wait === true) {
      return probe.catch((e: unknown) => failed(domain, e));
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<StoredVerdict>((resolve) => {
      timer = setTimeout(
        () => {
          stats.pending++;
          resolve(interimVerdict(domain, 'unknown', 'pending'));
        },
        Math.max(0, deadline - Date.now()),
      );
    });
    try {
      return await Promise.race([probe, late]);
    } catch (e) {
      // A failing store or an aborted probe is an unknown, never a verdict about the domain.
      return failed(domain, e);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async check(domains, options = {}) {
      if (closing.signal.aborted) throw new Error('the TLS checker is closed');
      const deadline = Date.now() + cfg.deadlineMs;
      const now = Date.now();
      const found = new Map<string, StoredVerdict>();
      if (options.fresh !== true) {
        const misses: string[] = [];
        for (const d of new Set(domains)) {
          const hit = memory.get(d, now);
          if (hit !== undefined) {
            stats.memoryHits++;
            found.set(d, hit);
          } else {
            misses.push(d);
          }
        }
        // A store that cannot be read is a cache miss: the probes still answer,
        // as unknown if the store stays out of reach (see checkOne).
        const shared =
          misses.length === 0
            ? new Map<string, StoredVerdict>()
            : await cache.verdicts(misses, iso(now)).catch(() => new Map<string, StoredVerdict>());
        for (const [d, v] of shared) {
          stats.storeHits++;
          memory.remember(v);
          found.set(d, v);
        }
      }
      const unique = [...new Set(domains)];
      const answers = new Map<string, StoredVerdict>();
      await Promise.all(
        unique.map(async (d) => {
          answers.set(d, await checkOne(d, found.get(d), options, deadline));
        }),
      );
      return domains.map((d) => {
        const v = answers.get(d)!;
        return { ...v, policy: readPolicy(d, v.level, settings.policy) };
      });
    },
    stats: () => ({ ...stats }),
    clearMemory() {
      memory.clear();
    },
    async close() {
      closing.abort();
      await Promise.allSettled([...background]);
    },
  };
}

/** The certificates of a PEM bundle file. */
function readPems(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const pems = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (pems.length === 0) throw new Error(`${file} holds no PEM certificate`);
  return pems;
}
