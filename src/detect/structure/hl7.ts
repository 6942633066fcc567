/**
 * Reads HL7 version 2 messages pasted into mail (ADT, ORU, DFT and the like).
 * A field means what its segment and position say: PID-19 is the patient's
 * SSN, PID-7 the birth date, IN1-36 the policy number; an identifier in a CX
 * field names its own kind in CX.5 ("MR", "SS", "MB"...). The tables below are
 * that meaning; the reader finds segments and looks their fields up.
 */
import type { EntityType } from '../../shared/entities';
import { identifierTypeOf } from './identifier-types';
import { isSpace, isUpperAlnum, pushZone, splitSpan, trimSpan, type Span } from './segments';
import type { Zone } from './zone';

type Types = readonly EntityType[];

type FieldRule =
  /** Extended composite ID (CX): ID^check digit^scheme^assigning authority^identifier type code. */
  | { readonly kind: 'cx'; readonly what: string; readonly otherwise?: Types }
  /** Extended composite ID and name of a person (XCN): a practitioner's ID in the first component. */
  | { readonly kind: 'xcn'; readonly what: string }
  /** The first component of each repetition (or the whole repetition) always holds one kind of value. */
  | {
      readonly kind: 'value';
      readonly what: string;
      readonly types: Types;
      readonly dateOrder?: Zone['dateOrder'];
      readonly whole?: boolean;
    }
  /** A coded diagnosis (CE/CWE): code^text^coding system^alternate code^text^alternate system. */
  | { readonly kind: 'diagnosis'; readonly what: string }
  /** OBX-5, whose meaning OBX-3 states. */
  | { readonly kind: 'observation' };

const NONE: Types = [];
const MRN: Types = ['MRN'];
const MEMBER: Types = ['MEMBER_ID'];
const SSN: Types = ['US_SSN'];

const cx = (what: string, otherwise?: Types): FieldRule =>
  otherwise === undefined ? { kind: 'cx', what } : { kind: 'cx', what, otherwise };
const xcn = (what: string): FieldRule => ({ kind: 'xcn', what });
const value = (what: string, types: Types): FieldRule => ({ kind: 'value', what, types });
const none = (what: string): FieldRule => ({ kind: 'value', what, types: NONE });
const birthDate = (what: string): FieldRule => ({
  kind: 'value',
  what,
  types: ['DATE_OF_BIRTH'],
  dateOrder: 'year-first',
});
const diagnosis = (what: string): FieldRule => ({ kind: 'diagnosis', what });

/**
 * Segment → field number (as HL7 counts them: MSH-1 is the field separator
 * itself) → what the field holds.
 */
