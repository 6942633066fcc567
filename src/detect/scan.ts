import type { DetectionPolicy } from '../shared/detection-policy';
import type { EntityType, FieldName, Finding } from '../shared/entities';
import { LANGUAGES } from './lang/index';
import { DigitRuns, matcher, type Matcher } from './candidates';
import { LabelIndex, firstWordIndex, type LabelScan } from './labels';
import type { Pattern, Recognizer, ValueContext } from './recognizer';
import { RECOGNIZERS } from './recognizers/index';
import { readZones, type Zone, type ZoneIndex } from './structure/index';
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
/** Less boost for a type the zone names beside its main one ("Subscriber" in "Subscriber SSN"). */
const SECONDARY_ZONE_BOOST = 0.35;
/** Score of a value that the message's structure alone names (a column of birth dates in CCYYMMDD). */
const STRUCTURE_SCORE = 0.85;

const labels = new LabelIndex(LANGUAGES);

/** What a field's scan needs of one recognizer, made once. */
interface Plan {
  readonly r: Recognizer;
  /** Its own type and the types whose labels also speak for it. */
  readonly labelTypes: readonly EntityType[];
  readonly patterns: readonly { readonly p: Pattern; readonly matcher: Matcher; readonly rule: string }[];
}

const PLANS: readonly Plan[] = RECOGNIZERS.map((r) => ({
  r,
  labelTypes: r.alsoLabelledBy === undefined ? [r.type] : [r.type, ...r.alsoLabelledBy],
  patterns: r.patterns.map((p) => ({ p, matcher: matcher(p.regex, p.lead), rule: `${r.type}/${p.name}` })),
}));

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

/** What one field's scan knows beyond its text. */
interface FieldContext {
  readonly text: string;
  readonly labels: LabelScan;
  readonly zones: ZoneIndex;
  readonly policy: DetectionPolicy;
  /** Where runs of digits start: the only places patterns need trying. */
  readonly runs: DigitRuns;
  /** How a numeric date reads where no label says: the field's language decides. */
  dateOrder(): ValueContext['dateOrder'];
}

/**
 * Finds the sensitive values in one prepared field. Offsets in the findings
 * point into the field's raw string.
 */
