/**
 * Reads ASC X12 health care transactions pasted into mail (837 claims, 835
 * remittances, 270/271 eligibility, 276/277 claim status, 278 authorizations,
 * 834 enrollment). An X12 element means what its segment and qualifier say it
 * means: NM109 after NM108 "34" is a Social Security number whatever it looks
 * like, and CLM01 is the provider's claim number even when it has nine digits.
 *
 * The tables below are the meaning; the reader only finds segments and looks
 * their elements up.
 */
import type { EntityType } from '../../shared/entities';
import { isSpace, isUpperAlnum, pushZone } from './segments';
import type { Zone } from './zone';

type Types = readonly EntityType[];

/** What a qualifier code says the qualified element holds. */
interface Code {
  readonly types: Types;
  readonly what: string;
  /** Types when NM102 says the entity is a person (a person's taxpayer ID can be an SSN). */
  readonly personTypes?: Types;
  readonly dateOrder?: Zone['dateOrder'];
}

type CodeTable = Readonly<Record<string, Code>>;

type Rule =
  /** Element `at` (or its `component`, 1-based) always holds the same kind of value. */
  | { readonly kind: 'element'; readonly at: number; readonly component?: number; readonly code: Code }
  /** Element `qualifier` holds a code that says what element `at` holds. */
  | {
      readonly kind: 'qualified';
      readonly qualifier: number;
      readonly at: number;
      readonly codes: CodeTable;
      readonly otherwise?: Code;
    }
  /** Elements `from`..`to` are composites `qualifier:value` (the HI segment). */
  | { readonly kind: 'composites'; readonly from: number; readonly to: number; readonly codes: CodeTable };

const NONE: Types = [];
const SSN: Types = ['US_SSN'];
const EIN: Types = ['US_EIN'];
const NPI: Types = ['NPI'];
const MEMBER: Types = ['MEMBER_ID'];
// Medicare's own member number is an MBI (a HICN in older data); other plans' are plain member IDs.
const MEMBER_OR_MBI: Types = ['MEMBER_ID', 'MEDICARE_MBI'];
const MBI_OR_MEMBER: Types = ['MEDICARE_MBI', 'MEMBER_ID'];

const code = (types: Types, what: string): Code => ({ types, what });
const none = (what: string): Code => ({ types: NONE, what });

/** Identification Code Qualifier (element 66): NM108 → NM109, N103 → N104. */
const ID_CODE_QUALIFIERS: CodeTable = {
  '24': code(EIN, "employer's identification number"),
  '34': code(SSN, 'social security number'),
  FI: {
    types: EIN,
    personTypes: ['US_SSN', 'US_ITIN', 'US_EIN'],
    what: 'federal taxpayer identification number',
  },
  XX: code(NPI, 'national provider identifier'),
  MI: code(MEMBER_OR_MBI, 'member identification number'),
  II: code(MEMBER, 'unique health identifier'),
  MR: code(MEMBER, 'Medicaid recipient identification number'),
  HN: code(MBI_OR_MEMBER, 'health insurance claim number'),
  C: code(MEMBER, "insured's changed unique identification number"),
  N: code(MEMBER, "insured's unique identification number"),
  '46': none('electronic transmitter identification number'),
  PI: none('payer identification'),
  XV: none('CMS plan ID'),
  SV: none('service provider number'),
  PP: none('pharmacy processor number'),
  FA: none('facility identification'),
  NI: none('NAIC identification'),
  UP: none('UPIN'),
  '1': none('D-U-N-S number'),
  '9': none('D-U-N-S+4 number'),
};

