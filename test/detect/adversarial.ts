/**
 * Hostile inputs for the detection engine: shapes that make naive regular
 * expressions backtrack, naive HTML-to-text quadratic, or a map of offsets
 * explode. Each input is built at any size, so a test or the bench can double
 * it and see whether the time doubles too.
 *
 * Most inputs carry one planted Social Security number whose exact raw range
 * the engine must report, so a hostile filler cannot hide a real identifier
 * or shift its offsets.
 */
import type { EntityType } from '../../src/shared/entities';

/** 1 MB, counted in UTF-16 code units (the unit of the engine's offsets). */
export const ONE_MB = 1 << 20;

export type InputKind = 'text' | 'html';

export interface PlantedIdentifier {
  readonly type: EntityType;
  /** The identifier exactly as it stands in the raw input; it occurs once. */
  readonly raw: string;
  /** The kinds of reading under which the engine must find it. */
  readonly kinds: readonly InputKind[];
}

export interface AdversarialInput {
  readonly name: string;
  /** How the input is read: as plain text, as HTML, or both where both make sense. */
  readonly kinds: readonly InputKind[];
  /** The input at exactly `size` code units. */
  build(size: number): string;
  readonly planted?: PlantedIdentifier;
}

const SSN = '536-22-1874';
const SSN_LINE = `\nSSN: ${SSN}\n`;

/** `prefix`, then `unit` repeated (the last copy cut short), then `suffix`: `size` code units in all. */
export function fill(unit: string, size: number, prefix = '', suffix = ''): string {
  const room = Math.max(0, size - prefix.length - suffix.length);
  return prefix + unit.repeat(Math.ceil(room / unit.length)).slice(0, room) + suffix;
}

const both: readonly InputKind[] = ['text', 'html'];
const htmlOnly: readonly InputKind[] = ['html'];
const ssn = (kinds: readonly InputKind[] = both, raw = SSN): PlantedIdentifier => ({
  type: 'US_SSN',
  raw,
  kinds,
});

/** Filler first, the planted identifier at the very end. */
function tail(
  name: string,
  unit: string,
  kinds = both,
  suffix = SSN_LINE,
  planted = ssn(),
): AdversarialInput {
  return { name, kinds, build: (size) => fill(unit, size, '', suffix), planted };
}

/** The planted identifier first, then filler that (as HTML) hides everything after it. */
function head(name: string, opening: string, unit: string, kinds = both): AdversarialInput {
  return { name, kinds, build: (size) => fill(unit, size, `SSN: ${SSN}\n${opening}`), planted: ssn() };
}

