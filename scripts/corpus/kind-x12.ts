/**
 * `x12`: EDI transactions pasted into mail (837P/I, 835, 270/271, 276/277,
 * 278, 834, and acknowledgments), labelled by what each element means.
 */
import { compose, frame, lineRaw, OUTROS } from './common';
import { esc, mark } from './doc';
import type { Rng } from './rng';
import type { Template } from './types';
import {
  aba,
  bankAccount,
  d8,
  ein,
  icd,
  memberId,
  money,
  npi,
  person,
  PAYERS,
  PRACTICES,
  recentDate,
  safeDigits,
  ssnDigits,
  CPT,
  CITIES,
  STREETS,
  type Person,
} from './values';

interface Seps {
  el: string;
  comp: string;
  rep: string;
  seg: string;
}

const SEP_CHOICES: Seps[] = [
  { el: '*', comp: ':', rep: '^', seg: '~' },
  { el: '*', comp: ':', rep: '^', seg: '~' },
  { el: '*', comp: '>', rep: '^', seg: '~' },
  { el: '|', comp: '^', rep: '{', seg: '~' },
  { el: '*', comp: ':', rep: '^', seg: "'" },
  { el: '^', comp: ':', rep: '{', seg: '~' },
];

type El = string | string[];
type Seg = El[];

function render(segs: Seg[], s: Seps, nl: string): string {
  return segs
    .map((seg) => {
      const els = seg.map((e) => (Array.isArray(e) ? e.join(s.comp) : e));
      while (els.length > 1 && els[els.length - 1] === '') els.pop();
      return els.join(s.el) + s.seg + nl;
    })
    .join('');
}

const dx = (r: Rng): string => mark('ICD10', icd(r)[0].replace('.', ''));

interface Ctx {
  r: Rng;
  sensitive: boolean;
  date: string;
  sub: Person;
}

function subscriberNm1(c: Ctx, entity = 'IL'): Seg {
  const { r, sub } = c;
  if (!c.sensitive) return ['NM1', entity, '1', sub.last, sub.first];
  return [
    'NM1',
    entity,
    '1',
    sub.last,
    sub.first,
    r.chance(0.3) ? r.pick(['A', 'M', 'J']) : '',
    '',
    '',
    'MI',
    mark('MEMBER_ID', memberId(r)),
  ];
}

function addr(r: Rng): Seg[] {
  const [city, st, zip] = r.pick(CITIES);
  return [
    ['N3', `${r.int(100, 9999)} ${r.pick(STREETS)}`],
    ['N4', city, st, zip + r.digits(4)],
  ];
}

function providerNm1(c: Ctx, code: string, org: boolean): Seg {
  const { r } = c;
  const name = org
    ? [r.pick(PRACTICES), '', '', '', '']
    : [r.pick(['SMITH', 'PATEL', 'NGUYEN', 'GARCIA']), r.pick(['ANNA', 'RAJ', 'MINH', 'LUIS']), '', '', ''];
  if (!c.sensitive) return ['NM1', code, org ? '2' : '1', ...name, '', ''];
  return ['NM1', code, org ? '2' : '1', ...name, 'XX', mark('NPI', npi(r))];
}

