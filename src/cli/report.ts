/**
 * How a single-message scan is shown: readable lines for a person, or one
 * JSON object for a script. Both show each value masked and never the value
 * itself, so scan output can be pasted into a ticket or a log.
 */
import { attachmentKind, prepareHtml, type MessageInput, type ScanResult } from '../detect/index';
import type { Finding } from '../shared/entities';
import { maskValue } from './mask';
import type { AttachmentInfo } from './message-file';

export interface FindingView extends Finding {
  /** The value with all but its last characters masked. */
  masked: string;
  /** 1-based line and column (UTF-16 units) of `start` within the field. */
  line: number;
  column: number;
}

/** The raw text of a field and whether it holds markup, for showing a finding's value. */
function fieldSource(message: MessageInput, field: Finding['field']): { raw: string; html: boolean } {
  if (field === 'subject') return { raw: message.subject ?? '', html: false };
  if (field === 'body') return { raw: message.body ?? '', html: message.bodyType === 'html' };
  const index = Number(field.slice('attachment:'.length));
  const a = message.attachments?.[index];
  const kind = a === undefined ? undefined : (a.textKind ?? attachmentKind(a.name, a.contentType));
  return { raw: a?.text ?? '', html: kind === 'html' };
}

export function viewFinding(message: MessageInput, finding: Finding): FindingView {
  const { raw, html } = fieldSource(message, finding.field);
  const slice = raw.slice(finding.start, finding.end);
  // In HTML the span may hold tags and entities (`123&nbsp;45</span>-6789`): show what the reader sees.
  const visible = (html ? prepareHtml(slice).text : slice).replace(/\s+/g, ' ').trim();
  // A keyword finding is the admin's marker ("[secure]"), not the sender's data.
  const masked = finding.type === 'KEYWORD' ? visible : maskValue(visible);
  return { ...finding, masked, ...lineAndColumn(raw, finding.start) };
}

export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

export interface Report {
  sensitive: boolean;
  findings: FindingView[];
  counts: ScanResult['counts'];
  unscannedAttachments: number[];
  attachments: AttachmentInfo[];
}

export function buildReport(
  message: MessageInput,
  result: ScanResult,
  attachments: AttachmentInfo[],
): Report {
  return {
    sensitive: result.sensitive,
    findings: result.findings.map((f) => viewFinding(message, f)),
    counts: result.counts,
    unscannedAttachments: result.unscannedAttachments,
    attachments,
  };
}

/** One aligned line per finding, the attachments that could not be read, then the verdict. */
export function formatReadable(report: Report): string[] {
  const rows = report.findings.map((f) => [
    f.type,
    f.masked,
    `${f.field} ${f.line}:${f.column}`,
    f.score.toFixed(2),
    f.explanation,
  ]);
  const widths = [0, 1, 2, 3].map((c) => Math.max(0, ...rows.map((r) => r[c]!.length)));
  const lines = rows.map((r) => r.map((cell, c) => (c < 4 ? cell.padEnd(widths[c]!) : cell)).join('  '));
  for (const i of report.unscannedAttachments) {
    const a = report.attachments[i];
    const type = a === undefined || a.contentType === '' ? '' : ` (${a.contentType})`;
    const what = a === undefined ? '' : ` '${a.name}'${type}`;
    const why = a?.unscannedReason?.replace(/^not scanned: /, '') ?? 'the engine cannot read this format';
    lines.push(`not scanned: attachment:${i}${what}: ${why}`);
  }
  lines.push(verdict(report));
  return lines;
}

/** "sensitive: 3 findings (US_SSN ×2, DATE_OF_BIRTH)" or "clean". */
export function verdict(
  report: Pick<Report, 'sensitive' | 'findings' | 'counts' | 'unscannedAttachments'>,
): string {
  const unscanned = report.unscannedAttachments.length;
  const note = unscanned === 0 ? '' : ` (${unscanned} attachment${unscanned === 1 ? '' : 's'} not scanned)`;
  if (!report.sensitive) return `clean${note}`;
  const n = report.findings.length;
  const types = Object.entries(report.counts)
    .map(([type, count]) => (count === 1 ? type : `${type} ×${count}`))
    .join(', ');
  return `sensitive: ${n} finding${n === 1 ? '' : 's'} (${types})${note}`;
}
