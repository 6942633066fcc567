import { isIPv4 } from 'node:net';
import type { SecureContext } from 'node:tls';
import { normalizeMailDomain, type MtaStsEvidence, type MxEvidence } from '../../shared/tls-verdict';
import { refuseAddress } from './address-guard';
import type { CachedPolicy, StoredVerdict, TlsCache } from './cache';
import type { TlsCheckConfig } from './config';
import type { MailDns } from './dns';
import {
  evidenceOf,
  fetchPolicyText,
  noPolicy,
  parsePolicy,
  parseStsTxt,
  type MtaStsPolicy,
} from './mta-sts';
import { domainVerdict } from './outcomes';
import { SingleFlight } from './single-flight';
import { probeMx } from './smtp-probe';
import { combineMx, expiryOf } from './verdict';

/**
 * Probing one domain: its MX hosts over SMTP (each host once at a time and
 * cached on its own, since many domains share an MX) and its MTA-STS policy
 * beside them. Knows nothing of leases, deadlines or budgets: the checker
 * decides when a probe runs.
 */

export interface ProberSettings {
  cfg: TlsCheckConfig;
  dns: MailDns;
  cache: Pick<TlsCache, 'mx' | 'putMx' | 'policy' | 'putPolicy'>;
  /** The name given in EHLO. */
  ehloName: string;
  /** Trusted roots for the SMTP probe, old protocols allowed so they are reported. */
  probeTrust: SecureContext;
  /** Trusted roots for fetching MTA-STS policies over HTTPS. */
  trust: SecureContext;
  /** Aborts policy fetches when the checker closes. */
  closing: AbortSignal;
}

export interface Prober {
  probeDomain(domain: string, fresh: boolean, signal: AbortSignal): Promise<StoredVerdict>;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function createProber(s: ProberSettings): Prober {
  const { cfg, dns, cache } = s;
  const hostProbes = new SingleFlight<{ evidence: MxEvidence; until: number }>();

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
        ehloName: s.ehloName,
        trust: s.probeTrust,
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
    const { work } = hostProbes.run(host, () =>
      probeHost(host, priority, signal).then(async (evidence) => {
        const now = Date.now();
        const until = expiryOf(evidence.level, [evidence], now, cfg);
        if (!signal.aborted) {
          await cache.putMx(host, { evidence, checkedAt: iso(now), expiresAt: iso(until) });
        }
        return { evidence, until };
      }),
    );
    const { evidence, until } = await work;
    return { evidence: { ...evidence, priority }, until };
  }

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
      trust: s.trust,
      timeoutMs: cfg.policyTimeoutMs,
      signal: s.closing,
    });
    if ('error' in response) return response;
    const parsed = parsePolicy(response.text);
    if ('error' in parsed) return parsed;
    const policy: MtaStsPolicy = { id, ...parsed };
    const now = Date.now();
    return { policy, fetchedAt: iso(now), expiresAt: iso(now + policy.maxAge * 1000) };
  }

  async function probeDomain(domain: string, fresh: boolean, signal: AbortSignal): Promise<StoredVerdict> {
    const finish = domainVerdict.bind(null, cfg, domain);
    const answer = await dns.mx(domain);
    if (answer.kind === 'failure') return finish([], null, 'unknown', 'dns-failure', answer.error);
    if (answer.kind === 'nxdomain') return finish([], null, 'no-mail', 'no-such-domain');
    let targets: { host: string; priority: number | null }[];
    if (answer.kind === 'records') {
      const real = answer.records.filter((r) => r.exchange !== '' && r.exchange !== '.');
      if (real.length === 0) return finish([], null, 'no-mail', 'null-mx');
      const seen = new Set<string>();
      targets = real
        .sort((a, b) => a.priority - b.priority)
        .map((r) => ({ host: r.exchange.toLowerCase().replace(/\.$/, ''), priority: r.priority }))
        .filter((t) => !seen.has(t.host) && seen.add(t.host))
        .slice(0, cfg.maxMxHosts);
    } else {
      // No MX: the domain's own address records are its implicit MX (RFC 5321 §5.1).
      const own = await dns.addresses(domain);
      if (own.kind === 'failure') return finish([], null, 'unknown', 'dns-failure', own.error);
      if (own.kind !== 'records') return finish([], null, 'no-mail', 'no-mail-host');
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
    const verdict = finish(mx, mtaSts, combined.level, combined.reason, '', combined.message);
    const evidenceEnds = Math.min(...found.map((f) => f.until));
    if (evidenceEnds < Date.parse(verdict.expiresAt)) {
      verdict.expiresAt = iso(Math.max(evidenceEnds, Date.now() + 1000));
    }
    return verdict;
  }

  return { probeDomain };
}