function tx837p(c: Ctx): Seg[] {
  const { r } = c;
  const segs: Seg[] = [
    ['BHT', '0019', '00', safeDigits(r, 10), c.date, '1200', 'CH'],
    ['NM1', '41', '2', 'CLEARINGHOUSE LLC', '', '', '', '', '46', r.letters(2) + r.digits(5)],
    ['PER', 'IC', 'EDI DEPT', 'TE', r.digits(10)],
    ['NM1', '40', '2', r.pick(PAYERS), '', '', '', '', '46', r.digits(5)],
    ['HL', '1', '', '20', '1'],
    providerNm1(c, '85', true),
    ...addr(r),
  ];
  if (c.sensitive && r.chance(0.7)) segs.push(['REF', 'EI', mark('US_EIN', ein(r))]);
  segs.push(
    ['HL', '2', '1', '22', '0'],
    ['SBR', 'P', '18', 'GRP' + r.digits(5), '', '', '', '', '', 'MC'],
    subscriberNm1(c),
    ...addr(r),
  );
  if (c.sensitive) segs.push(['DMG', 'D8', mark('DATE_OF_BIRTH', d8(c.sub.dob)), c.sub.sex]);
  if (c.sensitive && r.chance(0.25)) segs.push(['REF', 'SY', mark('US_SSN', ssnDigits(r))]);
  segs.push(['NM1', 'PR', '2', r.pick(PAYERS), '', '', '', '', 'PI', r.digits(5)]);
  const billed = money(r, 80, 900).replace(/,/g, '');
  segs.push(['CLM', `${r.letters(3)}${r.digits(7)}`, billed, '', '', ['11', 'B', '1'], 'Y', 'A', 'Y', 'Y']);
  if (c.sensitive) segs.push(['HI', ['ABK', dx(r)], ...(r.chance(0.6) ? [['ABF', dx(r)]] : [])]);
  else segs.push(['REF', 'D9', safeDigits(r, 12)]);
  segs.push(providerNm1(c, '82', false), [
    'PRV',
    'PE',
    'PXC',
    r.pick(['207Q00000X', '208D00000X', '207R00000X']),
  ]);
  const n = r.int(1, 3);
  for (let i = 1; i <= n; i++)
    segs.push(
      ['LX', String(i)],
      ['SV1', ['HC', r.pick(CPT)], money(r, 20, 300).replace(/,/g, ''), 'UN', '1', '', '', '1'],
      ['DTP', '472', 'D8', d8(recentDate(r))],
    );
  return segs;
}

function tx837i(c: Ctx): Seg[] {
  const { r } = c;
  const segs: Seg[] = [
    ['BHT', '0019', '00', safeDigits(r, 9), c.date, '0930', 'CH'],
    ['NM1', '41', '2', 'HOSPITAL BILLING', '', '', '', '', '46', r.digits(7)],
    ['HL', '1', '', '20', '1'],
    providerNm1(c, '85', true),
    ...addr(r),
  ];
  if (c.sensitive) segs.push(['REF', 'EI', mark('US_EIN', ein(r))]);
  segs.push(['HL', '2', '1', '22', '0'], ['SBR', 'P', '18', '', '', '', '', '', '', 'MA'], subscriberNm1(c));
  if (c.sensitive) segs.push(['DMG', 'D8', mark('DATE_OF_BIRTH', d8(c.sub.dob)), c.sub.sex]);
  const adm = recentDate(r);
  segs.push([
    'CLM',
    r.digits(10),
    money(r, 2000, 40000).replace(/,/g, ''),
    '',
    '',
    ['11', 'A', '1'],
    '',
    'A',
    'Y',
    'Y',
  ]);
  segs.push(
    ['DTP', '434', 'RD8', `${d8(adm)}-${d8(adm)}`],
    ['DTP', '435', 'DT', d8(adm) + '0800'],
    ['CL1', '1', '7', '01'],
  );
  if (c.sensitive) {
    segs.push(['HI', ['ABK', dx(r)]], ['HI', ['ABJ', dx(r)]]);
    if (r.chance(0.6)) segs.push(['HI', ['ABF', dx(r)], ['ABF', dx(r)]]);
  }
  segs.push(providerNm1(c, '71', false));
  for (let i = 1; i <= r.int(1, 3); i++)
    segs.push(
      ['LX', String(i)],
      [
        'SV2',
        r.pick(['0450', '0300', '0250', '0730']),
        ['HC', r.pick(CPT)],
        money(r, 50, 3000).replace(/,/g, ''),
        'UN',
        '1',
      ],
    );
  return segs;
}

