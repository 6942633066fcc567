import type { MxEvidence, TlsVerdict } from '../../shared/tls-verdict';
import type { Store } from '../store/db';
import type { MtaStsPolicy } from './mta-sts';

/**
 * Where verdicts, per-MX evidence, MTA-STS policies and probe leases live.
 * On a server that is the store, so every instance shares them; the CLI
 * without a server keeps them in memory. Times are ISO-8601 strings.
 */

/** A verdict as cached: the policy reading is added per request, since policy can change. */
export type StoredVerdict = Omit<TlsVerdict, 'policy'>;

export interface CachedMx {
  evidence: MxEvidence;
  checkedAt: string;
  expiresAt: string;
}

export interface CachedPolicy {
  policy: MtaStsPolicy;
  fetchedAt: string;
  expiresAt: string;
}

export interface TlsCache {
  /** Unexpired verdicts of the given domains. */
  verdicts(domains: string[], now: string): Promise<Map<string, StoredVerdict>>;
  putVerdict(verdict: StoredVerdict): Promise<void>;
  mx(host: string, now: string): Promise<CachedMx | undefined>;
  putMx(host: string, entry: CachedMx): Promise<void>;
  /** The last policy fetched for a domain, expired or not (the caller decides). */
  policy(domain: string): Promise<CachedPolicy | undefined>;
  putPolicy(domain: string, entry: CachedPolicy): Promise<void>;
  /** Takes the domain's probe lease unless another holder has an unexpired one. */
  acquireLease(domain: string, holder: string, until: string, now: string): Promise<boolean>;
  releaseLease(domain: string, holder: string): Promise<void>;
}

export function storeCache(store: Store): TlsCache {
  const { db } = store;
  return {
    async verdicts(domains, now) {
      const found = new Map<string, StoredVerdict>();
      if (domains.length === 0) return found;
      const rows = await db
        .selectFrom('tls_domain_verdicts')
        .select(['domain', 'verdict_json'])
        .where('domain', 'in', domains)
        .where('expires_at', '>', now)
        .execute();
      for (const row of rows) found.set(row.domain, JSON.parse(row.verdict_json) as StoredVerdict);
      return found;
    },
    async putVerdict(verdict) {
      const row = {
        domain: verdict.domain,
        level: verdict.level,
        verdict_json: JSON.stringify(verdict),
        checked_at: verdict.checkedAt,
        expires_at: verdict.expiresAt,
      };
      await db
        .insertInto('tls_domain_verdicts')
        .values(row)
        .onConflict((oc) =>
          oc.column('domain').doUpdateSet({
            level: row.level,
            verdict_json: row.verdict_json,
            checked_at: row.checked_at,
            expires_at: row.expires_at,
          }),
        )
        .execute();
    },
    async mx(host, now) {
      const row = await db
        .selectFrom('tls_mx_results')
        .select(['evidence_json', 'checked_at', 'expires_at'])
        .where('host', '=', host)
        .where('expires_at', '>', now)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        evidence: JSON.parse(row.evidence_json) as MxEvidence,
        checkedAt: row.checked_at,
        expiresAt: row.expires_at,
      };
    },
    async putMx(host, entry) {
      const row = {
        host,
        level: entry.evidence.level,
        evidence_json: JSON.stringify(entry.evidence),
        checked_at: entry.checkedAt,
        expires_at: entry.expiresAt,
      };
      await db
        .insertInto('tls_mx_results')
        .values(row)
        .onConflict((oc) =>
          oc.column('host').doUpdateSet({
            level: row.level,
            evidence_json: row.evidence_json,
            checked_at: row.checked_at,
            expires_at: row.expires_at,
          }),
        )
        .execute();
    },
    async policy(domain) {
      const row = await db
        .selectFrom('tls_mta_sts_policies')
        .select(['policy_json', 'fetched_at', 'expires_at'])
        .where('domain', '=', domain)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        policy: JSON.parse(row.policy_json) as MtaStsPolicy,
        fetchedAt: row.fetched_at,
        expiresAt: row.expires_at,
      };
    },
    async putPolicy(domain, entry) {
      const row = {
        domain,
        policy_id: entry.policy.id,
        policy_json: JSON.stringify(entry.policy),
        fetched_at: entry.fetchedAt,
        expires_at: entry.expiresAt,
      };
      await db
        .insertInto('tls_mta_sts_policies')
        .values(row)
        .onConflict((oc) =>
          oc.column('domain').doUpdateSet({
            policy_id: row.policy_id,
            policy_json: row.policy_json,
            fetched_at: row.fetched_at,
            expires_at: row.expires_at,
          }),
        )
        .execute();
    },
    async acquireLease(domain, holder, until, now) {
      // One statement decides: a new row, or taking over an expired lease.
      // Whoever's holder is in the row afterwards owns the probe.
      await db
        .insertInto('tls_probe_leases')
        .values({ domain, holder, expires_at: until })
        .onConflict((oc) =>
          oc
            .column('domain')
            .doUpdateSet({ holder, expires_at: until })
            .where('tls_probe_leases.expires_at', '<=', now),
        )
        .execute();
      const row = await db
        .selectFrom('tls_probe_leases')
        .select('holder')
        .where('domain', '=', domain)
        .executeTakeFirst();
      return row?.holder === holder;
    },
    async releaseLease(domain, holder) {
      await db
        .deleteFrom('tls_probe_leases')
        .where('domain', '=', domain)
        .where('holder', '=', holder)
        .execute();
    },
  };
}

/** The same, in this process only: for the CLI, which has no server to share with. */
export function memoryCache(): TlsCache {
  const verdicts = new Map<string, StoredVerdict>();
  const mxs = new Map<string, CachedMx>();
  const policies = new Map<string, CachedPolicy>();
  const leases = new Map<string, { holder: string; until: string }>();
  return {
    verdicts(domains, now) {
      const found = new Map<string, StoredVerdict>();
      for (const d of domains) {
        const v = verdicts.get(d);
        if (v !== undefined && v.expiresAt > now) found.set(d, v);
      }
      return Promise.resolve(found);
    },
    putVerdict(verdict) {
      verdicts.set(verdict.domain, verdict);
      return Promise.resolve();
    },
    mx(host, now) {
      const entry = mxs.get(host);
      return Promise.resolve(entry !== undefined && entry.expiresAt > now ? entry : undefined);
    },
    putMx(host, entry) {
      mxs.set(host, entry);
      return Promise.resolve();
    },
    policy: (domain) => Promise.resolve(policies.get(domain)),
    putPolicy(domain, entry) {
      policies.set(domain, entry);
      return Promise.resolve();
    },
    acquireLease(domain, holder, until, now) {
      const lease = leases.get(domain);
      if (lease !== undefined && lease.until > now && lease.holder !== holder) return Promise.resolve(false);
      leases.set(domain, { holder, until });
      return Promise.resolve(true);
    },
    releaseLease(domain, holder) {
      if (leases.get(domain)?.holder === holder) leases.delete(domain);
      return Promise.resolve();
    },
  };
}
