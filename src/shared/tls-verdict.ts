import { z } from 'zod';
import { TLS_LEVELS } from './org-policy';
import { fieldErrorCodes } from './field-errors';

/**
 * The TLS-verdict contract: `POST /v1/tls/check` and `secure-envelope
 * check-tls --json` answer with these shapes. Only domain names travel.
 */

/** The most domains one request may carry, whatever the server allows. */
export const TLS_CHECK_HARD_MAX_DOMAINS = 500;

export const tlsCheckRequest = z
  .object({
    domains: z
      .array(z.string().max(1000))
      .min(1)
      .max(TLS_CHECK_HARD_MAX_DOMAINS, `ask about at most ${TLS_CHECK_HARD_MAX_DOMAINS} domains at a time`)
      .register(fieldErrorCodes, { too_big: 'TOO_MANY_DOMAINS' }),
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
export const mxEvidence = z.object({
  host: z.string(),
  /** MX preference; null for the implicit MX (the domain's own A/AAAA, RFC 5321 §5.1). */
  priority: z.number().nullable(),
  /** The address probed, when one was. */
  address: z.string().nullable(),
  /**
   * probed: the SMTP dialogue reached a conclusion (see level);
   * unreachable: no answer on port 25, or a refusing greeting (a sender moves on to the next MX);
   * refused: not probed because its address is not a public one (SSRF guard);
   * error: a timeout or temporary failure after the greeting.
   */
  status: z.enum(['probed', 'unreachable', 'refused', 'error']),
  /** This MX alone: none, opportunistic or verified; unknown unless probed. */
  level: z.enum(TLS_LEVELS),
  /** The server's 220 greeting line (trimmed, at most 200 characters). */
  greeting: z.string().nullable(),
  starttls: z.boolean().nullable(),
  /** TLS protocol of the handshake, e.g. "TLSv1.3". */
  protocol: z.string().nullable(),
  cipher: z.string().nullable(),
  certificate: z
    .object({
      subject: z.string(),
      issuer: z.string(),
      altNames: z.array(z.string()),
      validFrom: z.string(),
      validTo: z.string(),
      fingerprint256: z.string(),
    })
    .nullable(),
  /** Whether the chain leads to a trusted root (system roots plus any configured extra CA). */
  trusted: z.boolean().nullable(),
  /** Whether the certificate names the MX host. */
  nameMatches: z.boolean().nullable(),
  /** Why the certificate is not trusted or not matching (an OpenSSL/Node code and text). */
  validationError: z.string().nullable(),
  /** What went wrong, for unreachable/refused/error, in words. */
  error: z.string().nullable(),
  elapsedMs: z.number(),
});
export type MxEvidence = z.infer<typeof mxEvidence>;

export const mtaStsEvidence = z.object({
  /**
   * none: no `_mta-sts` TXT record; valid: a policy was read; invalid: the
   * TXT record or the policy is malformed, too large, redirected or unreachable;
   * unknown: the lookup failed temporarily.
   */
  status: z.enum(['none', 'valid', 'invalid', 'unknown']),
  id: z.string().nullable(),
  mode: z.enum(['enforce', 'testing', 'none']).nullable(),
  mx: z.array(z.string()),
  maxAge: z.number().nullable(),
  /** Whether every MX host of the domain matches one of the policy's `mx` patterns. */
  coversMx: z.boolean().nullable(),
  error: z.string().nullable(),
});
export type MtaStsEvidence = z.infer<typeof mtaStsEvidence>;

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

export const tlsVerdict = z.object({
  /** The domain in ASCII form. */
  domain: z.string(),
  /** The measured level: what the check found, before any admin override. */
  level: z.enum(TLS_LEVELS),
  mx: z.array(mxEvidence),
  checkedAt: z.string(),
  /** Until when the verdict holds; ask again after it. */
  expiresAt: z.string(),
  detail: z.object({
    /** A stable code for why the level is what it is. */
    reason: z.enum(TLS_VERDICT_REASONS),
    /** The same in words, for people. */
    message: z.string(),
    mtaSts: mtaStsEvidence.nullable(),
    /** Whether the answer came from the cache. */
    cached: z.boolean(),
  }),
  /** How the organisation's policy reads this verdict; the measured level above stays as found. */
  policy: z.object({
    /** An admin override that applies to the domain (or a parent domain), if any. */
    override: z.enum(['always-secure', 'known-good']).nullable(),
    /** The least level that counts as protected delivery. */
    minimumLevel: z.enum(TLS_LEVELS),
    /** Whether mail to the domain may go as is (override first, then the level against the minimum). */
    protected: z.boolean(),
  }),
});
export type TlsVerdict = z.infer<typeof tlsVerdict>;

export const tlsCheckResponse = z.object({
  /** One result per requested domain, in the order asked. */
  results: z.array(tlsVerdict),
});
export type TlsCheckResponse = z.infer<typeof tlsCheckResponse>;