/** Reference Identification Qualifier (element 128): REF01 → REF02. */
const REF_QUALIFIERS: CodeTable = {
  SY: code(SSN, 'social security number'),
  EI: code(EIN, "employer's identification number"),
  // A taxpayer ID is an EIN for a business and may be an SSN for a sole practitioner.
  TJ: code(['US_EIN', 'US_SSN'], 'federal taxpayer identification number'),
  '1W': code(MEMBER, 'member identification number'),
  '0F': code(MEMBER, 'subscriber number'),
  '23': code(MEMBER, 'client number'),
  '3H': code(MEMBER, 'case number'),
  Q4: code(MEMBER, 'prior identifier number'),
  IG: code(MEMBER, 'insurance policy number'),
  NQ: code(MEMBER, 'Medicaid recipient identification number'),
  HJ: code(MEMBER, 'identity card number'),
  ABB: code(MEMBER, 'personal identification number'),
  F6: code(MBI_OR_MEMBER, 'health insurance claim number'),
  EA: code(['MRN'], 'medical record identification number'),
  HPI: code(NPI, 'national provider identifier'),
  // The provider's own account for the patient: the same number CLM01 carries.
  EJ: none('patient account number'),
  '6R': none('provider control number'),
  F8: none('original reference number'),
  D9: none('claim number'),
  '1K': none("payer's claim number"),
  G1: none('prior authorization number'),
  '9F': none('referral number'),
  '9A': none('repriced claim reference number'),
  '9C': none('adjusted repriced claim reference number'),
  G3: none('predetermination of benefits identification number'),
  EW: none('mammography certification number'),
  X4: none('CLIA number'),
  LU: none('location number'),
  '0B': none('state license number'),
  '1G': none('provider UPIN number'),
  G2: none('provider commercial number'),
  '1A': none('Blue Cross provider number'),
  '1B': none('Blue Shield provider number'),
  '1C': none('Medicare provider number'),
  '1D': none('Medicaid provider number'),
  '1H': none('CHAMPUS identification number'),
  '1J': none('facility ID number'),
  '2U': none('payer identification number'),
  NF: none('NAIC code'),
  EV: none('receiver identification number'),
  CE: none('class of contract code'),
  BB: none('authorization number'),
  // Group and policy numbers are shared by everyone the employer covers.
  '1L': none('group or policy number'),
  '6P': none('group number'),
  '38': none('master policy number'),
  '17': none('client reporting category'),
  DX: none('department/agency number'),
  XZ: none('pharmacy prescription number'),
  BLT: none('billing type'),
  LX: none('qualified products list'),
  P4: none('project code'),
  F2: none('version code'),
  PQ: none('payee identification'),
  '4N': none('special payment reference number'),
  '2I': none('tracking number'),
  BT: none('batch number'),
  CT: none('contract number'),
  Y4: none('agency claim number'),
};

/** Code List Qualifier (element 1270) of HI composites: which code set C022-2 is from. */
const DIAGNOSIS = (what: string): Code => code(['ICD10'], what);
const HI_QUALIFIERS: CodeTable = {
  ABK: DIAGNOSIS('principal diagnosis (ICD-10-CM)'),
  ABF: DIAGNOSIS('diagnosis (ICD-10-CM)'),
  ABJ: DIAGNOSIS('admitting diagnosis (ICD-10-CM)'),
  APR: DIAGNOSIS("patient's reason for visit (ICD-10-CM)"),
  ABN: DIAGNOSIS('external cause of injury (ICD-10-CM)'),
  // ICD-9-CM diagnoses: still a diagnosis, and the contract has one diagnosis type.
  BK: DIAGNOSIS('principal diagnosis (ICD-9-CM)'),
  BF: DIAGNOSIS('diagnosis (ICD-9-CM)'),
  BJ: DIAGNOSIS('admitting diagnosis (ICD-9-CM)'),
  PR: DIAGNOSIS("patient's reason for visit (ICD-9-CM)"),
  BN: DIAGNOSIS('external cause of injury (ICD-9-CM)'),
  BBR: none('principal procedure (ICD-10-PCS)'),
  BBQ: none('procedure (ICD-10-PCS)'),
  BR: none('principal procedure (ICD-9-CM)'),
  BQ: none('procedure (ICD-9-CM)'),
  BP: none('principal procedure (HCPCS)'),
  BO: none('procedure (HCPCS)'),
  DR: none('diagnosis related group'),
  BE: none('value code'),
  BG: none('condition code'),
  BH: none('occurrence code'),
  BI: none('occurrence span code'),
};

