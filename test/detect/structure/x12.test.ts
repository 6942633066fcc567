import { describe, expect, it } from 'vitest';
import { readX12 } from '../../../src/detect/structure/x12';
import { prepareHtml } from '../../../src/detect/text/prepare';
import type { EntityType } from '../../../src/shared/entities';
import { ONE_MB, bestOfThree, expectUntyped, fill, typed, zoneOver, type Seen } from './helpers';

/** Segments one per line, each ended by `~`, as a translator writes a file. */
const x12 = (...segments: string[]): string => segments.map((s) => `${s}~`).join('\n');

const SSN: EntityType[] = ['US_SSN'];
const EIN: EntityType[] = ['US_EIN'];
const NPI: EntityType[] = ['NPI'];
const MEMBER: EntityType[] = ['MEMBER_ID'];
const MEMBER_OR_MBI: EntityType[] = ['MEMBER_ID', 'MEDICARE_MBI'];
const DOB: EntityType[] = ['DATE_OF_BIRTH'];
const ICD: EntityType[] = ['ICD10'];

interface Sample {
  readonly name: string;
  readonly text: string;
  /** Every zone that names a type, in order. */
  readonly typed: readonly Seen[];
  /** Values the structure says are not identifiers. */
  readonly untyped: readonly string[];
}

const ISA_837 =
  'ISA*00*          *00*          *ZZ*CLEARHOUSE01   *30*541234567      *240315*1253*^*00501*000000905*0*P*:';

