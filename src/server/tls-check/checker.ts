import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { createSecureContext, rootCertificates } from 'node:tls';
import type { TlsLevel } from '../../shared/org-policy';
import {
  normalizeMailDomain,
  type MtaStsEvidence,
  type MxEvidence,
  type TlsVerdict,
  type TlsVerdictReason,
} from '../../shared/tls-verdict';
import { refuseAddress } from './address-guard';
import type { CachedPolicy, StoredVerdict, TlsCache } from './cache';
import type { TlsCheckConfig } from './config';
import { createMailDns, type MailDns } from './dns';
import {
  evidenceOf,
  fetchPolicyText,
  noPolicy,
  parsePolicy,
  parseStsTxt,
  type MtaStsPolicy,
} from './mta-sts';
import { ProbeBudget, Semaphore } from './limits';
import { probeMx } from './smtp-probe';
import { combineMx, expiryOf, readPolicy } from './verdict';

/**
 * The checker: answers from the cache when it can, otherwise probes (one
 * probe per domain at a time, across instances through a lease in the store)
 * and answers within the deadline, with `unknown` for what has not finished
 * while the probe goes on and caches its result.
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

const MEMORY_MAX_ENTRIES = 50_000;

const REASON_TEXT: Partial<Record<TlsVerdictReason, string>> = {
  'dns-failure': 'the DNS lookup failed, which says nothing about TLS: ',
  'null-mx': 'the domain publishes a null MX (RFC 7505): it takes no mail',
  'no-such-domain': 'the domain does not exist',
  'no-mail-host': 'the domain has neither MX nor address records: it takes no mail',
  pending: 'the check did not finish in time; it goes on, ask again in a few seconds',
  'rate-limited': 'too many new checks right now; ask again in a minute',
};

export function createChecker(settings: CheckerSettings): TlsChecker {
  const cfg = settings.tls;
  const cache = settings.cache;
  const dns: MailDns = createMailDns({ servers: cfg.dnsServers, timeoutMs: cfg.dnsTimeoutMs });
  // One context with the trusted roots, built once: parsing ~150 root
  // certificates for every connection would cost more than the handshake.
  const roots = [...rootCertificates, ...(cfg.extraCaFile !== undefined ? readPems(cfg.extraCaFile) : [])];
  const trust = createSecureContext({ ca: roots, minVersion: 'TLSv1.2' });
  // The SMTP probe measures what a server offers, old protocols included: TLS
  // below 1.2 is reported (and counts as opportunistic), not hidden as a failure.
  const probeTrust = createSecureContext({ ca: roots, minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' });
  const holder = randomBytes(12).toString('base64url');
  const budget = new ProbeBudget(cfg.clientProbesPerMinute, cfg.globalProbesPerMinute);
  const slots = new Semaphore(cfg.maxConcurrentProbes);
  const closing = new AbortController();
  // Every running probe listens for close(): many at once is normal here.
  setMaxListeners(0, closing.signal);
  // A function, not a property read, so checks after an await are not narrowed away.
  const isClosed = (): boolean => closing.signal.aborted;
  const memory = new Map<string, { verdict: StoredVerdict; until: number }>();
  const domainProbes = new Map<string, Promise<StoredVerdict>>();
  const hostProbes = new Map<string, Promise<{ evidence: MxEvidence; until: number }>>();
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

  function remember(verdict: StoredVerdict): void {
    if (cfg.memoryTtlSeconds === 0) return;
    const until = Math.min(Date.parse(verdict.expiresAt), Date.now() + cfg.memoryTtlSeconds * 1000);
    memory.delete(verdict.domain);
    if (memory.size >= MEMORY_MAX_ENTRIES) memory.delete(memory.keys().next().value!);
    memory.set(verdict.domain, { verdict, until });
  }

  function simple(domain: string, level: TlsLevel, reason: TlsVerdictReason, extra = ''): StoredVerdict {
    const now = Date.now();
    const transient = reason === 'pending' || reason === 'rate-limited';
    return {
      domain,
      level,
      mx: [],
      checkedAt: iso(now),
      // Not cached; the time says when asking again makes sense.
      expiresAt: iso(transient ? now + (reason === 'pending' ? 5000 : 60_000) : now),
      detail: {
        reason,
        message: (REASON_TEXT[reason] ?? '') + extra,
        mtaSts: null,
        cached: false,
      },
    };
  }

  // --- one MX host ------------------------------------------------------------------

  async function probeHost(host: string, priority: number | null, signal: AbortSignal): Promise<MxEvidence> {
    const started = Date.now();
    const base = { host, priority, address: null, greeting: null, starttls: null, protocol: null };
    const blank: MxEvidence = {
      ...base,
      status: 'error',
      level: 'unknown',
      cipher: null,
      certificate: null,
      trusted: null,
      nameMatches: null,
      validationError: null,
      error: null,
      elapsedMs: 0,
    };
    // The MX name comes from a stranger's zone: only a proper host name is looked up and dialled.
    if (normalizeMailDomain(host) !== host) {
      return {
        ...blank,
        host: host.slice(0, 253),
        status: 'unreachable',
        error: 'the MX name is not a host name',
      };
    }
    const answer = await dns.addresses(host);
    if (answer.kind === 'failure') {
      return { ...blank, error: `${answer.error} for the MX host`, elapsedMs: Date.now() - started };
    }
    if (answer.kind !== 'records') {
      return {
        ...blank,
        status: 'unreachable',
        error: 'the MX host has no address record',
        elapsedMs: Date.now() - started,
      };
    }
    const addresses = [...answer.records].sort((a, b) => Number(isIPv4(b)) - Number(isIPv4(a)));
    const allowed = addresses.filter((a) => refuseAddress(a, cfg.allowPrivateMx) === null);
    if (allowed.length === 0) {
      return {
        ...blank,
        status: 'refused',
        address: addresses[0]!,
        error: `not probed: ${refuseAddress(addresses[0]!, cfg.allowPrivateMx)!}`,
        elapsedMs: Date.now() - started,
      };
    }
    let last: MxEvidence = blank;
    // A second address only if the first is unreachable: one connection per MX in the usual case.
    for (const address of allowed.slice(0, 2)) {
      const outcome = await probeMx({
        host,
        address,
        port: 25,
        ehloName: settings.ehloName,
        trust: probeTrust,
        timeouts: {
          connectMs: cfg.connectTimeoutMs,
          greetingMs: cfg.greetingTimeoutMs,
          commandMs: cfg.commandTimeoutMs,
          handshakeMs: cfg.handshakeTimeoutMs,
        },
        signal,
      });
      last = { ...outcome, host, priority, address, elapsedMs: Date.now() - started };
      if (outcome.status !== 'unreachable') break;
    }
    return last;
  }

  /**
   * Per-MX cache and one probe per host at a time (many domains share an MX).
   * Also says until when the evidence holds: a verdict built on it ends no later.
   */
  async function mxEvidence(
    host: string,
    priority: number | null,
    fresh: boolean,
    signal: AbortSignal,
  ): Promise<{ evidence: MxEvidence; until: number }> {
    if (!fresh) {
      const cached = await cache.mx(host, iso(Date.now()));
      if (cached !== undefined) {
        return { evidence: { ...cached.evidence, priority }, until: Date.parse(cached.expiresAt) };
      }
    }
    let probe = hostProbes.get(host);
    if (probe === undefined) {
      probe = probeHost(host, priority, signal).then(async (evidence) => {
        const now = Date.now();
        const until = expiryOf(evidence.level, [evidence], now, cfg);
        if (!signal.aborted) {
          await cache.putMx(host, { evidence, checkedAt: iso(now), expiresAt: iso(until) });
        }
        return { evidence, until };
      });
      hostProbes.set(host, probe);
      void probe
        .finally(() => {
          hostProbes.delete(host);
        })
        .catch(() => undefined);
    }
    const { evidence, until } = await probe;
    return { evidence: { ...evidence, priority }, until };
  }

  // --- MTA-STS -------------------------------------------------------------------------

  async function mtaStsOf(domain: string, hosts: string[]): Promise<MtaStsEvidence> {
    const now = Date.now();
    const cached = await cache.policy(domain);
    const usable = cached !== undefined && Date.parse(cached.expiresAt) > now ? cached.policy : null;
    // RFC 8461 §5.1: a cached policy stays in force until its max_age, whatever happens to the TXT record.
    const fallback = (status: MtaStsEvidence['status'], error: string | null): MtaStsEvidence =>
      usable !== null ? evidenceOf(usable, hosts, error) : noPolicy(status, error);
    const txt = await dns.txt(`_mta-sts.${domain}`);
    if (txt.kind === 'failure') return fallback('unknown', `TXT lookup: ${txt.error}`);
    const parsed = txt.kind === 'records' ? parseStsTxt(txt.records) : null;
    if (parsed === null) return fallback('none', null);
    if ('error' in parsed) return fallback('invalid', parsed.error);
    if (usable !== null && usable.id === parsed.id) return evidenceOf(usable, hosts);
    const fetched = await fetchPolicy(domain, parsed.id);
    if ('error' in fetched) return fallback('invalid', fetched.error);
    await cache.putPolicy(domain, fetched);
    return evidenceOf(fetched.policy, hosts);
  }

  async function fetchPolicy(domain: string, id: string): Promise<CachedPolicy | { error: string }> {
    const answer = await dns.addresses(`mta-sts.${domain}`);
    if (answer.kind !== 'records') {
      return { error: answer.kind === 'failure' ? answer.error : `mta-sts.${domain} has no address` };
    }
    const address = answer.records.find((a) => refuseAddress(a, cfg.allowPrivateMx) === null);
    if (address === undefined) {
      return { error: `not fetched: ${refuseAddress(answer.records[0]!, cfg.allowPrivateMx)!}` };
    }
    const response = await fetchPolicyText({
      domain,
      address,
      trust,
      timeoutMs: cfg.policyTimeoutMs,
      signal: closing.signal,
    });
    if ('error' in response) return response;
    const parsed = parsePolicy(response.text);
    if ('error' in parsed) return parsed;
    const policy: MtaStsPolicy = { id, ...parsed };
    const now = Date.now();
    return { policy, fetchedAt: iso(now), expiresAt: iso(now + policy.maxAge * 1000) };
  }

  // --- one domain ----------------------------------------------------------------------

  async function probeDomain(domain: string, fresh: boolean, signal: AbortSignal): Promise<StoredVerdict> {
    const answer = await dns.mx(domain);
    if (answer.kind === 'failure') return finish(domain, [], null, 'unknown', 'dns-failure', answer.error);
    if (answer.kind === 'nxdomain') return finish(domain, [], null, 'no-mail', 'no-such-domain');
    let targets: { host: string; priority: number | null }[];
    if (answer.kind === 'records') {
      const real = answer.records.filter((r) => r.exchange !== '' && r.exchange !== '.');
      if (real.length === 0) return finish(domain, [], null, 'no-mail', 'null-mx');
      const seen = new Set<string>();
      targets = real
        .sort((a, b) => a.priority - b.priority)
        .map((r) => ({ host: r.exchange.toLowerCase().replace(/\.$/, ''), priority: r.priority }))
        .filter((t) => !seen.has(t.host) && seen.add(t.host))
        .slice(0, cfg.maxMxHosts);
    } else {
      // No MX: the domain's own address records are its implicit MX (RFC 5321 §5.1).
      const own = await dns.addresses(domain);
      if (own.kind === 'failure') return finish(domain, [], null, 'unknown', 'dns-failure', own.error);
      if (own.kind !== 'records') return finish(domain, [], null, 'no-mail', 'no-mail-host');
      targets = [{ host: domain, priority: null }];
    }
    const hosts = targets.map((t) => t.host);
    // The policy is looked up beside the probes, so it costs no extra time.
    const policy = mtaStsOf(domain, hosts).catch((e: unknown) =>
      noPolicy('unknown', e instanceof Error ? e.message : 'MTA-STS lookup failed'),
    );
    const found = await Promise.all(targets.map((t) => mxEvidence(t.host, t.priority, fresh, signal)));
    const mx = found.map((f) => f.evidence);
    const mtaSts = await policy;
    const combined = combineMx(mx, mtaSts);
    const verdict = finish(domain, mx, mtaSts, combined.level, combined.reason, '', combined.message);
    const evidenceEnds = Math.min(...found.map((f) => f.until));
    if (evidenceEnds < Date.parse(verdict.expiresAt)) {
      verdict.expiresAt = iso(Math.max(evidenceEnds, Date.now() + 1000));
    }
    return verdict;
  }

  function finish(
    domain: string,
    mx: MxEvidence[],
    mtaSts: MtaStsEvidence | null,
    level: TlsLevel,
    reason: TlsVerdictReason,
    extra = '',
    message?: string,
  ): StoredVerdict {
    const now = Date.now();
    return {
      domain,
      level,
      mx,
      checkedAt: iso(now),
      expiresAt: iso(expiryOf(level, mx, now, cfg)),
      detail: {
        reason,
        message: message ?? (REASON_TEXT[reason] ?? '') + extra,
        mtaSts,
        cached: false,
      },
    };
  }

  /** Runs the domain's probe here, or waits for the instance holding its lease. */
  function startProbe(domain: string, fresh: boolean, wait: boolean): Promise<StoredVerdict> {
    const leaseMs = cfg.probeTimeoutMs + 5000;
    // The slot comes first: time spent queueing counts neither against the
    // probe's time limit nor against its lease.
    const work = (async (): Promise<StoredVerdict> => {
      const verdict = await slots.run(async () => {
        const now = Date.now();
        if (isClosed()) throw new Error('the TLS checker is closed');
        if (!(await cache.acquireLease(domain, holder, iso(now + leaseMs), iso(now)))) return null;
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
          const result = await probeDomain(domain, fresh, controller.signal);
          if (!isClosed()) {
            await cache.putVerdict(result);
            remember(result);
          }
          return result;
        } finally {
          active--;
          const left = running.get(domain)! - 1;
          if (left === 0) running.delete(domain);
          else running.set(domain, left);
          clearTimeout(limit);
          closing.signal.removeEventListener('abort', onClose);
          if (!isClosed()) await cache.releaseLease(domain, holder).catch(() => undefined);
        }
      });
      // Another instance holds the lease: its verdict will appear in the shared cache.
      return verdict ?? waitForOther(domain, wait ? leaseMs : cfg.deadlineMs);
    })();
    domainProbes.set(domain, work);
    const tracked = work
      .catch(() => undefined)
      .finally(() => {
        domainProbes.delete(domain);
        background.delete(tracked);
      });
    background.add(tracked);
    return work;
  }

  /** Another instance probes the domain: its verdict appears in the shared cache. */
  async function waitForOther(domain: string, maxMs: number): Promise<StoredVerdict> {
    const until = Date.now() + maxMs;
    while (Date.now() < until && !closing.signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const found = (await cache.verdicts([domain], iso(Date.now()))).get(domain);
      if (found !== undefined) return found;
    }
    return simple(domain, 'unknown', 'pending');
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
        return simple(domain, 'unknown', 'rate-limited');
      }
      probe = startProbe(domain, options.fresh === true, options.wait === true);
    }
    if (options.wait === true) {
      return probe.catch((e: unknown) =>
        simple(
          domain,
          'unknown',
          'mx-error',
          `the check failed: ${e instanceof Error ? e.message : 'error'}`,
        ),
      );
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<StoredVerdict>((resolve) => {
      timer = setTimeout(
        () => {
          stats.pending++;
          resolve(simple(domain, 'unknown', 'pending'));
        },
        Math.max(0, deadline - Date.now()),
      );
    });
    try {
      return await Promise.race([probe, late]);
    } catch (e) {
      // A failing store or an aborted probe is an unknown, never a verdict about the domain.
      return simple(
        domain,
        'unknown',
        'mx-error',
        `the check failed: ${e instanceof Error ? e.message : 'error'}`,
      );
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
          const hit = memory.get(d);
          if (hit !== undefined && hit.until > now) {
            stats.memoryHits++;
            found.set(d, { ...hit.verdict, detail: { ...hit.verdict.detail, cached: true } });
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
          remember(v);
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