/** Date Time Period Format Qualifier in DMG01: the demographic date is the birth date. */
const DMG_FORMATS: CodeTable = {
  D8: { types: ['DATE_OF_BIRTH'], what: 'date of birth', dateOrder: 'year-first' },
};

/** DFI ID Number Qualifier (element 506): BPR06 → BPR07, BPR12 → BPR13. */
const DFI_QUALIFIERS: CodeTable = {
  '01': code(['ABA_ROUTING'], 'ABA routing number'),
  '04': none('Canadian bank branch and institution number'),
};

/** Account Number Qualifier (element 569): BPR08 → BPR09, BPR14 → BPR15. */
const ACCOUNT_QUALIFIERS: CodeTable = {
  DA: code(['US_BANK_ACCOUNT'], 'demand deposit account number'),
  SG: code(['US_BANK_ACCOUNT'], 'savings account number'),
  '03': code(['US_BANK_ACCOUNT'], 'checking account number'),
};

/** Interchange ID Qualifier (I05): ISA05 → ISA06, ISA07 → ISA08. */
const ISA_ID_QUALIFIERS: CodeTable = {
  '30': code(EIN, 'federal tax identification number'),
};

const el = (at: number, c: Code, component?: number): Rule =>
  component === undefined ? { kind: 'element', at, code: c } : { kind: 'element', at, component, code: c };
const qualified = (qualifier: number, at: number, codes: CodeTable, otherwise?: Code): Rule =>
  otherwise === undefined
    ? { kind: 'qualified', qualifier, at, codes }
    : { kind: 'qualified', qualifier, at, codes, otherwise };

const AMOUNT = none('amount');
const DATE = none('date');