function tx835(c: Ctx): Seg[] {
  const { r } = c;
  const total = money(r, 100, 20000).replace(/,/g, '');
  const bpr: Seg = c.sensitive
    ? [
        'BPR',
        'I',
        total,
        'C',
        'ACH',
        'CCP',
        '01',
        mark('ABA_ROUTING', aba(r)),
        'DA',
        mark('US_BANK_ACCOUNT', bankAccount(r)),
        '1' + r.digits(9),
        '',
        '01',
        mark('ABA_ROUTING', aba(r)),
        'DA',
        mark('US_BANK_ACCOUNT', bankAccount(r)),
        c.date,
      ]
    : ['BPR', 'H', '0', 'C', 'NON', '', '', '', '', '', '', '', '', '', '', '', c.date];
  const segs: Seg[] = [
    bpr,
    ['TRN', '1', safeDigits(r, 11), '1' + r.digits(9)],
    ['DTM', '405', c.date],
    ['N1', 'PR', r.pick(PAYERS)],
    ...addr(r),
    ['PER', 'BL', 'PROVIDER SERVICES', 'TE', r.digits(10)],
    c.sensitive
      ? ['N1', 'PE', r.pick(PRACTICES), 'XX', mark('NPI', npi(r))]
      : ['N1', 'PE', r.pick(PRACTICES)],
  ];
  if (c.sensitive && r.chance(0.7)) segs.push(['REF', 'TJ', mark('US_EIN', ein(r))]);
  for (let i = 1; i <= r.int(1, 3); i++) {
    const billed = money(r, 60, 900).replace(/,/g, '');
    const paid = (Number(billed) * r.pick([0.5, 0.62, 0.8, 0])).toFixed(2);
    segs.push(
      ['LX', String(i)],
      [
        'CLP',
        `${r.letters(2)}${r.digits(8)}`,
        paid === '0.00' ? '4' : '1',
        billed,
        paid,
        (Number(billed) - Number(paid)).toFixed(2),
        'MC',
        safeDigits(r, 14),
        '11',
        '1',
      ],
    );
    const p = person(r);
    segs.push(
      c.sensitive
        ? ['NM1', 'QC', '1', p.last, p.first, '', '', '', 'MI', mark('MEMBER_ID', memberId(r))]
        : ['NM1', 'QC', '1', p.last, p.first],
    );
    if (c.sensitive && r.chance(0.5)) segs.push(providerNm1(c, '82', false));
    segs.push(
      ['DTM', '232', d8(recentDate(r))],
      ['SVC', ['HC', r.pick(CPT)], billed, paid, '', '1'],
      ['DTM', '472', d8(recentDate(r))],
      ['CAS', 'CO', r.pick(['45', '97', '16', '253']), (Number(billed) - Number(paid)).toFixed(2)],
      ['AMT', 'B6', paid],
    );
  }
  if (r.chance(0.3))
    segs.push([
      'PLB',
      '1' + r.digits(9),
      `${c.date.slice(0, 4)}1231`,
      ['WO', safeDigits(r, 12)],
      '-' + money(r, 5, 90).replace(/,/g, ''),
    ]);
  return segs;
}

function tx270(c: Ctx, reply: boolean): Seg[] {
  const { r } = c;
  const segs: Seg[] = [
    ['BHT', '0022', reply ? '11' : '13', safeDigits(r, 10), c.date, '1015'],
    ['HL', '1', '', '20', '1'],
    ['NM1', 'PR', '2', r.pick(PAYERS), '', '', '', '', 'PI', r.digits(5)],
    ['HL', '2', '1', '21', '1'],
    providerNm1(c, '1P', true),
    ['HL', '3', '2', '22', '0'],
    ['TRN', reply ? '2' : '1', safeDigits(r, 12), '9' + r.digits(9)],
    subscriberNm1(c),
  ];
  if (c.sensitive)
    segs.push(['DMG', 'D8', mark('DATE_OF_BIRTH', d8(c.sub.dob)), ...(r.chance(0.5) ? [c.sub.sex] : [])]);
  segs.push(['DTP', '291', 'D8', c.date]);
  if (!reply) segs.push(['EQ', r.pick(['30', '1', '33', '47', 'MH'])]);
  else {
    segs.push(
      [
        'EB',
        '1',
        'IND',
        '30',
        r.pick(['HM', 'MC', 'MA']),
        r.pick(['MEDICAID MANAGED CARE', 'ADVANTAGE HMO', 'DUAL SNP']),
      ],
      ['DTP', '346', 'D8', d8(recentDate(r))],
    );
    segs.push(
      ['EB', 'C', 'IND', '30', '', '', '23', money(r, 100, 3000).replace(/,/g, '')],
      ['EB', 'B', '', '98', '', '', '27', '25'],
      ['MSG', 'PCP REQUIRED FOR SPECIALIST REFERRAL'],
    );
  }
  return segs;
}

