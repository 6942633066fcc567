import type { DetectionPolicy } from '../shared/detection-policy';
import type { EntityType, FieldName, Finding } from '../shared/entities';
import { LabelIndex, firstWordIndex, type Label, type LabelScan } from './labels';
import { findColumns, type Columns } from './columns';
import type { Recognizer } from './recognizer';
import { RECOGNIZERS } from './recognizers/index';
import type { MappedText } from './text/mapped-text';

/** Added to a candidate's score when its own label stands next to it. */
const CONTEXT_BOOST = 0.45;
/** Taken from a candidate's score when a harmless label ("Ticket", "Order") stands next to it. */
const DECOY_PENALTY = 0.45;
/**
 * A pattern stops after this many candidates in one field. A verdict needs one
 * finding, a person reads a few dozen; the cap keeps a hostile message with a
 * hundred thousand identifiers inside Outlook's time budget.
 */
const MAX_CANDIDATES_PER_PATTERN = 1000;
/** Score of a candidate whose own label stands in the window but is not the nearest. */
const FURTHER_LABEL_SCORE = 0.5;

const labels = new LabelIndex(RECOGNIZERS);

interface Candidate {
  type: EntityType;
  start: number;
  end: number;
  score: number;
  rule: string;
  explanation: string;
  /** Distance to the label that supports it; smaller wins a tie. */
  distance: number;
}

/**
 * Finds the sensitive values in one prepared field. Offsets in the findings
 * point into the field's raw string.
 */
export function scanField(
  mapped: MappedText,
  field: FieldName,
  policy: DetectionPolicy,
  /** What separates the cells of a table row: a tab, or a comma in CSV. */
  cellDelimiter = '\t',
): Finding[] {
  const text = mapped.text;
  const candidates: Candidate[] = [];
  // Every recognized identifier contains a digit: text without one is clean,
  // which is most subjects and many bodies.
  if (/\d/.test(text)) {
    const found = labels.scan(text);
    const columns = findColumns(text, cellDelimiter);
    for (const r of RECOGNIZERS) {
      if (policy.enabledTypes.indexOf(r.type) < 0) continue;
      collect(r, text, found, columns, policy, candidates);
    }
  }
  const findings = resolveOverlaps(candidates, text.length).map((c): Finding => {
    const [start, end] = mapped.toRaw(c.start, c.end);
    return {
      type: c.type,
      field,
      start,
      end,
      score: round(c.score),
      rule: c.rule,
      explanation: c.explanation,
    };
  });
  return findings.concat(findKeywords(mapped, field, policy.keywords));
}

function collect(
  r: Recognizer,
  text: string,
  found: LabelScan,
  columns: Columns | undefined,
  policy: DetectionPolicy,
  out: Candidate[],
): void {
  // Patterns that need context are skipped outright when no word of the
  // recognizer's context occurs anywhere in the text: cheap, and the common case.
  const mentioned = found.mentions(r.type);
  const threshold = policy.typeThresholds[r.type] ?? policy.minScore;
  for (const p of r.patterns) {
    if (p.needsContext === true && !mentioned) continue;
    // A value that needs its label can only start near one, so the pattern
    // runs in those windows alone; in a table the header may be far above.
    const windows = p.needsContext === true && columns === undefined ? found.windowsFor(r.type) : undefined;
    const re = p.regex;
    re.lastIndex = windows === undefined ? 0 : windows[0]!;
    let w = 0;
    let taken = 0;
    let m: RegExpExecArray | null;
    while (taken < MAX_CANDIDATES_PER_PATTERN && (m = re.exec(text)) !== null) {
      if (windows !== undefined) {
        // Windows are sorted: skip those ending before this match; a match
        // between windows restarts the search at the next window's start.
        while (w < windows.length && windows[w + 1]! <= m.index) w += 2;
        if (w >= windows.length) break;
        if (m.index < windows[w]!) {
          re.lastIndex = windows[w]!;
          continue;
        }
      }
      const v = r.validate(m[0]);
      if (v === undefined) continue;
      const start = m.index;
      const end = start + (v.length ?? m[0].length);
      // What the pattern took beyond the identifier may hold the next one.
      if (v.length !== undefined) re.lastIndex = end;
      const near = found.around(start, end, r.type, columns?.headerOf(start));
      const label = near.nearest;
      const own =
        label !== undefined && label.types.indexOf(r.type) >= 0 && gapFits(r, text, label, start, end);
      const decoy = label !== undefined && label.types.length === 0;
      // A header row ("Name  SSN  DOB" above the values) puts another type's
      // label nearer than the value's own; the own label further back still
      // counts, for less.
      // Not for types whose label must stand right by the value (dates).
      const ownFurther = !own && !decoy && r.labelGap === undefined ? near.ownDistance : undefined;
      if (p.needsContext === true && !own && ownFurther === undefined) continue;
      let score = p.score + (v.scoreDelta ?? 0);
      if (own) score += CONTEXT_BOOST;
      else if (ownFurther !== undefined) score = Math.max(score, FURTHER_LABEL_SCORE);
      else if (decoy) score -= DECOY_PENALTY;
      score = Math.min(1, score);
      if (score < threshold) continue;
      const distance = own ? label.distance : (ownFurther ?? Number.MAX_SAFE_INTEGER);
      taken++;
      out.push({
        type: r.type,
        start,
        end,
        score,
        rule: `${r.type}/${p.name}`,
        explanation: own
          ? `${v.detail} near '${label.keyword}'`
          : ownFurther !== undefined
            ? `${v.detail} under a ${r.type} label`
            : v.detail,
        distance,
      });
    }
  }
}

/** Whether what stands between a candidate and its label is allowed for the type. */
function gapFits(r: Recognizer, text: string, label: Label, start: number, end: number): boolean {
  if (r.labelGap === undefined || label.header === true) return true;
  const gap = label.after ? text.slice(end, end + label.distance) : text.slice(start - label.distance, start);
  return r.labelGap.test(gap);
}

/**
 * Keeps the strongest of candidates that claim the same characters: a nine-digit
 * number can be an SSN, a routing number or an EIN, and the label beside it
 * decides which.
 */
function resolveOverlaps(candidates: Candidate[], length: number): Candidate[] {
  if (candidates.length <= 1) return candidates;
  const order = candidates.map((c, i) => ({ c, i }));
  order.sort((a, b) => b.c.score - a.c.score || a.c.distance - b.c.distance || a.i - b.i);
  // One flag per character claimed so far: linear in the text, however many candidates.
  const claimed = new Uint8Array(length);
  const kept: Candidate[] = [];
  for (const { c } of order) {
    let free = true;
    for (let i = c.start; i < c.end && free; i++) free = claimed[i] === 0;
    if (!free) continue;
    claimed.fill(1, c.start, c.end);
    kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** The policy's marker words ("[secure]", "confidential") wherever they occur. */
function findKeywords(mapped: MappedText, field: FieldName, keywords: readonly string[]): Finding[] {
  if (keywords.length === 0) return [];
  const lower = mapped.text.toLowerCase();
  const out: Finding[] = [];
  for (const keyword of keywords) {
    const k = keyword.toLowerCase();
    const at = firstWordIndex(lower, k);
    if (at < 0) continue;
    const [start, end] = mapped.toRaw(at, at + k.length);
    out.push({
      type: 'KEYWORD',
      field,
      start,
      end,
      score: 1,
      rule: 'KEYWORD/policy',
      explanation: `the marker '${keyword}' set in policy`,
    });
  }
  return out;
}

function round(score: number): number {
  return Math.round(score * 100) / 100;
}
