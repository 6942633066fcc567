import type { TlsLevel } from '../../shared/org-policy';
import type { MtaStsEvidence, MxEvidence, TlsVerdictReason } from '../../shared/tls-verdict';
import type { StoredVerdict } from './cache';
import { expiryOf, type VerdictTtls } from './verdict';

/** How a verdict that is not a probe's finding is worded, and what it says about the domain. */

const REASON_TEXT: Partial<Record<TlsVerdictReason, string>> = {
  'dns-failure': 'the DNS lookup failed, which says nothing about TLS: ',
  'null-mx': 'the domain publishes a null MX (RFC 7505): it takes no mail',
  'no-such-domain': 'the domain does not exist',
  'no-mail-host': 'the domain has neither MX nor address records: it takes no mail',
  pending: 'the check did not finish in time; it goes on, ask again in a few seconds',
  'rate-limited': 'too many new checks right now; ask again in a minute',
};

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * An answer that is no finding about the domain (pending, rate-limited, the
 * check failed). Never cached; its expiry says when asking again makes sense.
 */
export function interimVerdict(
  domain: string,
  level: TlsLevel,
  reason: TlsVerdictReason,
  extra = '',
  now = Date.now(),
): StoredVerdict {
  const transient = reason === 'pending' || reason === 'rate-limited';
  return {
    domain,
    level,
    mx: [],
    checkedAt: iso(now),
    expiresAt: iso(transient ? now + (reason === 'pending' ? 5000 : 60_000) : now),
    detail: {
      reason,
      message: (REASON_TEXT[reason] ?? '') + extra,
      mtaSts: null,
      cached: false,
    },
  };
}

/** A probe's finding about the domain, held as long as its level earns. */
export function domainVerdict(
  ttls: VerdictTtls,
  domain: string,
  mx: MxEvidence[],
  mtaSts: MtaStsEvidence | null,
  level: TlsLevel,
  reason: TlsVerdictReason,
  extra = '',
  message?: string,
  now = Date.now(),
): StoredVerdict {
  return {
    domain,
    level,
    mx,
    checkedAt: iso(now),
    expiresAt: iso(expiryOf(level, mx, now, ttls)),
    detail: {
      reason,
      message: message ?? (REASON_TEXT[reason] ?? '') + extra,
      mtaSts,
      cached: false,
    },
  };
}