/** Segment identifier → what its elements hold. */
const SEGMENTS: Readonly<Record<string, readonly Rule[]>> = {
  ISA: [
    qualified(5, 6, ISA_ID_QUALIFIERS, none('interchange sender ID')),
    qualified(7, 8, ISA_ID_QUALIFIERS, none('interchange receiver ID')),
    el(9, DATE),
    el(13, none('interchange control number')),
  ],
  GS: [
    el(2, none("application sender's code")),
    el(3, none("application receiver's code")),
    el(4, DATE),
    el(6, none('group control number')),
  ],
  ST: [el(2, none('transaction set control number'))],
  SE: [el(2, none('transaction set control number'))],
  GE: [el(2, none('group control number'))],
  IEA: [el(2, none('interchange control number'))],
  BHT: [el(3, none('originator application transaction identifier')), el(4, DATE)],
  BGN: [el(2, none('transaction set reference number')), el(3, DATE)],
  HL: [el(1, none('hierarchical ID number')), el(2, none('hierarchical parent ID number'))],
  NM1: [qualified(8, 9, ID_CODE_QUALIFIERS)],
  N1: [qualified(3, 4, ID_CODE_QUALIFIERS)],
  N3: [el(1, none('address')), el(2, none('address'))],
  N4: [el(3, none('postal code'))],
  PER: [
    el(4, none('communication number')),
    el(6, none('communication number')),
    el(8, none('communication number')),
  ],
  REF: [qualified(1, 2, REF_QUALIFIERS)],
  DMG: [qualified(1, 2, DMG_FORMATS)],
  // Dates of service, admission, coverage, eligibility: never the birth date, which DMG carries.
  DTP: [el(3, DATE)],
  DTM: [el(2, DATE)],
  SBR: [el(3, none('group or policy number'))],
  PRV: [el(3, none('provider taxonomy code'))],
  CLM: [el(1, none("claim submitter's identifier")), el(2, AMOUNT), el(5, none('facility code'), 1)],
  HI: [{ kind: 'composites', from: 1, to: 12, codes: HI_QUALIFIERS }],
  LX: [el(1, none('service line number'))],
  SV1: [el(1, none('procedure code'), 2), el(2, AMOUNT), el(4, none('quantity'))],
  SV2: [
    el(1, none('revenue code')),
    el(2, none('procedure code'), 2),
    el(3, AMOUNT),
    el(5, none('quantity')),
  ],
  SV3: [el(1, none('procedure code'), 2), el(2, AMOUNT)],
  SVD: [
    el(1, none('payer identifier')),
    el(2, AMOUNT),
    el(3, none('procedure code'), 2),
    el(5, none('quantity')),
  ],
  LIN: [el(3, none('product identifier (NDC)'))],
  CTP: [el(4, none('quantity'))],
  AMT: [el(2, AMOUNT)],
  QTY: [el(2, none('quantity'))],
  CAS: [el(3, AMOUNT), el(6, AMOUNT), el(9, AMOUNT), el(12, AMOUNT), el(15, AMOUNT), el(18, AMOUNT)],
  // Remittance: the payment's amount, bank routing and accounts, and the EFT trace.
  BPR: [
    el(2, AMOUNT),
    qualified(6, 7, DFI_QUALIFIERS),
    qualified(8, 9, ACCOUNT_QUALIFIERS),
    el(10, none('originating company identifier')),
    qualified(12, 13, DFI_QUALIFIERS),
    qualified(14, 15, ACCOUNT_QUALIFIERS),
    el(16, DATE),
  ],
  TRN: [
    el(2, none('trace number (check or EFT number)')),
    el(3, none('originating company identifier')),
    el(4, none('reference identification')),
  ],
  CLP: [
    el(1, none("claim submitter's identifier")),
    el(3, AMOUNT),
    el(4, AMOUNT),
    el(5, AMOUNT),
    el(7, none('payer claim control number')),
  ],
  SVC: [el(1, none('procedure code'), 2), el(2, AMOUNT), el(3, AMOUNT), el(5, none('quantity'))],
  // The provider-level adjustment and summary segments name the provider by NPI or TIN.
  PLB: [
    el(1, code(['NPI', 'US_EIN'], 'provider identifier')),
    el(2, DATE),
    el(3, none('adjustment identifier'), 2),
    el(4, AMOUNT),
  ],
  TS3: [el(1, code(NPI, 'provider identifier')), el(3, DATE), el(5, AMOUNT)],
  EB: [el(7, AMOUNT), el(13, none('procedure code'), 2)],
  STC: [el(2, DATE), el(4, AMOUNT), el(5, AMOUNT)],
  HCR: [el(2, none('certification number'))],
  UM: [el(4, none('facility code'), 1)],
  HD: [el(4, none('plan coverage description'))],
};

/**
 * Segment identifiers that may open a pasted fragment without an ISA header.
 * Kept to segments with no namesake in HL7 v2 (NTE is in both), so an HL7
 * fragment with `|` separators is not taken for X12.
 */
// prettier-ignore
const FRAGMENT_OPENERS = new Set<string>(
  Object.keys(SEGMENTS).concat([
    'PAT', 'CLM', 'PWK', 'CN1', 'K3', 'CR1', 'CR2', 'CR3', 'CRC', 'HCP', 'OI', 'MOA', 'MIA', 'MEA',
    'PS1', 'HSD', 'UM', 'EQ', 'III', 'MSG', 'AAA', 'INS', 'COB', 'LUI', 'DSB', 'IDC', 'EC', 'ICM', 'ACT',
    'CUR', 'TS2', 'LQ', 'MPI', 'PDP', 'PDR', 'PLA', 'SVC', 'CL1', 'TOO', 'LS', 'LE', 'NX1', 'QTY',
  ]),
);

/** The separators an interchange declares (or a fragment shows). */
interface Separators {
  readonly element: number;
  /** A character code, or NEWLINE when each segment stands on its own line. */
  readonly terminator: number;
  /** Unknown (-1) until a composite shows it, for fragments without ISA16. */
  component: number;
}

const NEWLINE = -1;
const UNKNOWN = -1;

// A segment identifier: a letter and one or two letters or digits, then a separator.
const SEGMENT_ID = /[A-Z][A-Z\d]{1,2}[^A-Za-z\d\s]/g;

