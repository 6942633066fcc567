/**
 * Sending flagged mail as is, on the record. Outlook's own "Send anyway"
 * (a Smart Alert prompt) sends without telling the add-in, so nothing could
 * record it; instead the task pane records the override with the server
 * (what was found by type and count, the domains and why, the reason) and
 * leaves a mark for this draft in the compose session. The on-send handler
 * lets the message go as is only when that mark names the draft as it is
 * now: an edited draft is judged afresh.
 */
import type { RecordOverrideRequest, RecordOverrideResponse } from '../../shared/api';
import type { FindingType } from '../../shared/entities';
import type { AttachmentInfo, ComposeItem, Recipients } from '../office/types';
import type { Unprotected } from './decide';
import { type FetchLike, requestJson } from './http';
import { digest } from './idempotency';
import { allAddresses, domainOf } from './recipients';
import type { DomainVerdict } from './tls-source';

/** Session data: the override recorded for this draft. */
const OVERRIDE_KEY = 'se.override';

interface Recorded {
  /** The draft's digest when the override was recorded. */
  draft: string;
  id: string;
}

/** What identifies the draft an override is for: whom it goes to and what it says. */
export function draftDigest(
  recipients: Recipients,
  subject: string,
  html: string,
  attachments: readonly Pick<AttachmentInfo, 'name'>[],
): string {
  return digest(
    [allAddresses(recipients).join(','), subject, html, attachments.map((a) => a.name).join('/')].join(
      '\u0000',
    ),
  );
}

/** The override recorded for this draft as it is now, if any. */
export async function overrideFor(
  item: Pick<ComposeItem, 'getSessionValue'>,
  draft: string,
): Promise<string | null> {
  const raw = await item.getSessionValue(OVERRIDE_KEY).catch(() => null);
  if (raw === null) return null;
  try {
    const r = JSON.parse(raw) as Partial<Recorded>;
    return r.draft === draft && typeof r.id === 'string' ? r.id : null;
  } catch {
    return null;
  }
}

/** What the server records: types and counts of what was found, never a value. */
export function overrideRequest(input: {
  draft: string;
  reason: string;
  findingTypes: readonly FindingType[];
  unscanned: number;
  why: Unprotected;
  verdicts: ReadonlyMap<string, DomainVerdict | null>;
  recipients: Recipients;
}): RecordOverrideRequest {
  const findings: RecordOverrideRequest['findings'] = {};
  for (const t of input.findingTypes) findings[t] = (findings[t] ?? 0) + 1;
  const domains = input.why.unprotected.map((domain) => ({
    domain,
    level: input.verdicts.get(domain)?.level ?? ('unchecked' as const),
    why: input.why.noMail.includes(domain)
      ? ('no-mail' as const)
      : input.why.consumer.includes(domain)
        ? ('consumer' as const)
        : ('unprotected' as const),
  }));
  // The recipients the override concerns: those at the domains that made the message unsafe.
  const recipients = allAddresses(input.recipients).filter((a) =>
    input.why.unprotected.includes(domainOf(a)),
  );
  return {
    draft: input.draft,
    reason: input.reason,
    findings,
    unscanned: input.unscanned,
    domains,
    recipients,
  };
}

/** Records the override with the server, then marks this draft so the next send lets it go. */
export async function recordOverride(
  item: Pick<ComposeItem, 'setSessionValue'>,
  http: { fetch: FetchLike; apiBase: string; token: () => Promise<string> },
  request: RecordOverrideRequest,
): Promise<RecordOverrideResponse> {
  const { body } = await requestJson<RecordOverrideResponse>(http.fetch, `${http.apiBase}/v1/overrides`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await http.token()}` },
    body: request,
    timeoutMs: 10_000,
  });
  const recorded: Recorded = { draft: request.draft, id: body.id };
  await item.setSessionValue(OVERRIDE_KEY, JSON.stringify(recorded));
  return body;
}
