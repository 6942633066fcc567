/**
 * Masked values for the task pane: which value was meant, without the pane
 * becoming a second copy of it. Letters and digits become bullets except the
 * last four (at most half of them), separators stay: 536-22-1874 → •••-••-1874.
 */
import type { Finding } from '../../shared/entities';
import { prepareHtml, prepareText } from '../../detect/index';

const ALNUM = /[\da-z]/i;
const KEEP = 4;

export function maskValue(value: string): string {
  let alnum = 0;
  for (const c of value) if (ALNUM.test(c)) alnum++;
  const keep = Math.min(KEEP, Math.floor(alnum / 2));
  let seen = 0;
  let out = '';
  for (const c of value) {
    if (!ALNUM.test(c)) {
      out += c;
      continue;
    }
    seen++;
    out += seen > alnum - keep ? c : '•';
  }
  return out;
}

export interface FindingView {
  finding: Finding;
  /** The visible value, masked. */
  masked: string;
  /** 1-based line of the visible text the value starts on, counting lines with text (as a reader does). */
  line: number;
}

/** The masked visible value and line of each finding in one field's raw content. */
export function viewFindings(
  raw: string,
  kind: 'html' | 'text',
  findings: readonly Finding[],
): FindingView[] {
  const visible = (s: string): string => (kind === 'html' ? prepareHtml(s) : prepareText(s)).text;
  return findings.map((f) => {
    const value = visible(raw.slice(f.start, f.end)).replace(/\s+/g, ' ').trim();
    const lines = visible(raw.slice(0, f.start)).split('\n');
    const line = lines.slice(0, -1).filter((l) => l.trim() !== '').length + 1;
    return { finding: f, masked: maskValue(value), line };
  });
}