/** Zones for every X12 element whose meaning the transaction's own tables state. */
export function readX12(text: string): Zone[] {
  // Element separators X12 uses in practice; without one there is no X12 to read.
  if (!/[*|^]/.test(text) && text.indexOf('ISA') < 0) return [];
  const zones: Zone[] = [];
  let from = 0;
  while (from < text.length) {
    SEGMENT_ID.lastIndex = from;
    const m = SEGMENT_ID.exec(text);
    if (m === null) break;
    const at = m.index;
    const id = m[0].slice(0, -1);
    const separator = m[0].charCodeAt(m[0].length - 1);
    let seps: Separators | undefined;
    if (id === 'ISA' && (at === 0 || !isUpperAlnum(text.charCodeAt(at - 1)))) {
      seps = isaSeparators(text, at);
    } else if (FRAGMENT_OPENERS.has(id) && isFragmentSeparator(separator)) {
      // At a line start one more element makes a segment; after a word ("the
      // segment was: NM1*IL*1*…") it takes a longer run of elements.
      const opening = atSegmentStart(text, at) ? 2 : afterWordBreak(text, at) ? 4 : 0;
      if (opening > 0) seps = fragmentSeparators(text, at, separator, opening);
    }
    from = seps === undefined ? at + 1 : Math.max(at + 1, readSegments(text, at, seps, zones));
  }
  return zones;
}

function isFragmentSeparator(code: number): boolean {
  return code === 0x2a /* * */ || code === 0x7c /* | */ || code === 0x5e; /* ^ */
}

/**
 * Whether `at` starts a line (after indentation or a reply's `>` markers) or
 * follows a `~`: where a pasted segment can begin.
 */
function atSegmentStart(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x3e /* > */) i--;
    else return c === 0x0a || c === 0x0d || c === 0x7e; /* ~ */
  }
  return true;
}

/** Whether `at` follows a space or a colon: a segment quoted inside a sentence. */
function afterWordBreak(text: string, at: number): boolean {
  const c = text.charCodeAt(at - 1);
  return c === 0x20 || c === 0x09 || c === 0x3a || c === 0xa0;
}

/**
 * Separators an ISA header declares: the element separator right after "ISA",
 * the component separator in ISA16, the segment terminator after it. ISA is
 * fixed-width, so its sixteen elements lie within a short stretch.
 */
function isaSeparators(text: string, at: number): Separators | undefined {
  const element = text.charCodeAt(at + 3);
  // ISA01 is always two characters: what does not separate there is not an ISA.
  if (text.charCodeAt(at + 6) !== element) return undefined;
  let seen = 1;
  const limit = Math.min(text.length, at + 200);
  for (let i = at + 7; i < limit; i++) {
    if (text.charCodeAt(i) !== element) continue;
    // The fifteenth separator after the one following "ISA" opens ISA16.
    if (++seen < 15) continue;
    const component = text.charCodeAt(i + 1);
    const after = text.charCodeAt(i + 2);
    if (Number.isNaN(component) || isUpperAlnum(component) || isSpace(component)) return undefined;
    // A header cut short of its terminator, or one followed by a line break: lines are segments.
    const terminator = Number.isNaN(after) || isSpace(after) || isUpperAlnum(after) ? NEWLINE : after;
    return { element, terminator, component };
  }
  return undefined;
}

/**
 * Segment terminators other than `~` that interchanges declare (`'`, `!`, a
 * control character): without an ISA, one counts when a segment starts right
 * after it ("…005010X279A1'BHT*0022…").
 */
const OTHER_TERMINATORS = [0x27, 0x21, 0x60, 0x1c, 0x1d, 0x1e, 0x1f, 0x85];

/** Whether a segment identifier and the element separator start at `at`. */
function opensSegment(text: string, at: number, element: number): boolean {
  let i = at;
  while (i < text.length && i - at < 3 && isUpperAlnum(text.charCodeAt(i))) i++;
  return (
    i - at >= 2 &&
    text.charCodeAt(i) === element &&
    !(text.charCodeAt(at) >= 0x30 && text.charCodeAt(at) <= 0x39)
  );
}