const SAMPLES: readonly Sample[] = [
  {
    name: '837P with billing provider, subscriber and patient loops',
    text: x12(
      ISA_837,
      'GS*HC*CLEARHOUSE01*541234567*20240315*1253*905*X*005010X222A1',
      'ST*837*0001*005010X222A1',
      'BHT*0019*00*CLM20240315*20240315*1253*CH',
      'NM1*41*2*NORTHSIDE BILLING*****46*TGJ23',
      'PER*IC*BILLING OFFICE*TE*6125550142',
      'NM1*40*2*ACME HEALTH PLAN*****46*66783JJT',
      'HL*1**20*1',
      'NM1*85*2*NORTHSIDE CLINIC*****XX*1234567893',
      'N3*1400 MAIN STREET',
      'N4*MINNEAPOLIS*MN*554021234',
      'REF*EI*412683307',
      'HL*2*1*22*1',
      'SBR*P**GR00451******CI',
      'NM1*IL*1*ROE*JANE****MI*XJH452190377',
      'DMG*D8*19610412*F',
      'NM1*PR*2*ACME HEALTH PLAN*****PI*87726',
      'HL*3*2*23*0',
      'PAT*19',
      'NM1*QC*1*ROE*TOMMY',
      'DMG*D8*20120830*M',
      'CLM*PCN4471928*125***11:B:1*Y*A*Y*Y',
      'REF*G1*AUTH883201',
      'REF*EA*MR0048213',
      'HI*ABK:E119*ABF:I10*ABF:Z794',
      'NM1*82*1*LEE*ANNA****XX*1547328694',
      'PRV*PE*PXC*207Q00000X',
      'LX*1',
      'SV1*HC:99213:25*125*UN*1***1',
      'DTP*472*D8*20240301',
      'REF*6R*LN0001',
      'SE*30*0001',
      'GE*1*905',
      'IEA*1*000000905',
    ),
    typed: [
      ['541234567', EIN],
      ['1234567893', NPI],
      ['412683307', EIN],
      ['XJH452190377', MEMBER_OR_MBI],
      ['19610412', DOB],
      ['20120830', DOB],
      ['MR0048213', ['MRN']],
      ['E119', ICD],
      ['I10', ICD],
      ['Z794', ICD],
      ['1547328694', NPI],
    ],
    untyped: [
      '000000905',
      'CLEARHOUSE01',
      'TGJ23',
      '6125550142',
      '554021234',
      'GR00451',
      '87726',
      'PCN4471928',
      '125',
      'AUTH883201',
      '207Q00000X',
      '99213',
      '20240301',
      'LN0001',
    ],
  },
  {
    name: '835 remittance with the payment, EFT trace, claim and provider adjustment',
    text: x12(
      'ISA*00*          *00*          *30*411234567      *ZZ*NORTHSIDE      *240320*0930*^*00501*000001207*0*P*>',
      'GS*HP*ACMEHP*NORTHSIDE*20240320*0930*1207*X*005010X221A1',
      'ST*835*1001',
      'BPR*I*1332.50*C*ACH*CCP*01*011000015*DA*4070159361*1411234567**01*071000013*DA*27375093073*20240322',
      'TRN*1*EFT0099812345*1411234567',
      'DTM*405*20240320',
      'N1*PR*ACME HEALTH PLAN',
      'N1*PE*NORTHSIDE CLINIC*XX*1234567893',
      'REF*TJ*412683307',
      'LX*1',
      'TS3*1234567893*11*20241231*3*1332.50',
      'CLP*PCN4471928*1*125*100*25*12*2024080123456*11*1',
      'CAS*PR*2*25',
      'NM1*QC*1*ROE*TOMMY****MI*XJH452190377',
      'NM1*82*1*LEE*ANNA****XX*1547328694',
      'DTM*232*20240301',
      'SVC*HC>99213*125*100**1',
      'PLB*1234567893*20241231*WO>CLP2023999*-50',
      'SE*16*1001',
    ),
    typed: [
      ['411234567', EIN],
      ['011000015', ['ABA_ROUTING']],
      ['4070159361', ['US_BANK_ACCOUNT']],
      ['071000013', ['ABA_ROUTING']],
      ['27375093073', ['US_BANK_ACCOUNT']],
      ['1234567893', NPI],
      ['412683307', ['US_EIN', 'US_SSN']],
      ['1234567893', NPI],
      ['XJH452190377', MEMBER_OR_MBI],
      ['1547328694', NPI],
      ['1234567893', ['NPI', 'US_EIN']],
    ],
    untyped: [
      '1332.50',
      '1411234567',
      'EFT0099812345',
      'PCN4471928',
      '2024080123456',
      '25',
      '99213',
      'CLP2023999',
      '-50',
      '20240320',
    ],
  },
  {
    name: '270 eligibility inquiry pasted without its envelope, one segment a line, no terminators',
    text: [
      'ST*270*0001*005010X279A1',
      'BHT*0022*13*ELIG0001*20240315*1010',
      'HL*1**20*1',
      'NM1*PR*2*ACME HEALTH PLAN*****PI*87726',
      'HL*2*1*21*1',
      'NM1*1P*2*NORTHSIDE CLINIC*****XX*1234567893',
      'HL*3*2*22*0',
      'TRN*1*93175-012547*9877281234',
      'NM1*IL*1*ROE*JANE****MI*W536221874',
      'DMG*D8*19610412',
      'DTP*291*D8*20240315',
      'EQ*30',
      'SE*12*0001',
    ].join('\n'),
    typed: [
      ['1234567893', NPI],
      ['W536221874', MEMBER_OR_MBI],
      ['19610412', DOB],
    ],
    untyped: ['87726', '93175-012547', '9877281234', '20240315', 'ELIG0001'],
  },
  {
    name: '271 eligibility response on one line with | separators',
    text:
      'ST|271|0001|005010X279A1~HL|1||20|1~NM1|PR|2|ACME HEALTH PLAN|||||PI|87726~HL|2|1|21|1~' +
      'NM1|1P|2|NORTHSIDE CLINIC|||||XX|1234567893~HL|3|2|22|0~TRN|2|93175-012547|9877281234~' +
      'NM1|IL|1|ROE|JANE||||MI|W536221874~REF|SY|536221874~REF|6P|GR00451~N3|1400 ELM ST~' +
      'N4|SAINT PAUL|MN|55102~DMG|D8|19610412|F~INS|Y|18|001|25~DTP|346|D8|20240101~' +
      'EB|1||30||CHOICE PLUS~EB|C|IND|30|||23|1500~SE|17|0001~',
    typed: [
      ['1234567893', NPI],
      ['W536221874', MEMBER_OR_MBI],
      ['536221874', SSN],
      ['19610412', DOB],
    ],
    untyped: ['93175-012547', 'GR00451', '55102', '20240101', '1500', '1400 ELM ST'],
  },
  {
    name: '277 claim status response',
    text: x12(
      'ST*277*0001*005010X212',
      'BHT*0010*08*ST277RESP*20240318*1415*DG',
      'HL*1**20*1',
      'NM1*PR*2*ACME HEALTH PLAN*****PI*87726',
      'HL*2*1*21*1',
      'NM1*41*2*NORTHSIDE BILLING*****46*TGJ23',
      'HL*3*2*19*1',
      'NM1*1P*2*NORTHSIDE CLINIC*****XX*1234567893',
      'HL*4*3*PT',
      'NM1*QC*1*ROE*TOMMY****MI*XJH452190377',
      'TRN*2*PCN4471928',
      'STC*A2:20:PR*20240318**125*100',
      'REF*1K*2024080123456',
      'REF*EJ*ACCT88213',
      'DTP*472*RD8*20240301-20240301',
      'SE*15*0001',
    ),
    typed: [
      ['1234567893', NPI],
      ['XJH452190377', MEMBER_OR_MBI],
    ],
    untyped: ['PCN4471928', '2024080123456', 'ACCT88213', '125', '100', '20240301-20240301'],
  },
  {
    name: '278 authorization request with diagnoses and a procedure',
    text: x12(
      'ST*278*0001*005010X217',
      'BHT*0007*13*AUTHREQ01*20240318*0900',
      'HL*1**20*1',
      'NM1*X3*2*ACME UM*****PI*87726',
      'HL*2*1*21*1',
      'NM1*1P*1*LEE*ANNA****XX*1547328694',
      'HL*3*2*22*1',
      'NM1*IL*1*ROE*JANE****MI*W536221874',
      'DMG*D8*19610412*F',
      'HL*4*3*EV*1',
      'UM*HS*I*2*11:B',
      'HCR*A1*AUTH2024-5521',
      'REF*9F*REF77123',
      'DTP*472*D8*20240401',
      'HI*ABK:M1711*ABF:Z96651',
      'HI*BBR:0SRD0J9:D8:20240401',
      'NM1*SJ*1*PATEL*RAJ****XX*1982765434',
      'SE*17*0001',
    ),
    typed: [
      ['1547328694', NPI],
      ['W536221874', MEMBER_OR_MBI],
      ['19610412', DOB],
      ['M1711', ICD],
      ['Z96651', ICD],
      ['1982765434', NPI],
    ],
    untyped: ['AUTH2024-5521', 'REF77123', '0SRD0J9', '11', '87726'],
  },
  {
    name: '834 enrollment of a subscriber',
    text: x12(
      'ST*834*0001*005010X220A1',
      'BGN*00*ENR20240315*20240315*1200****2',
      'N1*P5*NORTHSIDE MANUFACTURING*FI*412683307',
      'N1*IN*ACME HEALTH PLAN*FI*391234567',
      'INS*Y*18*021*28*A***FT',
      'REF*0F*536221874',
      'REF*1L*GR00451',
      'REF*23*CL-77812',
      'DTP*356*D8*20240101',
      'NM1*IL*1*ROE*JANE*M***34*536221874',
      'PER*IP**HP*6125550199',
      'N3*22 OAK AVE',
      'N4*SAINT PAUL*MN*55102',
      'DMG*D8*19610412*F*M',
      'HD*021**HLT*PPO001*EMP',
      'DTP*348*D8*20240101',
      'SE*15*0001',
    ),
    typed: [
      ['412683307', EIN],
      ['391234567', EIN],
      ['536221874', MEMBER],
      ['CL-77812', MEMBER],
      ['536221874', SSN],
      ['19610412', DOB],
    ],
    untyped: ['ENR20240315', 'GR00451', '6125550199', '55102', '20240101', 'PPO001'],
  },
];

