/**
 * Rows of the lists representatives paste: one member or claim a row, with
 * the columns such lists really carry, each column knowing whether its cells
 * are a labelled entity (a DOB column's dates are birth dates; a DOS column's
 * are not).
 */
import type { EntityType } from '../../src/shared/entities';
import type { Rng } from './rng';
import {
  authNo,
  cap,
  claimNo,
  cmsContract,
  CPT,
  dashed9,
  ein,
  icd,
  mbi,
  memberId,
  money,
  mrn,
  npi,
  person,
  phone,
  PRACTICES,
  recentDate,
  ssnDigits,
  usDate,
  type Person,
} from './values';

export interface Rec {
  p: Person;
  name: string;
  nameLf: string;
  memberId: string;
  ssn: string;
  dob: string;
  dx: string;
  npi: string;
  mrn: string;
  mbi: string;
  ein: string;
  claim: string;
  dos: string;
  cpt: string;
  billed: string;
  paid: string;
  phone: string;
  status: string;
  auth: string;
  provider: string;
  plan: string;
}

export interface RecStyle {
  dobStyle: number;
  dosStyle: number;
  ssnDashed: boolean;
  upperNames: boolean;
  dollar: boolean;
}

export function recStyle(r: Rng): RecStyle {
  return {
    dobStyle: r.pick([0, 0, 1, 2, 3, 5, 6]),
    dosStyle: r.pick([0, 1, 3, 6]),
    ssnDashed: r.chance(0.7),
    upperNames: r.chance(0.5),
    dollar: r.chance(0.4),
  };
}

export function rec(r: Rng, st: RecStyle): Rec {
  const p = person(r);
  const first = st.upperNames ? p.first : cap(p.first);
  const last = st.upperNames ? p.last : cap(p.last);
  const billed = money(r, 40, 6000);
  const paidNum = Number(billed.replace(/,/g, '')) * r.pick([0, 0.42, 0.55, 0.61, 0.8, 1]);
  const paid = paidNum.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const ssn = ssnDigits(r);
  return {
    p,
    name: `${first} ${last}`,
    nameLf: `${last}, ${first}`,
    memberId: memberId(r),
    ssn: st.ssnDashed ? dashed9(ssn) : ssn,
    dob: usDate(r, p.dob, st.dobStyle),
    dx: icd(r)[0],
    npi: npi(r),
    mrn: mrn(r),
    mbi: mbi(r),
    ein: ein(r),
    claim: claimNo(r),
    dos: usDate(r, recentDate(r), st.dosStyle),
    cpt: r.pick(CPT),
    billed: (st.dollar ? '$' : '') + billed,
    paid: (st.dollar ? '$' : '') + paid,
    phone: phone(r),
    status: r.pick(['Paid', 'Denied', 'Pended', 'In Process', 'Adjusted', 'Denied - COB', 'Paid']),
    auth: authNo(r),
    provider: cap(r.pick(PRACTICES)),
    plan: r.pick(['Medicaid', 'DSNP', 'Medicare Advantage', 'Marketplace', cmsContract(r), 'CHIP']),
  };
}

export interface Col {
  key: string;
  header: string;
  type?: EntityType;
  right?: boolean;
  val: (x: Rec) => string;
}

type ColSpec = Omit<Col, 'header'> & { headers: string[] };