/**
 * Separators of a fragment without ISA: the character after the opening
 * segment's identifier separates elements, and segments end at `~` when the
 * first one does (on its first line, or on a later line of a hard-wrapped
 * one), else at line breaks. A lone identifier with a separator and nothing
 * else of X12 ("HI* there") is prose.
 */
function fragmentSeparators(
  text: string,
  at: number,
  element: number,
  minElements: number,
): Separators | undefined {
  let elements = 0;
  let i = at + 2;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === element) elements++;
    else if (
      c === 0x7e /* ~ */ ||
      (OTHER_TERMINATORS.indexOf(c) >= 0 && opensSegment(text, i + 1, element))
    ) {
      return elements >= minElements - 1 ? { element, terminator: c, component: UNKNOWN } : undefined;
    } else if (c === 0x0a || c === 0x0d) break;
  }
  if (elements < minElements) return undefined;
  return { element, terminator: wrappedTilde(text, i, element) ? 0x7e : NEWLINE, component: UNKNOWN };
}

/** How far past its first line a fragment is searched for the `~` that ends a wrapped segment. */
const WRAP_LOOKAHEAD = 1024;

/**
 * Whether the first segment, whose first line ends at `from`, goes on over
 * the next lines to a `~`: a hard-wrapped fragment. The lines up to the `~`
 * must not start segments of their own (then line breaks end segments) and
 * must not be empty (a paragraph ends the fragment).
 */
function wrappedTilde(text: string, from: number, element: number): boolean {
  const limit = Math.min(text.length, from + WRAP_LOOKAHEAD);
  // `from` is the line break ending the first line, which was not empty.
  let lineStart = false;
  for (let i = from; i < limit; i++) {
    const c = text.charCodeAt(i);
    // CR LF is one line break.
    if (c === 0x0d && text.charCodeAt(i + 1) === 0x0a) continue;
    if (c === 0x0a || c === 0x0d) {
      if (lineStart) return false;
      lineStart = true;
      continue;
    }
    if (lineStart) {
      if (c === 0x20 || c === 0x09 || c === 0x3e) continue;
      const idEnd = segmentIdEnd(text, i, element);
      if (idEnd >= 0 && FRAGMENT_OPENERS.has(text.slice(i, idEnd))) return false;
      lineStart = false;
    }
    if (c === 0x7e) return true;
  }
  return false;
}

/**
 * Reads consecutive segments from `at` and appends their zones; returns where
 * the run of segments ends (prose after the last segment, or another ISA).
 */
function readSegments(text: string, at: number, seps: Separators, zones: Zone[]): number {
  const n = text.length;
  const scratch: Scratch = { elements: [], components: [] };
  let pos = at;
  let first = true;
  while (pos < n) {
    const start = skipGap(text, pos);
    const idEnd = segmentIdEnd(text, start, seps.element);
    if (idEnd < 0) return start;
    const key = idKey(text, start, idEnd);
    if (!first && key === ISA_KEY) return start;
    const end = segmentEnd(text, idEnd + 1, seps);
    const rules = RULES_BY_KEY.get(key);
    if (rules !== undefined) applyRules(text, rules, start, end, seps, scratch, zones);
    pos = end + 1;
    first = false;
  }
  return n;
}

const ISA_KEY = idKey('ISA', 0, 3);

/** Skips line breaks, indentation and reply markers between segments. */
function skipGap(text: string, pos: number): number {
  let i = pos;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (isSpace(c) || c === 0x3e /* > */) i++;
    else break;
  }
  return i;
}

/** End of a two- or three-character segment identifier at `at` followed by the element separator, or -1. */
function segmentIdEnd(text: string, at: number, element: number): number {
  const c = text.charCodeAt(at);
  if (!(c >= 0x41 && c <= 0x5a)) return -1;
  for (let i = at + 1; i <= at + 3 && i < text.length; i++) {
    const d = text.charCodeAt(i);
    if (d === element) return i >= at + 2 ? i : -1;
    if (!isUpperAlnum(d)) return -1;
  }
  return -1;
}