describe('readX12: transaction sets', () => {
  for (const s of SAMPLES) {
    it(s.name, () => {
      const zones = readX12(s.text);
      expect(typed(s.text, zones)).toEqual(s.typed);
      expectUntyped(s.text, zones, s.untyped);
    });
  }

  it('reads birth dates as CCYYMMDD', () => {
    const text = 'NM1*IL*1*ROE*JANE****MI*W536221874~DMG*D8*19610412*F~';
    const zone = zoneOver(text, readX12(text), '19610412');
    expect(zone?.dateOrder).toBe('year-first');
    expect(zone?.label).toBe('X12 DMG02 date of birth (D8)');
  });

  it("reads a person's taxpayer ID as an SSN, ITIN or EIN and a company's as an EIN", () => {
    const text = 'NM1*85*1*LEE*ANNA****FI*536221874~NM1*85*2*NORTHSIDE*****FI*412683307~';
    expect(typed(text, readX12(text))).toEqual([
      ['536221874', ['US_SSN', 'US_ITIN', 'US_EIN']],
      ['412683307', EIN],
    ]);
  });

  it('leaves a qualifier it does not know without a zone', () => {
    const text = 'NM1*IL*1*ROE*JANE****ZZ*W536221874~REF*ZZ*536221874~';
    expect(readX12(text)).toEqual([]);
  });
});

