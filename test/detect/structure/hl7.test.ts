import { describe, expect, it } from 'vitest';
import { readHl7 } from '../../../src/detect/structure/hl7';
import { prepareHtml } from '../../../src/detect/text/prepare';
import type { EntityType } from '../../../src/shared/entities';
import { ONE_MB, bestOfThree, expectUntyped, fill, typed, zoneOver, type Seen } from './helpers';

/**
 * A segment with the given fields at their HL7 positions (field 1 first),
 * empty in between: long segments such as IN1 are easier to read this way
 * than counted bars.
 */
function seg(id: string, fields: Record<number, string>): string {
  const last = Math.max(...Object.keys(fields).map(Number));
  const out: string[] = [id];
  for (let i = 1; i <= last; i++) out.push(fields[i] ?? '');
  return out.join('|');
}

const SSN: EntityType[] = ['US_SSN'];
const MRN: EntityType[] = ['MRN'];
const NPI: EntityType[] = ['NPI'];
const MEMBER: EntityType[] = ['MEMBER_ID'];
const DOB: EntityType[] = ['DATE_OF_BIRTH'];
const ICD: EntityType[] = ['ICD10'];

interface Sample {
  readonly name: string;
  readonly text: string;
  readonly typed: readonly Seen[];
  readonly untyped: readonly string[];
}

const ADT_A04 = [
  'MSH|^~\\&|REGADT|NORTHSIDE|ACMEHP|ACME|20240315121500||ADT^A04^ADT_A01|MSG00045|P|2.5.1',
  'EVN|A04|20240315121500',
  'PID|1||MR0048213^^^NORTHSIDE^MR~536221874^^^SSA^SS~W536221874^^^ACMEHP^MB||ROE^JANE^M||19610412|F|||' +
    '22 OAK AVE^^SAINT PAUL^MN^55102||(612)555-0199|||||ACCT88213^^^NORTHSIDE^AN|536-22-1874|R4471928^MN',
  seg('PV1', {
    1: '1',
    2: 'O',
    3: 'CLINIC^^^NORTHSIDE',
    7: '1547328694^LEE^ANNA^^^^^^NPI^^^^NPI',
    8: '1982765434^PATEL^RAJ',
    17: 'D88120^KIM^SORA^^^^^^NORTHSIDE^^^^DN',
    19: 'V20240315001',
    44: '20240315120000',
  }),
].join('\r');

const ORU_R01 = [
  'MSH|^~\\&|LAB|NORTHSIDE|EHR|NORTHSIDE|20240316083000||ORU^R01|LAB77120|P|2.5.1',
  'PID|1||MR0048213^^^NORTHSIDE^MR||ROE^JANE||19610412|F',
  'OBR|1|ORD448812|FIL99812|2345-7^GLUCOSE^LN|||20240316070000',
  'OBX|1|NM|2345-7^GLUCOSE^LN||112|mg/dL|70-99|H|||F',
  'OBX|2|NM|2160-0^CREATININE^LN||412683307|mg/dL|||||F',
  'OBX|3|DT|21112-8^Birth date^LN||19610412||||||F',
  'OBX|4|ST|SSN^Social Security Number^L||536-22-1874||||||F',
  'OBX|5|TX|11506-3^Progress note^LN||Follow up in 3 months||||||F',
].join('\n');

const DFT_P03 = [
  'MSH|^~\\&|BILLING|NORTHSIDE|ACMEHP|ACME|20240318101500||DFT^P03|DFT00912|P|2.5.1',
  'EVN|P03|20240318101500',
  'PID|1||MR0048213^^^NORTHSIDE^MR||ROE^JANE||19610412|F',
  seg('PV1', { 1: '1', 2: 'O', 7: '1547328694^LEE^ANNA^^^^^^^^^^NPI', 19: 'V20240301007' }),
  seg('FT1', {
    1: '1',
    2: 'TX88120',
    4: '20240301',
    6: 'CG',
    7: '99213^OFFICE VISIT^CPT',
    10: '1',
    11: '125.00',
    19: 'E11.9^TYPE 2 DIABETES^I10',
    20: '1547328694^LEE^ANNA^^^^^^^^^^NPI',
    25: '99213^OFFICE VISIT^C4',
  }),
  'DG1|1||E11.9^Type 2 diabetes mellitus without complications^I10||20240301|F',
  'DG1|2||I10^Essential hypertension||20240301|F',
  'DG1|3||44054006^Diabetes mellitus type 2^SCT||20240301|F',
  seg('GT1', {
    1: '1',
    2: 'G7781',
    3: 'ROE^JANE',
    5: '22 OAK AVE^^SAINT PAUL^MN^55102',
    6: '(612)555-0199',
    8: '19610412',
    9: 'F',
    12: '536221874',
  }),
  seg('IN1', {
    1: '1',
    2: 'PPO001^ACME PPO',
    3: '87726^^^ACMEHP',
    4: 'ACME HEALTH PLAN',
    8: 'GR00451',
    12: '20240101',
    13: '20241231',
    16: 'ROE^JANE',
    17: '01',
    18: '19610412',
    36: 'POL55012',
    49: 'W536221874^^^ACMEHP',
  }),
  seg('IN2', { 1: 'E4471', 2: '536221874', 6: '1EG4TE5MK73', 8: 'MCD4471928' }),
  seg('NK1', { 1: '1', 2: 'ROE^JOHN', 3: 'SPO', 16: '19590722', 37: '412683307' }),
].join('\r\n');