export const ADVERSARIAL_INPUTS: readonly AdversarialInput[] = [
  // Long digit runs and digits joined by the separators identifiers use.
  tail('digit run 1111…', '1'),
  tail('digits with dashes 1-1-1…', '1-'),
  tail('digits with spaces 1 1 1…', '1 '),
  tail('digits with &nbsp; 1&nbsp;1…', '1&nbsp;'),
  tail('digits with zero-width spaces 1\u200b1…', '1\u200b'),
  tail('digits split by inline tags 1<b>2</b>…', '1<b>2</b>', both, `<p>SSN: ${SSN}</p>`),
  // Markup that a hand-written HTML reader can choke on.
  tail('deeply nested <div><div>…', '<div>', both, `SSN: ${SSN}`),
  head('unclosed tags <a <a …', '', '<a '),
  head("unclosed quotes <a '…", '', "<a '"),
  head('unclosed comment <!--…', '<!--', '1-'),
  head('unclosed <script>', '<script>', "var s = '1-1';\n"),
  head('many <script> without close', '', '<script>'),
  tail('less-than signs <<<…', '<'),
  tail('ampersands &&&…', '&'),
  // Character references without end.
  tail('endless &amp;&amp;…', '&amp;'),
  tail(
    'digit references &#x31;&#x31;…',
    '&#x31;',
    both,
    '\nSSN: &#x35;&#x33;&#x36;-22-1874\n',
    ssn(htmlOnly, '&#x35;&#x33;&#x36;-22-1874'),
  ),
  tail(
    'endless &nbsp;&nbsp;…',
    '&nbsp;',
    both,
    '\nSSN:&nbsp;536&nbsp;22&nbsp;1874\n',
    ssn(htmlOnly, '536&nbsp;22&nbsp;1874'),
  ),
  // Text that looks like the start of an identifier, or its label, over and over.
  tail('letters and digits a1a1a1…', 'a1'),
  tail('MRN label repeated', 'MRN '),
  tail('SSN prefix repeated SSN 123-45-…', 'SSN 123-45-'),
  {
    name: 'dates after one DOB label',
    kinds: both,
    build: (size) => fill('11/11/', size, `SSN: ${SSN}\nDOB: `),
    planted: ssn(),
  },
  // Invisible characters and one endless word.
  tail(
    'zero-width run \u200b\u200b…',
    '\u200b',
    both,
    '\nSSN: 5\u200b3\u200b6-2\u200b2-1874\n',
    ssn(both, '5\u200b3\u200b6-2\u200b2-1874'),
  ),
  tail('one huge word xxxx…', 'x'),
  // A list of real identifiers, as in a pasted spreadsheet: every line a finding.
  { name: 'many SSNs, one per line', kinds: both, build: (size) => fill(`SSN ${SSN}\n`, size) },
  { name: 'many MRNs, one per line', kinds: both, build: (size) => fill('MRN 4821397\n', size) },
  // The densest findings: one every seven characters.
  { name: 'many diagnosis codes dx E11 …', kinds: both, build: (size) => fill('dx E11 ', size) },
  // Tables: endless cells, rows under one header, headers over and over.
  tail('tabs \t\t\t…', '\t'),
  tail('empty cells <td><td>…', '<td>', htmlOnly),
  tail('spanning cells <td colspan=99>…', '<td colspan=99>', htmlOnly),
  tail('rows <tr><td>1</td>…', '<tr><td>1</td><td>2</td>', htmlOnly),
  {
    name: 'rows of values under one header',
    kinds: both,
    build: (size) => fill(`${SSN}\t03/14/1962\t4821397\n`, size, 'SSN\tDOB\tMRN\n'),
  },
  tail('header rows over and over', 'Member ID\tSSN\tDOB\n'),
  tail('commas and quotes ",",…', '",",'),
  tail('bars |||…', '|'),
  tail('aligned titles over and over', 'MEMBER ID     SSN     DOB\n'),
  tail('aligned columns  a  b  c…', 'a  '),
  tail('rules of dashes ----  ----…', '----  '),
  tail('key leaders Member ID ......', 'Member ID ......'),
  // Interchange formats: endless segments and separators.
  tail('X12 segments NM1*IL*…', 'NM1*IL*1*ROE*JANE****MI*W536221874~'),
  tail('X12 separators ****…', '*'),
  tail('X12 headers ISA*…', 'ISA*'),
  tail('HL7 fields PID|||…', 'PID|||'),
  tail('HL7 components ^^^…', '^'),
  tail('JSON nesting {"a":{…', '{"a":'),
  tail('FHIR resourceType repeated', '{"resourceType":"Patient","birthDate":"1961-'),
  // Surface forms: a break after every value's fragment, numbers in words.
  tail('broken values 1-\n1-\n…', '1-\n'),
  tail('digit words one two three…', 'one two three '),
  tail('digit words with dashes', 'five - '),
  // Prose: names, titles and health words over and over, in one endless sentence or many.
  tail('names in one sentence Jane Doe …', 'Jane Doe '),
  tail('names and health words Jane Doe HIV …', "Jane Doe's HIV "),
  tail('titles Mr. Mr. …', 'Mr. '),
  tail('capitalised words Aaa Bbb …', 'Aaa Bbb '),
  tail('health words one sentence each', 'Chemotherapy. '),
  tail('a name and a health word per line', 'Reed, Thomas\tdiabetes\n'),
  tail("apostrophes and hyphens O'Brien-Smith …", "O'Brien-Smith-"),
];