const FIELDS: Readonly<Record<string, Readonly<Record<number, FieldRule>>>> = {
  MSH: { 7: none('message date/time'), 10: none('message control ID') },
  EVN: { 2: none('recorded date/time'), 6: none('event occurred') },
  PID: {
    2: cx('patient ID', MRN),
    3: cx('patient identifier', MRN),
    4: cx('alternate patient ID', MRN),
    7: birthDate('date of birth'),
    13: none('home phone number'),
    14: none('business phone number'),
    // The provider's billing account for the encounter: the number an 837 carries in
    // CLM01 as the claim submitter's identifier, which is not a person's identifier either.
    18: cx('patient account number', NONE),
    19: value('SSN', SSN),
    20: none("driver's license number"),
    21: cx("mother's identifier", MRN),
    29: none('death date/time'),
  },
  MRG: {
    1: cx('prior patient identifier', MRN),
    3: cx('prior patient account number', NONE),
    5: cx('prior visit number', NONE),
  },
  NK1: {
    5: none('phone number'),
    6: none('business phone number'),
    16: birthDate('date of birth'),
    33: cx('associated party identifier'),
    37: value('contact person SSN', SSN),
  },
  PV1: {
    7: xcn('attending doctor'),
    8: xcn('referring doctor'),
    9: xcn('consulting doctor'),
    17: xcn('admitting doctor'),
    19: cx('visit number', NONE),
    44: none('admit date/time'),
    45: none('discharge date/time'),
    50: cx('alternate visit ID', NONE),
    52: xcn('other healthcare provider'),
  },
  IN1: {
    2: none('insurance plan ID'),
    3: cx('insurance company ID', NONE),
    8: none('group number'),
    12: none('plan effective date'),
    13: none('plan expiration date'),
    18: birthDate("insured's date of birth"),
    29: none('verification date/time'),
    36: value('policy number', MEMBER),
    49: cx("insured's ID number", MEMBER),
  },
  IN2: {
    1: cx("insured's employee ID", NONE),
    2: value("insured's SSN", SSN),
    6: value('Medicare health insurance card number', ['MEDICARE_MBI', 'MEMBER_ID']),
    8: value('Medicaid case number', MEMBER),
    61: cx('patient member number', MEMBER),
  },
  GT1: {
    2: cx('guarantor number', NONE),
    6: none('guarantor phone number'),
    7: none('guarantor business phone number'),
    8: birthDate("guarantor's date of birth"),
    12: value('guarantor SSN', SSN),
  },
  DG1: { 3: diagnosis('diagnosis code'), 5: none('diagnosis date/time'), 16: xcn('diagnosing clinician') },
  PR1: { 3: none('procedure code'), 5: none('procedure date/time'), 11: xcn('surgeon') },
  FT1: {
    2: none('transaction ID'),
    4: none('transaction date'),
    7: none('transaction code'),
    10: none('transaction quantity'),
    11: none('transaction amount'),
    12: none('transaction amount'),
    19: diagnosis('diagnosis code'),
    20: xcn('performed by'),
    21: xcn('ordered by'),
    25: none('procedure code'),
  },
  ORC: { 2: none('placer order number'), 3: none('filler order number'), 12: xcn('ordering provider') },
  OBR: {
    2: none('placer order number'),
    3: none('filler order number'),
    4: none('universal service identifier'),
    7: none('observation date/time'),
    16: xcn('ordering provider'),
  },
  OBX: { 3: none('observation identifier'), 5: { kind: 'observation' }, 14: none('observation date/time') },
  ROL: { 4: xcn('role person') },
};

/** Segments that may open a fragment pasted without its MSH header. */
const FRAGMENT_OPENERS = new Set<string>(
  Object.keys(FIELDS).concat(['PD1', 'PV2', 'IN3', 'AL1', 'NTE', 'ACC', 'UB1', 'UB2', 'DRG', 'SPM', 'TQ1']),
);

/** Assigning authorities (CX.4, XCN.9) whose numbers are of one kind whatever the type code says. */
const AUTHORITIES: Readonly<Record<string, Types>> = {
  SSA: SSN,
  USSSA: SSN,
  '2.16.840.1.113883.4.1': SSN,
  NPI: ['NPI'],
  '2.16.840.1.113883.4.6': ['NPI'],
};

/** Coding systems (CE.3 / CWE.3) whose codes are diagnoses. */
// prettier-ignore
const DIAGNOSIS_SYSTEMS = new Set<string>([
  'I10', 'I10C', 'ICD10', 'ICD10CM', 'ICD-10', 'ICD-10-CM', 'ICD10-CM',
  // ICD-9-CM diagnoses: still a diagnosis, and the contract has one diagnosis type.
  'I9', 'I9C', 'ICD9', 'ICD9CM', 'ICD-9-CM',
]);

/** What an OBX-3 observation identifier says OBX-5 holds, by LOINC code or by its text. */
const OBSERVATION_CODES: Readonly<Record<string, Types>> = {
  '21112-8': ['DATE_OF_BIRTH'],
};
const OBSERVATION_WORDS: readonly (readonly [RegExp, Types])[] = [
  [/\b(?:social security|ssn)\b/i, SSN],
  [/\b(?:date of birth|birth ?date|dob)\b/i, ['DATE_OF_BIRTH']],
  [/\b(?:medical record|mrn)\b/i, MRN],
  [/\bmedicare (?:number|id|beneficiary)|\bmbi\b/i, ['MEDICARE_MBI']],
  [/\b(?:member|subscriber) (?:id|number)\b/i, MEMBER],
  [/\bnpi\b/i, ['NPI']],
];

