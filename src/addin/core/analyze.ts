/**
 * What the task pane shows while the sender composes: the same reading,
 * detection, TLS verdicts and decision the on-send handler will apply, with
 * the findings made presentable (masked, located).
 */
import type { RecordOverrideRequest } from '../../shared/api';
import type { OrgPolicy } from '../../shared/org-policy';
import { scanMessage } from '../../detect/index';
import { extractAttachment } from '../../extract/index';
import type { ComposeItem, Recipients } from '../office/types';
import { type Extract, type ReadAttachment, readAttachments, unscannedLine } from './attachment-text';
import { digest } from './idempotency';
import { draftDigest, overrideFor, overrideRequest } from './override';
import { type Decision, decide, settledByPolicy } from './decide';
import { foundSummary, summarizeTypes } from './labels';
import { viewFindings, type FindingView } from './mask';
import { allAddresses, domainOf, externalDomains } from './recipients';
import type { DomainVerdict, TlsSource } from './tls-source';

export interface RecipientView {
  address: string;
  domain: string;
  internal: boolean;
  verdict: DomainVerdict | null;
  override: 'always-secure' | 'known-good' | null;
}

export interface Analysis {
  recipients: RecipientView[];
  findings: (FindingView & { where: string })[];
  /** One line per attachment that could not be read: "roster.pdf: not scanned (encrypted)". */
  unscanned: string[];
  /** What the decision rests on, for its sentence: "SSN and a file that could not be scanned (scan.png)". */
  found: string;
  decision: Decision;
  /** The TLS check failed: the decision treats the unchecked domains as unprotected. */
  tlsError: string | null;
  /** A fingerprint of what was read, to notice changes cheaply. */
  fingerprint: string;
  /**
   * When the policy lets the sender send it as is on the record (decision
   * "prompt"): the override to record, given a reason, and the one already
   * recorded for this draft as it is now, if any.
   */
  override?: { request: (reason: string) => RecordOverrideRequest; recordedId: string | null };
}

/**
 * The task pane reads every format, PDF included: it runs in a browser
 * page, where the time taken only delays the live verdict, not a send.
 */
export async function readDraft(
  item: ComposeItem,
  extract: Extract = extractAttachment,
): Promise<{
  recipients: Recipients;
  subject: string;
  html: string;
  attachments: ReadAttachment[];
}> {
  const [recipients, subject, html, list] = await Promise.all([
    item.getRecipients(),
    item.getSubject(),
    item.getBodyHtml(),
    item.getAttachments(),
  ]);
  const attachments = await readAttachments(item, list, extract, { maxMillis: 5000 });
  return { recipients, subject, html, attachments };
}

export async function analyze(
  item: ComposeItem,
  policy: OrgPolicy,
  tls: TlsSource,
  forceSecure: boolean,
): Promise<Analysis> {
  const draft = await readDraft(item);
  const scan = scanMessage(
    { subject: draft.subject, body: draft.html, bodyType: 'html', attachments: draft.attachments },
    policy.detection,
  );
  const external = externalDomains(draft.recipients, policy);
  const toCheck = external.filter((d) => !settledByPolicy(d, policy));
  let verdicts = new Map<string, DomainVerdict>();
  let tlsError: string | null = null;
  if (toCheck.length > 0) {
    try {
      verdicts = await tls.verdicts(item, toCheck, 8000);
    } catch (e) {
      tlsError = e instanceof Error ? e.message : 'the TLS check failed';
    }
  }
  const decision = decide({
    externalDomains: external,
    sensitive: scan.sensitive,
    unscanned: scan.unscannedAttachments.length > 0,
    forceSecure,
    policy,
    verdicts,
  });
  const recipients = allAddresses(draft.recipients).map((address): RecipientView => {
    const domain = domainOf(address);
    const internal = external.indexOf(domain) < 0;
    const override = policy.tls.alwaysSecure.some((d) => domain === d || domain.endsWith('.' + d))
      ? 'always-secure'
      : policy.tls.knownGood.some((d) => domain === d || domain.endsWith('.' + d))
        ? 'known-good'
        : null;
    return { address, domain, internal, verdict: verdicts.get(domain) ?? null, override };
  });
  const findings: Analysis['findings'] = [];
  const byField = (field: string): typeof scan.findings => scan.findings.filter((f) => f.field === field);
  for (const v of viewFindings(draft.subject, 'text', byField('subject')))
    findings.push({ ...v, where: 'subject' });
  for (const v of viewFindings(draft.html, 'html', byField('body')))
    findings.push({ ...v, where: `body, line ${v.line}` });
  draft.attachments.forEach((a, i) => {
    const raw = a.text ?? '';
    for (const v of viewFindings(raw, a.textKind === 'html' ? 'html' : 'text', byField(`attachment:${i}`))) {
      findings.push({ ...v, where: `${a.name}, line ${v.line}` });
    }
  });
  let override: Analysis['override'];
  if (decision.kind === 'prompt') {
    const draftId = draftDigest(draft.recipients, draft.subject, draft.html, draft.attachments);
    const why = decision;
    override = {
      recordedId: await overrideFor(item, draftId),
      request: (reason) =>
        overrideRequest({
          draft: draftId,
          reason,
          findingTypes: scan.findings.map((f) => f.type),
          unscanned: scan.unscannedAttachments.length,
          why,
          verdicts,
          recipients: draft.recipients,
        }),
    };
  }
  const unread = scan.unscannedAttachments.map((i) => draft.attachments[i]?.name ?? `attachment ${i + 1}`);
  const unreadCounts = (policy.unscannedAttachments ?? 'secure') !== 'allow';
  return {
    recipients,
    findings,
    found: foundSummary(summarizeTypes(scan.findings.map((f) => f.type)), unreadCounts ? unread : []),
    unscanned: scan.unscannedAttachments.map((i) =>
      unscannedLine(
        draft.attachments[i]?.name ?? `attachment ${i + 1}`,
        draft.attachments[i]?.unscannedReason,
      ),
    ),
    decision,
    tlsError,
    ...(override === undefined ? {} : { override }),
    fingerprint: fingerprintOf(
      draft.recipients,
      draft.subject,
      draft.html,
      draft.attachments.length,
      forceSecure,
    ),
  };
}

export function fingerprintOf(
  r: Recipients,
  subject: string,
  html: string,
  attachments: number,
  force: boolean,
): string {
  return digest([allAddresses(r).join(','), subject, html, attachments, force].join('\u0000'));
}