/**
 * Index of the end of the segment whose elements start at `from`. With a
 * character terminator a line break inside a segment is wrapping, unless the
 * next line starts a segment of its own or carries no X12 at all (the
 * sentence after a fragment whose last terminator was not copied).
 */
function segmentEnd(text: string, from: number, seps: Separators): number {
  const n = text.length;
  for (let i = from; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) {
      if (seps.terminator === NEWLINE || !continuesSegment(text, i + 1, seps)) return i;
    } else if (c === seps.terminator) {
      return i;
    }
  }
  return n;
}

/** Whether the line from `at` continues a wrapped segment: X12 separators on it, and no segment of its own. */
function continuesSegment(text: string, at: number, seps: Separators): boolean {
  const start = skipGap(text, at);
  const idEnd = segmentIdEnd(text, start, seps.element);
  if (idEnd >= 0 && FRAGMENT_OPENERS.has(text.slice(start, idEnd))) return false;
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return false;
    if (c === seps.element || c === seps.terminator) return true;
  }
  return false;
}

/** The rules of one segment identifier, with the last element they read. */
interface SegmentRules {
  readonly id: string;
  readonly rules: readonly Rule[];
  readonly last: number;
}

/** Segment identifiers by their character codes, so that reading a segment allocates no string for its name. */
const RULES_BY_KEY = new Map<number, SegmentRules>();
for (const id of Object.keys(SEGMENTS)) {
  const rules = SEGMENTS[id]!;
  let last = 0;
  for (const r of rules)
    last = Math.max(
      last,
      r.kind === 'composites' ? r.to : r.kind === 'qualified' ? Math.max(r.at, r.qualifier) : r.at,
    );
  RULES_BY_KEY.set(idKey(id, 0, id.length), { id, rules, last });
}

function idKey(text: string, start: number, end: number): number {
  let key = 0;
  for (let i = start; i < end; i++) key = key * 128 + text.charCodeAt(i);
  return key;
}

/**
 * Boundaries of the pieces of `[start, end)` split at `separator`, written to
 * `out` as start/end pairs: at most `limit` pieces, the last running on to
 * `end`. Returns the number of pieces. One array serves every segment, so a
 * long interchange allocates nothing per element.
 */
function splitInto(
  text: string,
  start: number,
  end: number,
  separator: number,
  limit: number,
  out: number[],
): number {
  let pieces = 0;
  let from = start;
  for (let i = start; i < end && pieces < limit - 1; i++) {
    if (text.charCodeAt(i) !== separator) continue;
    out[2 * pieces] = from;
    out[2 * pieces + 1] = i;
    pieces++;
    from = i + 1;
  }
  out[2 * pieces] = from;
  out[2 * pieces + 1] = end;
  return pieces + 1;
}

/** Element and component boundaries of the segment being read. */
interface Scratch {
  readonly elements: number[];
  readonly components: number[];
}