describe('readX12: separators and layout', () => {
  it('takes the separators the ISA header declares', () => {
    const text =
      "ISA!00!          !00!          !ZZ!SENDER         !ZZ!RECEIVER       !240315!1253!^!00501!000000905!0!P!}'" +
      "NM1!IL!1!ROE!JANE!!!!MI!W536221874'HI!ABK}E119!ABF}I10'";
    expect(typed(text, readX12(text))).toEqual([
      ['W536221874', MEMBER_OR_MBI],
      ['E119', ICD],
      ['I10', ICD],
    ]);
  });

  it('reads a fragment without ISA whose segments end at another declared terminator', () => {
    const text = "ST*271*0001*005010X279A1'HL*3*2*22*0'NM1*IL*1*ROE*JANE****MI*W536221874'DMG*D8*19610412*F'";
    expect(typed(text, readX12(text))).toEqual([
      ['W536221874', MEMBER_OR_MBI],
      ['19610412', DOB],
    ]);
  });

  it('reads an interchange whose segments end at line breaks', () => {
    const text =
      'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240315*1253*^*00501*000000905*0*P*:\n' +
      'NM1*IL*1*ROE*JANE****34*536221874\nDMG*D8*19610412\n';
    expect(typed(text, readX12(text))).toEqual([
      ['536221874', SSN],
      ['19610412', DOB],
    ]);
  });

  it('finds a segment quoted inside a sentence', () => {
    const text = 'The member segment was: NM1*IL*1*ROE*JANE****MI*W536221874~ please check it.';
    expect(typed(text, readX12(text))).toEqual([['W536221874', MEMBER_OR_MBI]]);
  });

  it('infers the component separator of a fragment from its first composite', () => {
    const text = 'CLM*PCN4471928*125***11>B>1*Y*A*Y*Y~HI*ABK>E119*ABF>I10~';
    expect(typed(text, readX12(text))).toEqual([
      ['E119', ICD],
      ['I10', ICD],
    ]);
  });

  it('reads segments an HTML body put on separate lines', () => {
    const html =
      '<div>Claim below</div><p class=MsoNormal>NM1*IL*1*ROE*JANE****MI*W536221874~<br>' +
      'DMG*D8*19610412*F~</p><p class=MsoNormal>REF*SY*536221874~</p><div>Thanks</div>';
    const text = prepareHtml(html).text;
    expect(typed(text, readX12(text))).toEqual([
      ['W536221874', MEMBER_OR_MBI],
      ['19610412', DOB],
      ['536221874', SSN],
    ]);
  });

  it('keeps reading a segment that a hard wrap split across lines', () => {
    const text = 'NM1*IL*1*ROE*JANE*\n***MI*W536221874~DMG*D8*\n19610412*F~';
    expect(typed(text, readX12(text))).toEqual([
      ['W536221874', MEMBER_OR_MBI],
      ['19610412', DOB],
    ]);
  });

  it('takes line breaks as terminators when a paragraph follows the first line', () => {
    const text = 'NM1*IL*1*ROE*JANE****MI*W536221874\r\n\r\nSee you ~ Friday';
    expect(typed(text, readX12(text))).toEqual([['W536221874', MEMBER_OR_MBI]]);
  });

  it('ends the last segment at the prose that follows it', () => {
    const text = 'REF*SY*536221874~DMG*D8*19610412\nThanks, Jane 412683307';
    expect(typed(text, readX12(text))).toEqual([
      ['536221874', SSN],
      ['19610412', DOB],
    ]);
  });

  it('reads segments quoted in a reply', () => {
    const text = '> NM1*IL*1*ROE*JANE****MI*W536221874~\n> DMG*D8*19610412*F~\n';
    expect(typed(text, readX12(text))).toEqual([
      ['W536221874', MEMBER_OR_MBI],
      ['19610412', DOB],
    ]);
  });

  it('reads two interchanges with different separators', () => {
    const text =
      'ISA*00*          *00*          *ZZ*A              *ZZ*B              *240315*1253*^*00501*000000001*0*P*:~' +
      'REF*SY*536221874~IEA*1*000000001~\n' +
      'ISA|00|          |00|          |ZZ|A              |ZZ|B              |240315|1253|^|00501|000000002|0|P|>~' +
      'HI|ABK>E119~IEA|1|000000002~';
    expect(typed(text, readX12(text))).toEqual([
      ['536221874', SSN],
      ['E119', ICD],
    ]);
  });
});