const SAMPLES: readonly Sample[] = [
  {
    name: 'ADT^A04 registration',
    text: ADT_A04,
    typed: [
      ['MR0048213', MRN],
      ['536221874', SSN],
      ['W536221874', MEMBER],
      ['19610412', DOB],
      ['536-22-1874', SSN],
      ['1547328694', NPI],
      ['1982765434', NPI],
    ],
    untyped: [
      '20240315121500',
      'MSG00045',
      '(612)555-0199',
      'ACCT88213',
      'R4471928',
      'D88120',
      'V20240315001',
      '20240315120000',
    ],
  },
  {
    name: 'ORU^R01 lab results',
    text: ORU_R01,
    typed: [
      ['MR0048213', MRN],
      ['19610412', DOB],
      ['19610412', DOB],
      ['536-22-1874', SSN],
    ],
    untyped: ['ORD448812', 'FIL99812', '112', '412683307', 'Follow up in 3 months', 'LAB77120'],
  },
  {
    name: 'DFT^P03 charges with diagnoses, guarantor, insurance and next of kin',
    text: DFT_P03,
    typed: [
      ['MR0048213', MRN],
      ['19610412', DOB],
      ['1547328694', NPI],
      ['E11.9', ICD],
      ['1547328694', NPI],
      ['E11.9', ICD],
      ['I10', ICD],
      ['19610412', DOB],
      ['536221874', SSN],
      ['19610412', DOB],
      ['POL55012', MEMBER],
      ['W536221874', MEMBER],
      ['536221874', SSN],
      ['1EG4TE5MK73', ['MEDICARE_MBI', 'MEMBER_ID']],
      ['MCD4471928', MEMBER],
      ['19590722', DOB],
      ['412683307', SSN],
    ],
    untyped: [
      'TX88120',
      '99213',
      '125.00',
      '44054006',
      'G7781',
      'PPO001',
      '87726',
      'GR00451',
      '20241231',
      'V20240301007',
      'E4471',
    ],
  },
];

describe('readHl7: messages', () => {
  for (const s of SAMPLES) {
    it(s.name, () => {
      const zones = readHl7(s.text);
      expect(typed(s.text, zones)).toEqual(s.typed);
      expectUntyped(s.text, zones, s.untyped);
    });
  }

  it('reads birth dates as CCYYMMDD and keeps only the date of a timestamp', () => {
    const text = 'PID|1||MR0048213^^^NORTHSIDE^MR||ROE^JANE||196104121230-0500|F';
    const zones = readHl7(text);
    const zone = zoneOver(text, zones, '19610412');
    expect(zone?.dateOrder).toBe('year-first');
    expect(zone?.label).toBe('HL7 PID-7 date of birth');
  });

  it('names the identifier type in the label', () => {
    const text = 'PID|1||536221874^^^SSA^SS';
    expect(zoneOver(text, readHl7(text), '536221874')?.label).toBe('HL7 PID-3 patient identifier (SS)');
  });

  it('takes the kind of an identifier from its assigning authority when it has no type code', () => {
    const text = 'PID|1||536221874^^^SSA~MR0048213';
    expect(typed(text, readHl7(text))).toEqual([
      ['536221874', SSN],
      ['MR0048213', MRN],
    ]);
  });

  it("takes a patient's Medicare number (MC) as an MBI", () => {
    const text = 'PID|1||1EG4TE5MK73^^^CMS^MC';
    expect(typed(text, readHl7(text))).toEqual([['1EG4TE5MK73', ['MEDICARE_MBI', 'MEMBER_ID']]]);
  });

  it("leaves a driver's licence and an HL7 null without a typed zone", () => {
    const text = 'PID|1||""||ROE^JANE||""|F||||||||||||S99912345^MN';
    expect(typed(text, readHl7(text))).toEqual([]);
  });
});