export function scanField(mapped: MappedText, field: FieldName, policy: DetectionPolicy): Finding[] {
  const text = mapped.text;
  const candidates: Candidate[] = [];
  // Every recognized identifier contains a digit: text without one is clean,
  // which is most subjects and many bodies.
  if (/\d/.test(text)) {
    const found = labels.scan(text);
    let order: ValueContext['dateOrder'] | null = null;
    const ctx: FieldContext = {
      text,
      labels: found,
      zones: readZones(text, found),
      policy,
      runs: new DigitRuns(text),
      dateOrder: () => {
        if (order === null) order = languageDateOrder(text);
        return order;
      },
    };
    for (const plan of PLANS) {
      if (policy.enabledTypes.indexOf(plan.r.type) < 0) continue;
      collect(plan, ctx, candidates);
    }
    collectStructured(ctx, candidates);
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
  const markers = findKeywords(mapped, field, policy.keywords);
  return markers.length === 0 ? findings : findings.concat(markers);
}

/** Whether a label of `types` speaks for recognizer `r`. */
function labelsFor(r: Recognizer, types: readonly EntityType[]): boolean {
  if (types.indexOf(r.type) >= 0) return true;
  const also = r.alsoLabelledBy;
  if (also === undefined) return false;
  for (const t of also) if (types.indexOf(t) >= 0) return true;
  return false;
}

function collect(plan: Plan, ctx: FieldContext, out: Candidate[]): void {
  const { r, labelTypes } = plan;
  const { text, labels: found, zones, policy, runs } = ctx;
  // Patterns that need context are skipped outright when no label of the
  // recognizer occurs anywhere and no zone names its type: cheap, and the common case.
  let mentioned = false;
  for (const t of labelTypes) if (found.mentions(t)) mentioned = true;
  if (!mentioned) mentioned = zonesName(zones, r);
  // Read when a candidate needs it: most recognizers find none in a field.
  let threshold: number | undefined;
  // The same for every pattern of the recognizer: made for the first that needs them.
  let ownWindows: readonly number[] | undefined;
  for (const { p, matcher: re, rule } of plan.patterns) {
    if (p.needsContext === true && !mentioned) continue;
    // A value that needs its label can only start near one or inside a zone
    // that names its type (a column under its header, an X12 element), so the
    // pattern runs in those windows alone.
    if (p.needsContext === true) ownWindows ??= contextWindows(found, zones, r, labelTypes);
    const windows = p.needsContext === true ? ownWindows : undefined;
    let from = windows === undefined ? 0 : windows[0]!;
    let w = 0;
    let taken = 0;
    let m: RegExpExecArray | null;
    while (taken < MAX_CANDIDATES_PER_PATTERN && (m = runs.next(re, from)) !== null) {
      from = m.index + m[0].length;
      if (windows !== undefined) {
        // Windows are sorted: skip those ending before this match; a match
        // between windows restarts the search at the next window's start.
        while (w < windows.length && windows[w + 1]! <= m.index) w += 2;
        if (w >= windows.length) break;
        if (m.index < windows[w]!) {
          from = windows[w]!;
          continue;
        }
      }
      const start = m.index;
      if (p.standsAlone === true && continuesRun(text, start)) continue;
      const zone = zones.containing(start, start + m[0].length);
      const candidate =
        zone !== undefined
          ? judgeInZone(r, p.score, p.needsContext === true, m[0], start, zone)
          : judgeByLabels(r, p.score, p.needsContext === true, m[0], start, ctx);
      if (candidate === undefined) continue;
      // What the pattern took beyond the identifier may hold the next one.
      if (candidate.end < start + m[0].length) from = candidate.end;
      threshold ??= policy.typeThresholds[r.type] ?? policy.minScore;
      if (candidate.score < threshold) continue;
      candidate.rule = rule;
      taken++;
      out.push(candidate);
    }
  }
}

/** A candidate inside a zone: the structure, not the words around it, says what it is. */
function judgeInZone(
  r: Recognizer,
  base: number,
  needsContext: boolean,
  value: string,
  start: number,
  zone: Zone,
): Candidate | undefined {
  const own = labelsFor(r, zone.types);
  // Under another type's header, or in an element that holds no identifier,
  // a value that needs its label has none.
  if (!own && needsContext) return undefined;
  const v = r.validate(value, { dateOrder: zone.dateOrder });
  if (v === undefined) return undefined;
  let score = base + (v.scoreDelta ?? 0);
  if (own)
    score +=
      zone.types[0] === r.type || labelsFor(r, zone.types.slice(0, 1)) ? CONTEXT_BOOST : SECONDARY_ZONE_BOOST;
  else if (zone.types.length === 0 && zone.unlabelled !== true) score -= DECOY_PENALTY;
  return {
    type: r.type,
    start,
    end: start + (v.length ?? value.length),
    score: Math.min(1, score),
    rule: '',
    explanation: own ? `${v.detail} in ${zone.label}` : v.detail,
    distance: own ? 0 : Number.MAX_SAFE_INTEGER,
  };
}

/** A candidate in running text: the nearest label decides. */
function judgeByLabels(
  r: Recognizer,
  base: number,
  needsContext: boolean,
  value: string,
  start: number,
  ctx: FieldContext,
): Candidate | undefined {
  const near = ctx.labels.around(start, start + value.length, r.type);
  const label = near.nearest;
  const language = label?.lang === undefined ? undefined : LANGUAGES.find((l) => l.code === label.lang);
  const dateOrder =
    language !== undefined
      ? language.dayFirst
        ? 'day-first'
        : 'month-first'
      : r.type === 'DATE_OF_BIRTH'
        ? ctx.dateOrder()
        : undefined;
  const v = r.validate(value, { dateOrder });
  if (v === undefined) return undefined;
  const end = start + (v.length ?? value.length);
  const own = label !== undefined && labelsFor(r, label.types) && gapFits(r, ctx.text, label, start, end);
  const decoy = label !== undefined && label.types.length === 0;
  // A header row ("Name  SSN  DOB" above the values) puts another type's
  // label nearer than the value's own; the own label further back still
  // counts, for less. Not for types whose label must stand right by the value (dates).
  const ownFurther = !own && !decoy && r.labelGap === undefined ? near.ownDistance : undefined;
  if (needsContext && !own && ownFurther === undefined) return undefined;
  let score = base + (v.scoreDelta ?? 0);
  if (own) score += CONTEXT_BOOST;
  else if (ownFurther !== undefined) score = Math.max(score, FURTHER_LABEL_SCORE);
  else if (decoy) score -= DECOY_PENALTY;
  return {
    type: r.type,
    start,
    end,
    score: Math.min(1, score),
    rule: '',
    explanation: own
      ? `${v.detail} near '${label.keyword}'`
      : ownFurther !== undefined
        ? `${v.detail} under a ${r.type} label`
        : v.detail,
    distance: own ? label.distance : (ownFurther ?? Number.MAX_SAFE_INTEGER),
  };
}

/**
 * Whether the match at `start` continues a run of groups before it: after an
 * IBAN's head ("RS35 2600 0560…"), or after two groups written with the same
 * separator ("… 1234 5678 2600 0560…"). A number after a whole other number
 * ("4012888888881881 4012-8888-8888-1881") stands alone.
 */
function continuesRun(text: string, start: number): boolean {
  const sep = text.charAt(start - 1);
  if (sep !== ' ' && sep !== '-' && sep !== '.') return false;
  let i = start - 2;
  let digits = 0;
  let letters = 0;
  for (; i >= 0 && start - 2 - i < 7; i--) {
    const c = text.charAt(i);
    if (c >= '0' && c <= '9') digits++;
    else if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) letters++;
    else break;
  }
  const length = digits + letters;
  if (length === 0 || length > 6 || digits === 0) return false;
  if (letters > 0) return true;
  return text.charAt(i) === sep && /\d/.test(text.charAt(i - 1));
}