const ENTITY_COLS: ColSpec[] = [
  {
    key: 'memberId',
    headers: [
      'Member ID',
      'Mbr ID',
      'Subscriber ID',
      'Member #',
      'Member Number',
      'Subscriber #',
      'Plan Member ID',
    ],
    type: 'MEMBER_ID',
    val: (x) => x.memberId,
  },
  {
    key: 'dob',
    headers: ['DOB', 'Date of Birth', 'Birth Date', 'D.O.B.', 'Birthdate', 'Mbr DOB'],
    type: 'DATE_OF_BIRTH',
    val: (x) => x.dob,
  },
  {
    key: 'ssn',
    headers: ['SSN', 'SS#', 'Social Security #', 'Soc Sec No', 'Member SSN'],
    type: 'US_SSN',
    val: (x) => x.ssn,
  },
  {
    key: 'dx',
    headers: ['Dx', 'Diagnosis', 'ICD-10', 'Dx Code', 'Primary Dx', 'ICD10 Dx'],
    type: 'ICD10',
    val: (x) => x.dx,
  },
  {
    key: 'npi',
    headers: ['NPI', 'Rendering NPI', 'Provider NPI', 'Billing NPI', 'Attending NPI'],
    type: 'NPI',
    val: (x) => x.npi,
  },
  {
    key: 'mrn',
    headers: ['MRN', 'Chart #', 'Med Rec #', 'Medical Record #', 'Chart No'],
    type: 'MRN',
    val: (x) => x.mrn,
  },
  {
    key: 'mbi',
    headers: ['MBI', 'Medicare ID', 'Medicare Beneficiary ID', 'Medicare # (MBI)'],
    type: 'MEDICARE_MBI',
    val: (x) => x.mbi,
  },
  {
    key: 'ein',
    headers: ['Tax ID', 'TIN', 'EIN', 'Federal Tax ID', 'Billing TIN'],
    type: 'US_EIN',
    val: (x) => x.ein,
  },
];

const PLAIN_COLS: ColSpec[] = [
  { key: 'claim', headers: ['Claim #', 'Claim Number', 'ICN', 'Claim ID', 'Clm No'], val: (x) => x.claim },
  { key: 'dos', headers: ['DOS', 'Date of Service', 'Svc Date', 'From DOS'], val: (x) => x.dos },
  { key: 'cpt', headers: ['CPT', 'Proc Code', 'CPT/HCPCS', 'Procedure'], val: (x) => x.cpt },
  {
    key: 'billed',
    headers: ['Billed', 'Billed Amt', 'Charges', 'Total Charge'],
    right: true,
    val: (x) => x.billed,
  },
  { key: 'paid', headers: ['Paid', 'Paid Amt', 'Allowed', 'Plan Paid'], right: true, val: (x) => x.paid },
  { key: 'phone', headers: ['Phone', 'Phone #', 'Contact Phone', 'Callback #'], val: (x) => x.phone },
  { key: 'status', headers: ['Status', 'Claim Status', 'Disposition'], val: (x) => x.status },
  { key: 'auth', headers: ['Auth #', 'Authorization', 'PA Number', 'Ref #'], val: (x) => x.auth },
  {
    key: 'provider',
    headers: ['Provider', 'Rendering Provider', 'Facility', 'Practice'],
    val: (x) => x.provider,
  },
  { key: 'plan', headers: ['Plan', 'LOB', 'Product', 'Contract-PBP'], val: (x) => x.plan },
];

const NAME_COL: ColSpec = {
  key: 'name',
  headers: ['Member Name', 'Member', 'Patient Name', 'Name', 'Patient'],
  val: (x) => x.nameLf,
};

function pickHeader(r: Rng, c: ColSpec): Col {
  return { key: c.key, header: r.pick(c.headers), type: c.type, right: c.right, val: c.val };
}

/** Columns for a list: with `sensitive`, at least one entity column. */
export function columns(
  r: Rng,
  sensitive: boolean,
  opts: { maxEntity?: number; plain?: number } = {},
): Col[] {
  const cols: Col[] = [];
  if (r.chance(0.85)) cols.push(pickHeader(r, NAME_COL));
  if (sensitive) {
    const preferred = ENTITY_COLS.slice(0, 5);
    const n = r.int(1, opts.maxEntity ?? 4);
    const chosen = r.sample(r.chance(0.7) ? preferred : ENTITY_COLS, n);
    for (const c of ENTITY_COLS) if (chosen.includes(c)) cols.push(pickHeader(r, c));
  }
  const plain = r.sample(PLAIN_COLS, opts.plain ?? r.int(sensitive ? 1 : 3, sensitive ? 4 : 6));
  for (const c of PLAIN_COLS) if (plain.includes(c)) cols.push(pickHeader(r, c));
  return cols;
}