function tx276(c: Ctx, reply: boolean): Seg[] {
  const { r } = c;
  const segs: Seg[] = [
    ['BHT', '0010', reply ? '08' : '13', safeDigits(r, 9), c.date, '0800', ...(reply ? ['DG'] : [])],
    ['HL', '1', '', '20', '1'],
    ['NM1', 'PR', '2', r.pick(PAYERS), '', '', '', '', 'PI', r.digits(5)],
    ['HL', '2', '1', '21', '1'],
    ['NM1', '41', '2', 'CLEARINGHOUSE LLC', '', '', '', '', '46', r.digits(7)],
    ['HL', '3', '2', '19', '1'],
    providerNm1(c, '1P', true),
    ['HL', '4', '3', '22', '0'],
  ];
  if (c.sensitive && !reply) segs.push(['DMG', 'D8', mark('DATE_OF_BIRTH', d8(c.sub.dob)), c.sub.sex]);
  segs.push(subscriberNm1(c, reply ? 'QC' : 'IL'));
  segs.push(['TRN', reply ? '2' : '1', safeDigits(r, 10)]);
  if (reply)
    segs.push([
      'STC',
      [r.pick(['F1', 'F2', 'A1', 'P1']), r.pick(['65', '20', '21', '3'])],
      c.date,
      '',
      money(r, 60, 900).replace(/,/g, ''),
      money(r, 0, 500).replace(/,/g, ''),
    ]);
  segs.push(['REF', '1K', safeDigits(r, 13)], ['REF', 'EJ', `${r.letters(3)}${r.digits(6)}`]);
  if (!reply) segs.push(['AMT', 'T3', money(r, 60, 900).replace(/,/g, '')]);
  segs.push(['DTP', '472', 'RD8', `${d8(recentDate(r))}-${d8(recentDate(r))}`]);
  return segs;
}

function tx278(c: Ctx): Seg[] {
  const { r } = c;
  const segs: Seg[] = [
    ['BHT', '0007', '13', safeDigits(r, 10), c.date, '1400'],
    ['HL', '1', '', '20', '1'],
    ['NM1', 'X3', '2', r.pick(PAYERS), '', '', '', '', 'PI', r.digits(5)],
    ['HL', '2', '1', '21', '1'],
    providerNm1(c, '1P', true),
    ['HL', '3', '2', '22', '1'],
    subscriberNm1(c),
  ];
  if (c.sensitive) segs.push(['DMG', 'D8', mark('DATE_OF_BIRTH', d8(c.sub.dob)), c.sub.sex]);
  segs.push(['HL', '4', '3', 'EV', '1'], ['UM', 'HS', 'I', r.pick(['3', '2', '12']), ['11', 'B']]);
  if (c.sensitive) segs.push(['HI', ['ABK', dx(r)], ...(r.chance(0.5) ? [['ABF', dx(r)]] : [])]);
  segs.push(
    ['DTP', 'AAH', 'RD8', `${d8(recentDate(r))}-${d8(recentDate(r))}`],
    ['HSD', 'VS', String(r.int(1, 24))],
    providerNm1(c, 'SJ', false),
  );
  segs.push(['HL', '5', '4', 'SS', '0'], ['SV1', ['HC', r.pick(CPT)], '', 'UN', '1']);
  return segs;
}