/** The separators a message declares in MSH-1 and MSH-2. */
interface Separators {
  readonly field: number;
  readonly component: number;
  readonly repetition: number;
  readonly subcomponent: number;
}

/** What a fragment without MSH is taken to use: HL7's recommended `|^~\&`. */
const DEFAULT_SEPARATORS: Separators = { field: 0x7c, component: 0x5e, repetition: 0x7e, subcomponent: 0x26 };

// A segment identifier: a letter and two letters or digits, then a separator.
const SEGMENT_ID = /[A-Z][A-Z\d]{2}[^A-Za-z\d\s]/g;

/** Zones for every HL7 v2 field whose meaning the standard states. */
export function readHl7(text: string): Zone[] {
  if (text.indexOf('|') < 0 && text.indexOf('MSH') < 0) return [];
  const zones: Zone[] = [];
  let from = 0;
  while (from < text.length) {
    SEGMENT_ID.lastIndex = from;
    const m = SEGMENT_ID.exec(text);
    if (m === null) break;
    const at = m.index;
    const id = m[0].slice(0, 3);
    let seps: Separators | undefined;
    if (id === 'MSH' && (at === 0 || !isUpperAlnum(text.charCodeAt(at - 1)))) {
      seps = declaredSeparators(text, at);
    } else if (FRAGMENT_OPENERS.has(id) && m[0].charCodeAt(3) === 0x7c) {
      // At a line start the identifier and its bar make a segment; after a word
      // ("the feed sent: PID|1||…") it takes a run of fields.
      if (atLineStart(text, at) || (afterWordBreak(text, at) && barsOnLine(text, at, 4)))
        seps = DEFAULT_SEPARATORS;
    }
    from = seps === undefined ? at + 1 : Math.max(at + 1, readSegments(text, at, seps, zones));
  }
  return zones;
}

/**
 * MSH-1 is the character after "MSH"; MSH-2 the encoding characters up to the
 * next field separator: component, repetition, escape, subcomponent (and, from
 * v2.7, truncation).
 */
function declaredSeparators(text: string, at: number): Separators | undefined {
  const field = text.charCodeAt(at + 3);
  const encoding: number[] = [];
  for (let i = at + 4; i < text.length && i <= at + 9; i++) {
    const c = text.charCodeAt(i);
    if (c === field) break;
    if (isUpperAlnum(c) || isSpace(c) || (c >= 0x61 && c <= 0x7a) || encoding.indexOf(c) >= 0)
      return undefined;
    encoding.push(c);
  }
  if (encoding.length < 2 || encoding.length > 5 || text.charCodeAt(at + 4 + encoding.length) !== field) {
    return undefined;
  }
  return {
    field,
    component: encoding[0]!,
    repetition: encoding[1]!,
    subcomponent: encoding[3] ?? DEFAULT_SEPARATORS.subcomponent,
  };
}

/** Whether `at` starts a line, after indentation or a reply's `>` markers. */
function atLineStart(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x3e /* > */) i--;
    else return c === 0x0a || c === 0x0d;
  }
  return true;
}

/** Whether `at` follows a space or a colon: a segment quoted inside a sentence. */
function afterWordBreak(text: string, at: number): boolean {
  const c = text.charCodeAt(at - 1);
  return c === 0x20 || c === 0x09 || c === 0x3a;
}

/** Whether the line from `at` holds at least `count` bars. */
function barsOnLine(text: string, at: number, count: number): boolean {
  let seen = 0;
  for (let i = at; i < text.length && seen < count; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return false;
    if (c === 0x7c) seen++;
  }
  return seen >= count;
}

/**
 * Reads segments, one a line, from `at`; returns where they stop (the first
 * line that is not a segment, or the next MSH, which declares its own
 * separators).
 */
function readSegments(text: string, at: number, seps: Separators, zones: Zone[]): number {
  const n = text.length;
  let pos = at;
  let first = true;
  while (pos < n) {
    let start = pos;
    while (start < n && (isSpace(text.charCodeAt(start)) || text.charCodeAt(start) === 0x3e)) start++;
    if (!isSegmentId(text, start, seps.field)) return start;
    const id = text.slice(start, start + 3);
    if (!first && id === 'MSH') return start;
    let end = start + 4;
    while (end < n && text.charCodeAt(end) !== 0x0a && text.charCodeAt(end) !== 0x0d) end++;
    const rules = SEGMENT_RULES.get(id);
    if (rules !== undefined) readFields(text, { start, end }, rules, seps, zones);
    pos = end;
    first = false;
  }
  return n;
}

