import type { DetectionPolicy } from './detection-policy';

/** TLS levels a recipient domain can reach, weakest first. */
export const TLS_LEVELS = ['unknown', 'no-mail', 'none', 'opportunistic', 'verified', 'mta-sts'] as const;
export type TlsLevel = (typeof TLS_LEVELS)[number];

/** What happens to sensitive mail bound for a domain below the TLS minimum. */
export type SensitiveAction = 'secure' | 'block' | 'prompt';

/**
 * What happens to mail whose only risk is an attachment that could not be
 * read where the decision is made (an image, an encrypted file, a PDF in
 * classic Outlook), bound for a domain below the TLS minimum.
 */
export type UnscannedAction = 'secure' | 'prompt' | 'allow';

export type OverrideReason = 'required' | 'optional';

/** The policy the add-in applies, served by `GET /v1/policy`. */
export interface OrgPolicy {
  /** Mail domains of the organisation: recipients there are internal. */
  orgDomains: string[];
  detection: DetectionPolicy;
  tls: {
    /** The least TLS level that counts as protected delivery. */
    minimumLevel: TlsLevel;
    /** Domains always treated as unprotected (consumer webmail). */
    alwaysSecure: string[];
    /** Domains treated as protected whatever the check says. */
    knownGood: string[];
  };
  action: SensitiveAction;
  /** Unset in policies cached before it existed: `secure`. */
  unscannedAttachments?: UnscannedAction;
  /**
   * Whether a sender who sends flagged mail as is (the `prompt` action) must
   * say why, or may leave the reason empty; either way the override is
   * recorded. Unset: `required`.
   */
  overrideReason?: OverrideReason;
  /** A version that changes whenever the policy does, for caches. */
  version: string;
}