function tx834(c: Ctx): Seg[] {
  const { r } = c;
  const segs: Seg[] = [
    ['BGN', '00', safeDigits(r, 10), c.date, '0500', '', '', '', '2'],
    // N1 with FI carries the sponsor's and insurer's federal tax IDs.
    c.sensitive
      ? ['N1', 'P5', 'STATE MEDICAID AGENCY', 'FI', mark('US_EIN', ein(r))]
      : ['N1', 'P5', 'STATE MEDICAID AGENCY', '94', r.letters(3) + r.digits(4)],
    c.sensitive && r.chance(0.5)
      ? ['N1', 'IN', r.pick(PAYERS), 'FI', mark('US_EIN', ein(r))]
      : ['N1', 'IN', r.pick(PAYERS), '94', r.digits(5)],
  ];
  for (let i = 0; i < r.int(1, 3); i++) {
    const p = i === 0 ? c.sub : person(r);
    segs.push([
      'INS',
      i === 0 ? 'Y' : 'N',
      i === 0 ? '18' : r.pick(['01', '19']),
      r.pick(['021', '001', '024']),
      r.pick(['28', 'AI', 'XN']),
      'A',
      '',
      '',
      r.pick(['FT', 'TE', '']),
    ]);
    if (c.sensitive) segs.push(['REF', '0F', mark('MEMBER_ID', memberId(r))]);
    segs.push(['REF', '1L', 'GRP' + r.digits(6)], ['DTP', '356', 'D8', d8(recentDate(r))]);
    segs.push(
      c.sensitive && r.chance(0.8)
        ? ['NM1', 'IL', '1', p.last, p.first, '', '', '', '34', mark('US_SSN', ssnDigits(r))]
        : ['NM1', 'IL', '1', p.last, p.first],
    );
    segs.push(['PER', 'IP', '', 'HP', r.digits(10)], ...addr(r));
    if (c.sensitive)
      segs.push(['DMG', 'D8', mark('DATE_OF_BIRTH', d8(p.dob)), p.sex, '', r.pick(['7', 'B', ''])]);
    segs.push(
      ['HD', '021', '', r.pick(['HMO', 'HLT', 'DEN']), `PLAN${r.digits(3)}`, 'IND'],
      ['DTP', '348', 'D8', d8(recentDate(r))],
    );
  }
  return segs;
}

function ack999(c: Ctx): Seg[] {
  const { r } = c;
  const ok = r.chance(0.5);
  const segs: Seg[] = [
    ['AK1', 'HC', String(r.int(1, 99999)), '005010X222A1'],
    ['AK2', '837', r.digits(4), '005010X222A1'],
  ];
  if (!ok)
    segs.push(
      ['IK3', r.pick(['NM1', 'CLM', 'DMG', 'HI']), String(r.int(5, 80)), r.pick(['2010BA', '2300', '']), '8'],
      ['IK4', String(r.int(1, 9)), '', '7', r.pick(['XX', 'ZZ', 'D8'])],
    );
  segs.push(['IK5', ok ? 'A' : 'R', ...(ok ? [] : ['5'])], ['AK9', ok ? 'A' : 'R', '1', '1', ok ? '1' : '0']);
  return segs;
}

function claimFragment(c: Ctx): Seg[] {
  const { r } = c;
  const segs: Seg[] = [
    [
      'CLM',
      `${r.letters(3)}${r.digits(7)}`,
      money(r, 80, 900).replace(/,/g, ''),
      '',
      '',
      ['11', 'B', '1'],
      'Y',
      'A',
      'Y',
      'Y',
    ],
    ['REF', 'G1', 'A' + r.digits(8)],
  ];
  for (let i = 1; i <= r.int(1, 4); i++)
    segs.push(
      ['LX', String(i)],
      [
        'SV1',
        ['HC', r.pick(CPT), ...(r.chance(0.3) ? ['25'] : [])],
        money(r, 20, 300).replace(/,/g, ''),
        'UN',
        '1',
        '',
        '',
        '1',
      ],
      ['DTP', '472', 'D8', d8(recentDate(r))],
    );
  return segs;
}

interface TxDef {
  st: string;
  gs: string;
  version: string;
  body: (c: Ctx) => Seg[];
  what: string;
}

const TX: Record<string, TxDef> = {
  '837p': { st: '837', gs: 'HC', version: '005010X222A1', body: tx837p, what: '837P' },
  '837i': { st: '837', gs: 'HC', version: '005010X223A2', body: tx837i, what: '837I' },
  '835': { st: '835', gs: 'HP', version: '005010X221A1', body: tx835, what: '835' },
  '270': {
    st: '270',
    gs: 'HS',
    version: '005010X279A1',
    body: (c) => tx270(c, false),
    what: '270 eligibility inquiry',
  },
  '271': { st: '271', gs: 'HB', version: '005010X279A1', body: (c) => tx270(c, true), what: '271 response' },
  '276': { st: '276', gs: 'HR', version: '005010X212', body: (c) => tx276(c, false), what: '276' },
  '277': {
    st: '277',
    gs: 'HN',
    version: '005010X212',
    body: (c) => tx276(c, true),
    what: '277 status response',
  },
  '278': { st: '278', gs: 'HI', version: '005010X217', body: tx278, what: '278 request' },
  '834': { st: '834', gs: 'BE', version: '005010X220A1', body: tx834, what: '834 enrollment file' },
  '999': { st: '999', gs: 'FA', version: '005010X231A1', body: ack999, what: '999 acknowledgment' },
  '837-claim-loop': { st: '', gs: 'HC', version: '005010X222A1', body: claimFragment, what: 'claim loop' },
};