function isSegmentId(text: string, at: number, field: number): boolean {
  const c = text.charCodeAt(at);
  return (
    c >= 0x41 &&
    c <= 0x5a &&
    isUpperAlnum(text.charCodeAt(at + 1)) &&
    isUpperAlnum(text.charCodeAt(at + 2)) &&
    text.charCodeAt(at + 3) === field
  );
}

/** One field's rule with its labels, built once. */
interface FieldEntry {
  readonly n: number;
  readonly rule: FieldRule;
  /** "HL7 PID-3". */
  readonly position: string;
  /** "HL7 PID-3 patient identifier". */
  readonly label: string;
}

/** A segment's rules in field order, with the last field they read. */
interface SegmentRules {
  readonly shift: number;
  readonly last: number;
  readonly fields: readonly FieldEntry[];
}

const SEGMENT_RULES = new Map<string, SegmentRules>();
for (const id of Object.keys(FIELDS)) {
  const rules = FIELDS[id]!;
  // MSH-1 is the separator itself, so MSH's pieces are numbered one higher.
  const shift = id === 'MSH' ? 1 : 0;
  const fields = Object.keys(rules)
    .map(Number)
    .sort((x, y) => x - y)
    .map((n): FieldEntry => {
      const rule = rules[n]!;
      const position = `HL7 ${id}-${n}`;
      return {
        n,
        rule,
        position,
        label: rule.kind === 'observation' ? position : `${position} ${rule.what}`,
      };
    });
  SEGMENT_RULES.set(id, { shift, last: fields[fields.length - 1]!.n - shift, fields });
}

function readFields(text: string, segment: Span, rules: SegmentRules, seps: Separators, zones: Zone[]): void {
  const { shift, last } = rules;
  // Fields past the last one the rules read stay in one piece.
  const fields = splitSpan(text, segment, seps.field, last + 1);
  const field = (n: number): Span | undefined => (n - shift < last + 1 ? fields[n - shift] : undefined);
  for (const { n, rule, position, label } of rules.fields) {
    const span = field(n);
    if (span === undefined || span.end <= span.start) continue;
    switch (rule.kind) {
      case 'cx':
        eachRepetition(text, span, seps, (rep) => {
          readIdentifier(text, rep, seps, 5, 4, rule, label, zones);
        });
        break;
      case 'xcn':
        eachRepetition(text, span, seps, (rep) => {
          readIdentifier(text, rep, seps, 13, 9, { otherwise: ['NPI'] }, label, zones);
        });
        break;
      case 'value':
        eachRepetition(text, span, seps, (rep) => {
          const target = rule.whole === true ? rep : components(text, rep, seps, 1)[0]!;
          push(zones, text, target, rule.types, label, rule.dateOrder);
        });
        break;
      case 'diagnosis':
        eachRepetition(text, span, seps, (rep) => {
          readDiagnosis(text, rep, seps, label, zones);
        });
        break;
      case 'observation':
        readObservation(text, field(3), span, seps, position, zones);
        break;
    }
  }
}

/** Calls `fn` with each non-empty repetition of a field, without collecting them. */
function eachRepetition(text: string, span: Span, seps: Separators, fn: (rep: Span) => void): void {
  let from = span.start;
  for (let i = span.start; i <= span.end; i++) {
    if (i < span.end && text.charCodeAt(i) !== seps.repetition) continue;
    if (i > from) fn({ start: from, end: i });
    from = i + 1;
  }
}

/** The first `k` components of a repetition (the k-th may run on to its end when there are more). */
function components(text: string, span: Span, seps: Separators, k: number): Span[] {
  const parts = splitSpan(text, span, seps.component, k);
  // The piece after the k-th holds the rest; the k-th itself is exact.
  return parts.slice(0, k);
}

function valueOf(text: string, span: Span | undefined, seps: Separators): string {
  if (span === undefined) return '';
  const first = splitSpan(text, span, seps.subcomponent, 1)[0]!;
  return text.slice(first.start, first.end).trim();
}