function applyRules(
  text: string,
  segment: SegmentRules,
  start: number,
  end: number,
  seps: Separators,
  scratch: Scratch,
  zones: Zone[],
): void {
  const { id, rules, last } = segment;
  const el = scratch.elements;
  // Elements past the last one the rules read stay in one piece: a hostile segment of
  // a million separators costs one pass, not a million pieces.
  const count = splitInto(text, start, end, seps.element, last + 2, el);
  const value = (i: number): string => (i < count ? text.slice(el[2 * i], el[2 * i + 1]).trim() : '');
  for (const r of rules) {
    if (r.kind === 'element') {
      if (r.at >= count) continue;
      if (r.component === undefined) {
        push(zones, text, el[2 * r.at]!, el[2 * r.at + 1]!, r.code, r.code.types, id, r.at, 0, '');
      } else if (component(text, el[2 * r.at]!, el[2 * r.at + 1]!, r.component, seps, scratch.components)) {
        const c = scratch.components;
        push(zones, text, c[0]!, c[1]!, r.code, r.code.types, id, r.at, r.component, '');
      }
    } else if (r.kind === 'qualified') {
      if (r.at >= count) continue;
      const q = value(r.qualifier);
      const known = lookup(r.codes, q);
      const c = known ?? r.otherwise;
      if (c === undefined) continue;
      // NM102 "1": the entity is a person, whose taxpayer ID may be an SSN or ITIN.
      const types = c.personTypes !== undefined && id === 'NM1' && value(2) === '1' ? c.personTypes : c.types;
      push(
        zones,
        text,
        el[2 * r.at]!,
        el[2 * r.at + 1]!,
        c,
        types,
        id,
        r.at,
        0,
        known === undefined ? '' : q,
      );
    } else {
      for (let i = r.from; i <= r.to && i < count; i++) {
        const parts = scratch.components;
        if (!component(text, el[2 * i]!, el[2 * i + 1]!, 2, seps, parts)) continue;
        const q = text.slice(parts[2], parts[3]).trim();
        const c = lookup(r.codes, q);
        if (c !== undefined) push(zones, text, parts[0]!, parts[1]!, c, c.types, id, i, 2, q);
      }
    }
  }
}

function lookup(codes: CodeTable, q: string): Code | undefined {
  return Object.prototype.hasOwnProperty.call(codes, q) ? codes[q] : undefined;
}

/**
 * Writes to `out[0..1]` the range of component `k` (1-based) of a composite
 * element, and to `out[2..3]` that of its first component (the qualifier);
 * false when the element has no such component. A fragment without ISA16
 * shows its component separator in the first composite read: the first
 * character after the leading code that X12 uses for the purpose.
 */
function component(
  text: string,
  start: number,
  end: number,
  k: number,
  seps: Separators,
  out: number[],
): boolean {
  if (seps.component === UNKNOWN) {
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (isUpperAlnum(c) || c === 0x20) continue;
      if ((c === 0x3a /* : */ || c === 0x3e /* > */ || c === 0x5e) /* ^ */ && c !== seps.element) {
        seps.component = c;
      }
      break;
    }
  }
  let from = start;
  let piece = 1;
  let i = start;
  for (; i < end && piece < k; i++) {
    if (text.charCodeAt(i) !== seps.component || seps.component === UNKNOWN) continue;
    if (piece === 1) {
      out[2] = from;
      out[3] = i;
    }
    piece++;
    from = i + 1;
  }
  if (piece < k) return false;
  let stop = from;
  while (stop < end && (text.charCodeAt(stop) !== seps.component || seps.component === UNKNOWN)) stop++;
  out[0] = from;
  out[1] = stop;
  if (k === 1) {
    out[2] = from;
    out[3] = stop;
  }
  return true;
}

/** Labels by code and position, built once: "X12 NM109 member identification number (MI)". */
const LABELS = new Map<Code, Map<string, string>>();

function push(
  zones: Zone[],
  text: string,
  start: number,
  end: number,
  c: Code,
  types: Types,
  id: string,
  at: number,
  componentAt: number,
  qualifier: string,
): void {
  let s = start;
  let e = end;
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  if (e <= s) return;
  let byPosition = LABELS.get(c);
  if (byPosition === undefined) LABELS.set(c, (byPosition = new Map<string, string>()));
  const key = `${id} ${at} ${componentAt} ${qualifier}`;
  let label = byPosition.get(key);
  if (label === undefined) {
    const position = (at < 10 ? '0' : '') + String(at) + (componentAt === 0 ? '' : `-${componentAt}`);
    label = `X12 ${id}${position} ${c.what}${qualifier === '' ? '' : ` (${qualifier})`}`;
    byPosition.set(key, label);
  }
  pushZone(
    zones,
    text,
    { start: s, end: e },
    c.dateOrder === undefined ? { types, label } : { types, label, dateOrder: c.dateOrder },
  );
}
