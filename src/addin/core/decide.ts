/**
 * The send-time decision, as a pure function of what was read and found, so
 * the task pane's preview and the on-send handler can never disagree.
 *
 *   "send securely" chosen             → secure envelope
 *   no external recipient              → allow
 *   not sensitive, and every attachment read (or unread ones allowed) → allow
 *   every external domain protected    → allow
 *   otherwise                          → the policy's action (secure, block or prompt);
 *                                        for unread attachments alone, `unscannedAttachments`
 *
 * A domain is protected when the admin says so (known good), never when it
 * is consumer webmail (always secure), and otherwise when its TLS verdict
 * meets the policy's minimum. A domain without a verdict is not protected:
 * that is what makes an unreachable checker fail closed for sensitive mail.
 */
import type { OrgPolicy } from '../../shared/org-policy';
import { domainWithin } from './recipients';
import type { DomainVerdict } from './tls-source';

/**
 * `noMail`: those of the unprotected domains that take no mail at all (no
 * such domain, a null MX, no mail host): the address is more likely wrong
 * than the domain unsafe, and the sender is told so.
 */
export type Decision =
  | { kind: 'allow'; reason: 'internal' | 'clean' }
  /** `trusted`: protected by the admin's known-good list; `measured`: by their TLS verdict. */
  | { kind: 'allow'; reason: 'protected'; trusted: string[]; measured: string[] }
  | ({ kind: 'secure'; reason: 'forced' | 'unprotected' } & Unprotected)
  | ({ kind: 'block' | 'prompt'; reason: 'unprotected' } & Unprotected);

/** Which domains make a message unsafe to send as is, and why each. */
export interface Unprotected {
  unprotected: string[];
  /** Consumer mail on the admin's always-secure list: never sent as is, whatever its TLS. */
  consumer: string[];
  noMail: string[];
}

export interface DecisionInput {
  externalDomains: readonly string[];
  sensitive: boolean;
  /** Some attachment could not be read where the decision is made. */
  unscanned?: boolean;
  forceSecure: boolean;
  policy: Pick<OrgPolicy, 'tls' | 'action' | 'unscannedAttachments'>;
  verdicts: ReadonlyMap<string, DomainVerdict>;
}

/** Whether mail may reach `domain` as is, given the admin's lists and the verdict (if any). */
export function domainProtected(
  domain: string,
  policy: Pick<OrgPolicy, 'tls'>,
  verdict: DomainVerdict | undefined,
): boolean {
  if (policy.tls.alwaysSecure.some((d) => domainWithin(domain, d))) return false;
  if (policy.tls.knownGood.some((d) => domainWithin(domain, d))) return true;
  return verdict !== undefined && verdict.protected;
}

/** Domains whose protection the admin's lists already settle, so no TLS check is needed for them. */
export function settledByPolicy(domain: string, policy: Pick<OrgPolicy, 'tls'>): boolean {
  return (
    policy.tls.alwaysSecure.some((d) => domainWithin(domain, d)) ||
    policy.tls.knownGood.some((d) => domainWithin(domain, d))
  );
}

export function decide(input: DecisionInput): Decision {
  // The sender's own choice comes first: "send securely" holds even for colleagues.
  if (input.forceSecure)
    return { kind: 'secure', reason: 'forced', unprotected: [], consumer: [], noMail: [] };
  if (input.externalDomains.length === 0) return { kind: 'allow', reason: 'internal' };
  // What cannot be read may hold anything: it counts as sensitive unless the admin allows it.
  const unscannedAction = input.policy.unscannedAttachments ?? 'secure';
  const unreadRisk = input.unscanned === true && unscannedAction !== 'allow';
  if (!input.sensitive && !unreadRisk) return { kind: 'allow', reason: 'clean' };
  const unprotected = input.externalDomains.filter(
    (d) => !domainProtected(d, input.policy, input.verdicts.get(d)),
  );
  if (unprotected.length === 0) {
    const trusted = input.externalDomains.filter((d) => settledByPolicy(d, input.policy));
    const measured = input.externalDomains.filter((d) => !trusted.includes(d));
    return { kind: 'allow', reason: 'protected', trusted, measured };
  }
  const why: Unprotected = {
    unprotected,
    consumer: unprotected.filter((d) => input.policy.tls.alwaysSecure.some((a) => domainWithin(d, a))),
    noMail: unprotected.filter((d) => input.verdicts.get(d)?.level === 'no-mail'),
  };
  const action = input.sensitive ? input.policy.action : unscannedAction;
  if (action === 'secure') return { kind: 'secure', reason: 'unprotected', ...why };
  return { kind: action === 'allow' ? 'prompt' : action, reason: 'unprotected', ...why };
}
