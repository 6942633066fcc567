import { TLS_LEVELS, type TlsLevel } from '../../shared/org-policy';
import type { MxEvidence, MtaStsEvidence, TlsVerdict, TlsVerdictReason } from '../../shared/tls-verdict';

/**
 * From per-MX evidence to a domain's level. A sender may fall back to any MX,
 * so the domain is as strong as its weakest reachable MX. An MX that could not
 * be reached (or was not dialled, being on a private address) is left out, as
 * a sender would skip it; one that answered and then failed mid-way counts as
 * `unknown`, never as `none`.
 */

export function rank(level: TlsLevel): number {
  return TLS_LEVELS.indexOf(level);
}

export function weakest(levels: TlsLevel[]): TlsLevel {
  return levels.reduce((a, b) => (rank(b) < rank(a) ? b : a));
}

export function combineMx(
  mx: MxEvidence[],
  mtaSts: MtaStsEvidence | null,
): { level: TlsLevel; reason: TlsVerdictReason; message: string } {
  const considered = mx.filter((m) => m.status === 'probed' || m.status === 'error');
  if (considered.length === 0) {
    if (mx.length > 0 && mx.every((m) => m.status === 'refused')) {
      return {
        level: 'unknown',
        reason: 'refused-address',
        message: 'every MX host resolves to an address this service does not connect to',
      };
    }
    return {
      level: 'unknown',
      reason: 'all-mx-unreachable',
      message: 'no MX host could be reached on port 25 (or each refused the session); try again later',
    };
  }
  const level = weakest(considered.map((m) => m.level));
  const skipped = mx.length - considered.length;
  const note = skipped > 0 ? ` (${skipped} MX host(s) not reached were left out)` : '';
  if (level === 'unknown') {
    const failed = considered.filter((m) => m.level === 'unknown').map((m) => m.host);
    return {
      level,
      reason: 'mx-error',
      message: `the check of ${failed.join(', ')} did not finish (timeout or temporary failure)${note}`,
    };
  }
  if (level === 'verified') {
    if (mtaSts?.status === 'valid' && mtaSts.mode === 'enforce' && mtaSts.coversMx === true) {
      return {
        level: 'mta-sts',
        reason: 'mta-sts-enforced',
        message: `every MX offers verified TLS and the domain enforces it with MTA-STS${note}`,
      };
    }
    return {
      level,
      reason: 'all-mx-verified',
      message: `every MX offers STARTTLS with a trusted certificate naming it, TLS 1.2 or later${note}`,
    };
  }
  const weakestHosts = considered.filter((m) => m.level === level).map((m) => m.host);
  const why =
    level === 'none'
      ? 'does not offer STARTTLS or its TLS handshake fails'
      : 'offers STARTTLS, but its certificate is not trusted, does not name it, or its TLS is older than 1.2';
  return { level, reason: 'weakest-mx', message: `${weakestHosts.join(', ')} ${why}${note}` };
}

export interface VerdictTtls {
  ttlGoodSeconds: number;
  ttlWeakSeconds: number;
  ttlUnknownSeconds: number;
}

/**
 * Until when a verdict holds: long for good ones, shorter for weak ones, short
 * for unknown. A verified verdict also ends when an MX certificate expires.
 */
export function expiryOf(level: TlsLevel, mx: MxEvidence[], now: number, ttls: VerdictTtls): number {
  const seconds =
    level === 'verified' || level === 'mta-sts'
      ? ttls.ttlGoodSeconds
      : level === 'unknown'
        ? ttls.ttlUnknownSeconds
        : ttls.ttlWeakSeconds;
  let until = now + seconds * 1000;
  if (level === 'verified' || level === 'mta-sts') {
    for (const m of mx) {
      const validTo = m.certificate === null ? NaN : Date.parse(m.certificate.validTo);
      if (m.level === 'verified' && Number.isFinite(validTo)) until = Math.min(until, validTo);
    }
  }
  return Math.max(until, now + 1000);
}

/** How the organisation's policy reads a measured level. */
export function readPolicy(
  domain: string,
  level: TlsLevel,
  policy: { tlsMinimum: TlsLevel; alwaysSecure: string[]; knownGood: string[] },
): TlsVerdict['policy'] {
  // A listed domain covers its subdomains too (mail.example.com under example.com).
  const listed = (list: string[]): boolean => list.some((d) => domain === d || domain.endsWith(`.${d}`));
  // Always-secure wins over known-good: when both apply, the safer reading.
  const override = listed(policy.alwaysSecure)
    ? 'always-secure'
    : listed(policy.knownGood)
      ? 'known-good'
      : null;
  const meets = level !== 'unknown' && rank(level) >= rank(policy.tlsMinimum);
  return {
    override,
    minimumLevel: policy.tlsMinimum,
    protected: override === 'always-secure' ? false : override === 'known-good' ? true : meets,
  };
}