/**
 * Sorted, disjoint ranges `[from, to)` (flattened) where a value of `r` that
 * needs its label may start: near one of its labels, or inside a zone that
 * names its type. Elsewhere such a value is judged to have no label.
 */
function contextWindows(
  found: LabelScan,
  zones: ZoneIndex,
  r: Recognizer,
  labelTypes: readonly EntityType[],
): readonly number[] {
  const near = found.windowsFor(labelTypes);
  if (zones.size === 0) return near;
  const own: number[] = [];
  for (const z of zones.all()) if (labelsFor(r, z.types)) own.push(z.start, z.end);
  if (own.length === 0) return near;
  // Both lists are sorted by start: merge them, joining ranges that touch.
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < near.length || j < own.length) {
    const fromNear = j >= own.length || (i < near.length && near[i]! <= own[j]!);
    const from = fromNear ? near[i]! : own[j]!;
    const to = fromNear ? near[i + 1]! : own[j + 1]!;
    if (fromNear) i += 2;
    else j += 2;
    const n = out.length;
    if (n > 0 && from <= out[n - 1]!) out[n - 1] = Math.max(out[n - 1]!, to);
    else out.push(from, to);
  }
  return out;
}

/** Whether any zone names the recognizer's type. */
function zonesName(zones: ZoneIndex, r: Recognizer): boolean {
  for (const z of zones.all()) if (labelsFor(r, z.types)) return true;
  return false;
}

/**
 * Values that the structure names but no pattern matched: a birth date in a
 * DOB column written 19580312, an HL7 birth time. Each zone's whole value is
 * tried against the shape its type may take there and the type's own rules.
 */
function collectStructured(ctx: FieldContext, out: Candidate[]): void {
  const zones = ctx.zones.all();
  if (zones.length === 0) return;
  const claimed = new Set<string>();
  for (const c of out) claimed.add(c.type + ':' + String(ctx.zones.containing(c.start, c.end)?.start ?? -1));
  for (const zone of zones) {
    for (const type of zone.types) {
      if (claimed.has(type + ':' + String(zone.start))) continue;
      const r = RECOGNIZERS.find((x) => x.type === type);
      if (r?.structured === undefined || ctx.policy.enabledTypes.indexOf(type) < 0) continue;
      const value = ctx.text.slice(zone.start, zone.end);
      if (value.length > 40 || !r.structured.test(value)) continue;
      const v = r.validate(value, { dateOrder: zone.dateOrder });
      if (v === undefined) continue;
      const threshold = ctx.policy.typeThresholds[type] ?? ctx.policy.minScore;
      if (STRUCTURE_SCORE < threshold) continue;
      out.push({
        type,
        start: zone.start,
        end: zone.end,
        score: STRUCTURE_SCORE,
        rule: `${type}/structure`,
        explanation: `${v.detail} in ${zone.label}`,
        distance: 0,
      });
    }
  }
}

/** Whether what stands between a candidate and its label is allowed for the type. */
function gapFits(
  r: Recognizer,
  text: string,
  label: { distance: number; after?: boolean },
  start: number,
  end: number,
): boolean {
  if (r.labelGap === undefined) return true;
  const gap = label.after ? text.slice(end, end + label.distance) : text.slice(start - label.distance, start);
  return r.labelGap.test(gap);
}

const COMMON_WORDS = LANGUAGES.map((l) => ({
  language: l,
  regex: new RegExp('\\b(?:' + l.commonWords.join('|') + ')\\b', 'gi'),
}));
/** How much of a field is read to tell its language: a few paragraphs say it. */
const LANGUAGE_SAMPLE = 4096;

/** How numeric dates read in this field: as its language writes them. */
function languageDateOrder(text: string): ValueContext['dateOrder'] {
  const sample = text.length > LANGUAGE_SAMPLE ? text.slice(0, LANGUAGE_SAMPLE) : text;
  let best = COMMON_WORDS[0]!;
  let bestCount = -1;
  for (const c of COMMON_WORDS) {
    c.regex.lastIndex = 0;
    const n = (sample.match(c.regex) ?? []).length;
    if (n > bestCount) {
      best = c;
      bestCount = n;
    }
  }
  return best.language.dayFirst ? 'day-first' : 'month-first';
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
  let lower: string | undefined;
  const out: Finding[] = [];
  for (const keyword of keywords) {
    const k = keyword.toLowerCase();
    // A marker opening with a sign ("[secure]", "#secure") that the text lacks
    // is not in it: no lower-case copy of the text is needed to tell.
    const first = k.charAt(0);
    if (first.toUpperCase() === first && first !== '' && mapped.text.indexOf(first) < 0) continue;
    if (lower === undefined) lower = mapped.text.toLowerCase();
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
