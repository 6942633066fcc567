/**
 * The detection engine: message in, findings out. Pure code with no DOM,
 * Office or Node imports and ES2016 regular expressions only, so the same
 * engine runs in Outlook's JavaScript-only runtime, the browser and Node.
 */
import { DEFAULT_DETECTION_POLICY, type DetectionPolicy } from '../shared/detection-policy';
import type { Finding, FindingType } from '../shared/entities';
import { attachmentKind } from './attachments';
import { scanField } from './scan';
import { prepareHtml, prepareText } from './text/prepare';
import { findProsePhi, type PreparedField } from './prose/phi';
import { joinBrokenLines, readSurfaceForms } from './text/surface';
import type { MappedText } from './text/mapped-text';

export { attachmentKind, type AttachmentKind } from './attachments';
export { prepareHtml, prepareText } from './text/prepare';
export type { MappedText } from './text/mapped-text';

export interface AttachmentInput {
  name: string;
  contentType?: string;
  /** The attachment's content as text, when the caller could read it. */
  text?: string;
  /**
   * How `text` is laid out, when an extractor produced it (a spreadsheet as
   * tab-separated rows, a document as HTML); otherwise the name decides.
   */
  textKind?: 'text' | 'html' | 'csv';
}

export interface MessageInput {
  subject?: string;
  body?: string;
  bodyType?: 'text' | 'html';
  attachments?: readonly AttachmentInput[];
}

export interface ScanResult {
  /** True when at least one finding met the policy. */
  sensitive: boolean;
  findings: Finding[];
  /** Findings per type, for a one-line summary ("2 × US_SSN, 1 × DATE_OF_BIRTH"). */
  counts: Partial<Record<FindingType, number>>;
  /** Indexes of attachments that could not be read (no text given, or a format the engine cannot parse). */
  unscannedAttachments: number[];
}

/** Scans a whole message under a policy. */
export function scanMessage(
  message: MessageInput,
  policy: DetectionPolicy = DEFAULT_DETECTION_POLICY,
): ScanResult {
  let findings: Finding[] = [];
  const unscanned: number[] = [];
  const fields: PreparedField[] = [];
  const read = (raw: string, kind: 'text' | 'html', field: Finding['field']): void => {
    const r = scanRaw(raw, kind, field, policy);
    findings = findings.concat(r.findings);
    fields.push({ field, mapped: r.mapped });
  };
  if (message.subject) read(message.subject, 'text', 'subject');
  if (message.body) read(message.body, message.bodyType ?? 'text', 'body');
  (message.attachments ?? []).forEach((a, i) => {
    const kind = a.textKind ?? attachmentKind(a.name, a.contentType);
    if (a.text === undefined || kind === 'unsupported') {
      unscanned.push(i);
      return;
    }
    read(a.text, kind === 'html' ? 'html' : 'text', `attachment:${i}`);
  });
  // A person with health information, in prose: after the identifiers, which count as persons too.
  findings = findings.concat(findProsePhi(fields, findings, policy));
  const counts: Partial<Record<FindingType, number>> = {};
  for (const f of findings) counts[f.type] = (counts[f.type] ?? 0) + 1;
  return { sensitive: findings.length > 0, findings, counts, unscannedAttachments: unscanned };
}

/** Scans one piece of text or HTML as the given field. */
export function scanText(
  raw: string,
  kind: 'text' | 'html',
  policy: DetectionPolicy = DEFAULT_DETECTION_POLICY,
  field: Finding['field'] = 'body',
): Finding[] {
  const r = scanRaw(raw, kind, field, policy);
  return r.findings.concat(findProsePhi([{ field, mapped: r.mapped }], r.findings, policy));
}

/**
 * One field's findings: its visible text (folded, numbers in words read as
 * digits), and a second reading with line breaks inside values taken out,
 * whose findings count where the first reading found nothing as strong.
 */
function scanRaw(
  raw: string,
  kind: 'text' | 'html',
  field: Finding['field'],
  policy: DetectionPolicy,
): { findings: Finding[]; mapped: MappedText } {
  const mapped: MappedText = readSurfaceForms(kind === 'html' ? prepareHtml(raw) : prepareText(raw));
  const findings = scanField(mapped, field, policy);
  const joined = joinBrokenLines(mapped);
  if (joined === undefined) return { findings, mapped };
  const extra = scanField(joined, field, policy).filter(
    (j) => !findings.some((f) => f.start < j.end && j.start < f.end && f.score >= j.score),
  );
  if (extra.length === 0) return { findings, mapped };
  // A joined value that outranks what the first reading found in its place replaces it.
  const kept = findings.filter((f) => !extra.some((j) => f.start < j.end && j.start < f.end));
  return { findings: kept.concat(extra).sort((a, b) => a.start - b.start), mapped };
}

export { DEFAULT_DETECTION_POLICY };
export type { DetectionPolicy };
