/**
 * The policy the add-in applies: the server's (`GET /v1/policy`), kept in
 * memory and in the draft's session data so the task pane and the on-send
 * handler fetch it once; a built-in default when the server cannot be
 * reached. The default is deliberately strict about what counts as
 * protected (nothing is known good) and treats the sender's own domain as
 * internal, so an outage never blocks internal or ordinary mail.
 */
import { DEFAULT_DETECTION_POLICY } from '../../shared/detection-policy';
import type { OrgPolicy } from '../../shared/org-policy';
import type { ComposeItem } from '../office/types';
import { type FetchLike, requestJson } from './http';
import { domainOf } from './recipients';

export const CONSUMER_MAIL_DOMAINS = [
  'gmail.com',
  'yahoo.com',
  'outlook.com',
  'hotmail.com',
  'aol.com',
  'icloud.com',
];

/** Session data key of the cached policy. */
const SESSION_KEY = 'se.policy';
/** How long a fetched policy is used before asking again. */
const MAX_AGE_MS = 5 * 60 * 1000;

export function builtinPolicy(senderAddress: string): OrgPolicy {
  const own = domainOf(senderAddress);
  return {
    orgDomains: own === '' ? [] : [own],
    detection: {
      enabledTypes: DEFAULT_DETECTION_POLICY.enabledTypes.slice(),
      minScore: DEFAULT_DETECTION_POLICY.minScore,
      typeThresholds: {},
      keywords: DEFAULT_DETECTION_POLICY.keywords.slice(),
    },
    tls: { minimumLevel: 'verified', alwaysSecure: CONSUMER_MAIL_DOMAINS.slice(), knownGood: [] },
    action: 'secure',
    unscannedAttachments: 'secure',
    version: 'builtin',
  };
}

export interface PolicyResult {
  policy: OrgPolicy;
  source: 'server' | 'cache' | 'builtin';
}

interface Cached {
  policy: OrgPolicy;
  fetchedAt: number;
}

function looksLikePolicy(value: unknown): value is OrgPolicy {
  const p = value as Partial<OrgPolicy> | null;
  return (
    p !== null &&
    typeof p === 'object' &&
    Array.isArray(p.orgDomains) &&
    typeof p.detection === 'object' &&
    typeof p.tls === 'object' &&
    typeof p.action === 'string'
  );
}

export class PolicySource {
  private memory: Cached | null = null;

  constructor(
    private readonly apiBase: string,
    private readonly fetchFn: FetchLike,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The policy to apply for this sender. Where the admin named no
   * organisation domains, the sender's own domain is internal: a first run
   * never sends a colleague's mail as a secure envelope.
   */
  async get(item: ComposeItem, senderAddress: string, timeoutMs: number): Promise<PolicyResult> {
    const result = await this.find(item, senderAddress, timeoutMs);
    return { ...result, policy: withOwnDomain(result.policy, senderAddress) };
  }

  private async find(item: ComposeItem, senderAddress: string, timeoutMs: number): Promise<PolicyResult> {
    const fresh = (c: Cached | null): boolean => c !== null && this.now() - c.fetchedAt < MAX_AGE_MS;
    const mem = this.memory;
    if (mem !== null && fresh(mem)) return { policy: mem.policy, source: 'cache' };
    const stored = await readSession(item);
    if (stored !== null && fresh(stored)) {
      this.memory = stored;
      return { policy: stored.policy, source: 'cache' };
    }
    try {
      const { body } = await requestJson<unknown>(this.fetchFn, `${this.apiBase}/v1/policy`, { timeoutMs });
      if (!looksLikePolicy(body)) throw new Error('not a policy');
      this.memory = { policy: body, fetchedAt: this.now() };
      await item.setSessionValue(SESSION_KEY, JSON.stringify(this.memory)).catch(() => undefined);
      return { policy: body, source: 'server' };
    } catch {
      // An older copy beats the built-in default: it is the admin's policy.
      if (stored !== null) return { policy: stored.policy, source: 'cache' };
      if (mem !== null) return { policy: mem.policy, source: 'cache' };
      return { policy: builtinPolicy(senderAddress), source: 'builtin' };
    }
  }
}

/** `policy`, with the sender's domain as the organisation's when it names none. */
export function withOwnDomain(policy: OrgPolicy, senderAddress: string): OrgPolicy {
  if (policy.orgDomains.length > 0) return policy;
  const own = domainOf(senderAddress);
  return own === '' ? policy : { ...policy, orgDomains: [own] };
}

async function readSession(item: ComposeItem): Promise<Cached | null> {
  try {
    const raw = await item.getSessionValue(SESSION_KEY);
    if (raw === null) return null;
    const parsed = JSON.parse(raw) as Partial<Cached>;
    return looksLikePolicy(parsed.policy) && typeof parsed.fetchedAt === 'number'
      ? { policy: parsed.policy, fetchedAt: parsed.fetchedAt }
      : null;
  } catch {
    return null;
  }
}