describe('readHl7: separators and layout', () => {
  it('takes the separators MSH-1 and MSH-2 declare', () => {
    const text =
      'MSH#$!\\&#LAB#NORTHSIDE#EHR#NORTHSIDE#20240316083000##ADT$A08#M1#P#2.5\r' +
      'PID#1##MR0048213$$$NORTHSIDE$MR!536221874$$$SSA$SS##ROE$JANE##19610412';
    expect(typed(text, readHl7(text))).toEqual([
      ['MR0048213', MRN],
      ['536221874', SSN],
      ['19610412', DOB],
    ]);
  });

  it('reads a fragment pasted without MSH in the middle of prose', () => {
    const text =
      'Hi team, the feed sent this:\n\nPID|1||MR0048213^^^NORTHSIDE^MR||ROE^JANE||19610412|F\n' +
      `${seg('IN1', { 1: '1', 2: 'PPO001', 3: '87726', 36: 'POL55012' })}\n\nCan you check? 412683307`;
    expect(typed(text, readHl7(text))).toEqual([
      ['MR0048213', MRN],
      ['19610412', DOB],
      ['POL55012', MEMBER],
    ]);
  });

  it('reads a segment quoted inside a sentence', () => {
    const text = 'The feed sent: PID|1||MR0048213^^^NORTHSIDE^MR||ROE^JANE||19610412|F and stopped.';
    expect(typed(text, readHl7(text))).toEqual([
      ['MR0048213', MRN],
      ['19610412', DOB],
    ]);
  });

  it('reads segments an HTML body put on separate lines', () => {
    const html =
      '<p>MSH|^~\\&amp;|LAB|NS|EHR|NS|20240316||ORU^R01|X1|P|2.5</p>' +
      '<p>PID|1||MR0048213^^^NS^MR||ROE^JANE||19610412</p><p>Thanks</p>';
    const text = prepareHtml(html).text;
    expect(typed(text, readHl7(text))).toEqual([
      ['MR0048213', MRN],
      ['19610412', DOB],
    ]);
  });

  it('reads segments quoted in a reply', () => {
    const text = '> PID|1||MR0048213^^^NORTHSIDE^MR||ROE^JANE||19610412|F\n> PV1|1|O';
    expect(typed(text, readHl7(text))).toEqual([
      ['MR0048213', MRN],
      ['19610412', DOB],
    ]);
  });
});

describe('readHl7: text that is not HL7', () => {
  const negatives: readonly string[] = [
    '| Name | SSN | DOB |\n|---|---|---|\n| Jane Roe | 536-22-1874 | 04/12/1961 |',
    'Options are a|b|c, and the PID | field is blank.',
    'Use the pipe | character to separate values like 536221874 | 04/12/1961.',
    'We saw MSH in the logs but not the rest.',
    'Report: the PID| line was cut off',
    '',
  ];
  for (const text of negatives) {
    it(JSON.stringify(text.slice(0, 60)), () => {
      expect(typed(text, readHl7(text))).toEqual([]);
    });
  }
});

describe('readHl7: linear on hostile input', () => {
  const inputs: readonly (readonly [string, string])[] = [
    ['pipes', fill('|', ONE_MB)],
    ['pipes after PID', fill('|', ONE_MB, 'PID')],
    ['repetitions in PID-3', fill('~', ONE_MB, 'PID|1||')],
    ['components in PID-3', fill('^', ONE_MB, 'PID|1||')],
    ['MSH| repeated', fill('MSH|', ONE_MB)],
    ['MSH headers repeated', fill('MSH|^~\\&|', ONE_MB)],
    ['PID lines', fill('PID|1||MR0048213^^^NS^MR||ROE^JANE||19610412\n', ONE_MB)],
    ['PID| at every line start', fill('PID|\n', ONE_MB)],
    ['PID| inside one long sentence', fill(' PID|a', ONE_MB)],
    ['sparse bars in one long line', fill(' PID|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', ONE_MB)],
    ['OBX lines', fill('OBX|1|ST|SSN^Social Security Number^L||536-22-1874\n', ONE_MB)],
  ];
  for (const [name, text] of inputs) {
    it(`${name}: 1 MB in well under a second (linear)`, () => {
      expect(bestOfThree(() => readHl7(text))).toBeLessThan(1000);
    });
  }

  it('returns at once when there is no field separator', () => {
    const text = fill('plain words and numbers 536221874 ', ONE_MB);
    expect(readHl7(text)).toEqual([]);
    expect(bestOfThree(() => readHl7(text))).toBeLessThan(100);
  });
});