describe('readX12: text that is not X12', () => {
  const negatives: readonly string[] = [
    'Please see the *important* note below and call me at 612-555-0142.',
    'Totals: 5*3*2 = 30 and a|b|c are the options.',
    '| Name | SSN | DOB |\n|---|---|---|\n| Jane Roe | 536-22-1874 | 04/12/1961 |',
    'HI* there, the REF*: line is attached.',
    'NM1 was rejected because NM109 is missing; SSN 536-22-1874.',
    'Rating: **** (4 stars) ~ great service ~',
    '',
  ];
  for (const text of negatives) {
    it(JSON.stringify(text.slice(0, 60)), () => {
      expect(readX12(text)).toEqual([]);
    });
  }
});

describe('readX12: linear on hostile input', () => {
  const inputs: readonly (readonly [string, string])[] = [
    ['NM1* repeated', fill('NM1*', ONE_MB)],
    ['NM1* at every line start', fill('NM1*\n', ONE_MB)],
    ['pipes', fill('|', ONE_MB)],
    ['tildes', fill('~', ONE_MB)],
    ['ISA* repeated', fill('ISA*', ONE_MB)],
    ['ISA with padding repeated', fill('ISA*          ', ONE_MB)],
    ['a segment per line', fill('REF*SY*536221874~\n', ONE_MB)],
    ['composites', fill('HI*ABK:E119*ABF:I10~', ONE_MB)],
    ['wrapped lines', fill('AB*\n', ONE_MB, 'NM1*IL*1*A~')],
    ['quote markers', fill('> ', ONE_MB, '', 'NM1*IL*1*A*B~')],
    ['element separators without ids', fill('*1*', ONE_MB, 'REF*SY*')],
    ['segments inside one long sentence', fill(' REF*a', ONE_MB)],
    ['sparse separators in one long line', fill(' NM1*aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', ONE_MB)],
  ];
  for (const [name, text] of inputs) {
    it(`${name}: 1 MB in well under a second (linear)`, () => {
      expect(bestOfThree(() => readX12(text))).toBeLessThan(1000);
    });
  }

  it('returns at once when there is no separator at all', () => {
    const text = fill('plain words and numbers 536221874 ', ONE_MB);
    expect(readX12(text)).toEqual([]);
    expect(bestOfThree(() => readX12(text))).toBeLessThan(100);
  });
});
