import { z } from 'zod';
import type { TlsLevel } from './org-policy';

/**
 * The TLS-verdict contract: `POST /v1/tls/check` and `secure-envelope
 * check-tls --json` answer with these shapes. Only domain names travel.
 */

/** The most domains one request may carry, whatever the server allows. */
export const TLS_CHECK_HARD_MAX_DOMAINS = 500;

export const tlsCheckRequest = z
  .object({
    domains: z.array(z.string().max(1000)).min(1).max(TLS_CHECK_HARD_MAX_DOMAINS),
  })
  .strict();
export type TlsCheckRequest = z.infer<typeof tlsCheckRequest>;

// Characters that would make the URL parser read a name as something else
// (user info, port, path, IPv6 literal) or that no host name contains.
const NOT_IN_A_NAME = /[\s/\\?#@:[\]%<>"'`^{}|*,;=&+!$()~]/u;
const ASCII_NAME =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * A mail domain in its ASCII (A-label) form, or null when `input` is not one:
 * lower-cased, a final dot dropped, IDN labels converted (UTS #46, as browsers
 * do), at least two labels, and no IP address literal.
 */
export function normalizeMailDomain(input: string): string | null {
  let name = input.trim().toLowerCase();
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (name === '' || name.length > 253 * 4 || NOT_IN_A_NAME.test(name)) return null;
  let ascii: string;
  try {
    ascii = new URL(`http://${name}/`).hostname;
  } catch {
    return null;
  }
  if (!ASCII_NAME.test(ascii)) return null;
  // A numeric last label means an IPv4 literal (the URL parser already turned
  // "0x7f.1" and friends into dotted form): an address, not a domain.
  const tld = ascii.slice(ascii.lastIndexOf('.') + 1);
  if (/^\d+$/.test(tld)) return null;
  return ascii;
}

/** What one MX host showed when probed. */
export interface MxEvidence {
  host: string;
  /** MX preference; null for the implicit MX (the domain's own A/AAAA, RFC 5321 §5.1). */
  priority: number | null;
  /** The address probed, when one was. */
  address: string | null;
  /**
   * probed: the SMTP dialogue reached a conclusion (see level);
   * unreachable: no answer on port 25, or a refusing greeting (a sender moves on to the next MX);
   * refused: not probed because its address is not a public one (SSRF guard);
   * error: a timeout or temporary failure after the greeting.
   */
  status: 'probed' | 'unreachable' | 'refused' | 'error';
  /** This MX alone: none, opportunistic or verified; unknown unless probed. */
  level: TlsLevel;
  /** The server's 220 greeting line (trimmed, at most 200 characters). */
  greeting: string | null;
  starttls: boolean | null;
  /** TLS protocol of the handshake, e.g. "TLSv1.3". */
  protocol: string | null;
  cipher: string | null;
  certificate: {
    subject: string;
    issuer: string;
    altNames: string[];
    validFrom: string;
    validTo: string;
    fingerprint256: string;
  } | null;
  /** Whether the chain leads to a trusted root (system roots plus any configured extra CA). */
  trusted: boolean | null;
  /** Whether the certificate names the MX host. */
  nameMatches: boolean | null;
  /** Why the certificate is not trusted or not matching (an OpenSSL/Node code and text). */
  validationError: string | null;
  /** What went wrong, for unreachable/refused/error, in words. */
  error: string | null;
  elapsedMs: number;
}

export interface MtaStsEvidence {
  /**
   * none: no `_mta-sts` TXT record; valid: a policy was read; invalid: the
   * TXT record or the policy is malformed, too large, redirected or unreachable;
   * unknown: the lookup failed temporarily.
   */
  status: 'none' | 'valid' | 'invalid' | 'unknown';
  id: string | null;
  mode: 'enforce' | 'testing' | 'none' | null;
  mx: string[];
  maxAge: number | null;
  /** Whether every MX host of the domain matches one of the policy's `mx` patterns. */
  coversMx: boolean | null;
  error: string | null;
}

export interface TlsVerdict {
  /** The domain in ASCII form. */
  domain: string;
  /** The measured level: what the check found, before any admin override. */
  level: TlsLevel;
  mx: MxEvidence[];
  checkedAt: string;
  /** Until when the verdict holds; ask again after it. */
  expiresAt: string;
  detail: {
    /** A stable code for why the level is what it is. */
    reason: TlsVerdictReason;
    /** The same in words, for people. */
    message: string;
    mtaSts: MtaStsEvidence | null;
    /** Whether the answer came from the cache. */
    cached: boolean;
  };
  /** How the organisation's policy reads this verdict; the measured level above stays as found. */
  policy: {
    /** An admin override that applies to the domain (or a parent domain), if any. */
    override: 'always-secure' | 'known-good' | null;
    /** The least level that counts as protected delivery. */
    minimumLevel: TlsLevel;
    /** Whether mail to the domain may go as is (override first, then the level against the minimum). */
    protected: boolean;
  };
}

export const TLS_VERDICT_REASONS = [
  'all-mx-verified',
  'mta-sts-enforced',
  'weakest-mx',
  'null-mx',
  'no-such-domain',
  'no-mail-host',
  'dns-failure',
  'all-mx-unreachable',
  'mx-error',
  'pending',
  'rate-limited',
  'refused-address',
] as const;
export type TlsVerdictReason = (typeof TLS_VERDICT_REASONS)[number];

export interface TlsCheckResponse {
  /** One result per requested domain, in the order asked. */
  results: TlsVerdict[];
}