/**
 * One identifier of a CX or XCN field: its kind from the type code, else from
 * the assigning authority, else the field's default.
 */
function readIdentifier(
  text: string,
  rep: Span,
  seps: Separators,
  typeAt: number,
  authorityAt: number,
  rule: { readonly otherwise?: Types },
  label: string,
  zones: Zone[],
): void {
  const parts = components(text, rep, seps, typeAt);
  const typeCode = valueOf(text, parts[typeAt - 1], seps);
  const authority = parts[authorityAt - 1];
  const byCode = typeCode === '' ? undefined : identifierTypeOf(typeCode);
  const types = byCode ?? authorityTypes(text, authority, seps) ?? rule.otherwise;
  if (types === undefined) return;
  const suffix = byCode === undefined ? '' : ` (${typeCode})`;
  push(zones, text, parts[0]!, types, label + suffix);
}

/** An assigning authority (HD: namespace&universal ID&type) that says what its numbers are. */
function authorityTypes(text: string, span: Span | undefined, seps: Separators): Types | undefined {
  if (span === undefined) return undefined;
  for (const part of splitSpan(text, span, seps.subcomponent, 2).slice(0, 2)) {
    const name = text.slice(part.start, part.end).trim();
    if (Object.prototype.hasOwnProperty.call(AUTHORITIES, name)) return AUTHORITIES[name];
  }
  return undefined;
}

/**
 * A coded diagnosis: the code (and the alternate code) is ICD when its coding
 * system says so or says nothing, since diagnosis fields in US messages carry
 * ICD-10-CM; any other system (SNOMED CT, a local list) is not one of ours.
 */
function readDiagnosis(text: string, rep: Span, seps: Separators, label: string, zones: Zone[]): void {
  const parts = components(text, rep, seps, 6);
  for (const [codeAt, systemAt] of [
    [0, 2],
    [3, 5],
  ] as const) {
    const codeSpan = parts[codeAt];
    if (codeSpan === undefined) continue;
    const system = valueOf(text, parts[systemAt], seps).toUpperCase();
    const types: Types = system === '' || DIAGNOSIS_SYSTEMS.has(system) ? ['ICD10'] : NONE;
    push(zones, text, codeSpan, types, system === '' ? label : `${label} (${system})`);
  }
}

/**
 * OBX-5 is a result: a number, a text, a coded answer. It is an identifier
 * only when OBX-3 asks for one ("Social Security number", LOINC 21112-8 birth
 * date); any other result does not count, however it looks.
 */
function readObservation(
  text: string,
  identifier: Span | undefined,
  result: Span,
  seps: Separators,
  position: string,
  zones: Zone[],
): void {
  let types: Types = NONE;
  if (identifier !== undefined) {
    const parts = components(text, identifier, seps, 2);
    const code = valueOf(text, parts[0], seps);
    const words = parts[1] === undefined ? '' : text.slice(parts[1].start, parts[1].end);
    if (Object.prototype.hasOwnProperty.call(OBSERVATION_CODES, code)) types = OBSERVATION_CODES[code]!;
    else {
      for (const [re, t] of OBSERVATION_WORDS) {
        if (re.test(words) || re.test(code)) {
          types = t;
          break;
        }
      }
    }
  }
  const dateOrder = types.indexOf('DATE_OF_BIRTH') >= 0 ? 'year-first' : undefined;
  const label = `${position} observation value`;
  eachRepetition(text, result, seps, (rep) => {
    const target = types.length === 0 ? rep : components(text, rep, seps, 1)[0]!;
    push(zones, text, target, types, label, dateOrder);
  });
}

function push(
  zones: Zone[],
  text: string,
  span: Span,
  types: Types,
  label: string,
  dateOrder?: Zone['dateOrder'],
): void {
  const t = trimSpan(text, span);
  // `""` is HL7's explicit null: the sender says the value is deleted, there is none.
  if (t.end - t.start === 2 && text.slice(t.start, t.end) === '""') return;
  pushZone(zones, text, t, dateOrder === undefined ? { types, label } : { types, label, dateOrder });
}