/** Transactions that carry no labelled values even in a sensitive message. */
const NEVER_SENSITIVE = new Set(['999', '837-claim-loop']);

const x12 =
  (key: string): Template =>
  (r, sensitive) => {
    const def = TX[key]!;
    const f = frame(r, 0.3);
    const seps = r.pick(SEP_CHOICES);
    const nl = r.pick(['\n', '\n', '', '\r\n']);
    const c: Ctx = {
      r,
      sensitive: sensitive && !NEVER_SENSITIVE.has(key),
      date: d8(recentDate(r)),
      sub: person(r),
    };
    const inner = def.body(c);
    let segs: Seg[] = def.st
      ? [['ST', def.st, '0001', def.version], ...inner, ['SE', String(inner.length + 2), '0001']]
      : inner;
    const envelope = def.st !== '' && r.chance(0.55);
    if (envelope) {
      const ctl = r.digits(9);
      const isa: Seg = [
        'ISA',
        '00',
        ' '.repeat(10),
        '00',
        ' '.repeat(10),
        'ZZ',
        `${r.letters(3)}${r.digits(5)}`.padEnd(15),
        'ZZ',
        r.pick(['CLEARINGHSE', 'PHCPN', 'SUNSTATE']).padEnd(15),
        c.date.slice(2),
        `${r.int(10, 23)}${r.int(10, 59)}`,
        seps.rep,
        '00501',
        ctl,
        '0',
        r.pick(['P', 'T']),
        seps.comp,
      ];
      segs = [
        isa,
        ['GS', def.gs, 'SENDER', 'RECEIVER', c.date, '1200', String(r.int(1, 9999)), 'X', def.version],
        ...segs,
        ['GE', '1', String(r.int(1, 9999))],
        ['IEA', '1', ctl],
      ];
    }
    let edi = render(segs, seps, nl);
    if (key === '999' && r.chance(0.3))
      edi = render([['TA1', r.digits(9), c.date.slice(2), '1200', 'A', '000']], seps, nl) + edi;
    let payload: string;
    if (!f.html) payload = edi + (nl === '' ? '\n' : '');
    else if (nl === '' || f.style === 'owa')
      payload = lineRaw(
        f,
        `<span style="font-family:Consolas,monospace;font-size:10pt">${esc(edi).replace(/\r?\n/g, '<br>\n')}</span>`,
      );
    else
      payload = edi
        .split(/\r?\n/)
        .filter((l) => l !== '')
        .map((l) => lineRaw(f, `<span style='font-family:"Courier New"'>${esc(l)}</span>`))
        .join('');
    const intro = r.pick([
      `Here is the ${def.what} from the clearinghouse, straight from the file:`,
      `The ${def.what} we received is below. Can you check the segments?`,
      `Pasting the raw ${def.what} so your EDI team can look at it.`,
      `This ${def.what} keeps rejecting - raw data below.`,
      `Per our call, the ${def.what}:`,
    ]);
    return {
      subject: r.pick([
        `${def.what} question`,
        `RE: ${def.what} rejection`,
        'EDI file issue',
        `FW: ${def.what}`,
        'Clearinghouse rejection',
      ]),
      body: compose(r, f, [intro], payload, r.chance(0.5) ? [r.pick(OUTROS)] : []),
      html: f.html,
    };
  };

export const X12_TEMPLATES: Record<string, Template> = Object.fromEntries(
  Object.keys(TX).map((k) => [`x12-${k}`, x12(k)]),
);
export const X12_NEGATIVE_ONLY = new Set(['x12-999', 'x12-837-claim-loop']);
