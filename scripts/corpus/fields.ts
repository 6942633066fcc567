/**
 * One labelled value with a label a person would write next to it, for the
 * label-and-value shapes (forms, key-value blocks, prose), and the ordinary
 * fields that sit beside them.
 */
import type { EntityType } from '../../src/shared/entities';
import type { Rng } from './rng';
import {
  aba,
  authNo,
  bankAccount,
  card,
  claimNo,
  cmsContract,
  dashed9,
  dea,
  ein,
  groupCard,
  groupIban,
  iban,
  icd,
  itinDigits,
  mbi,
  memberId,
  money,
  mrn,
  ndc,
  npi,
  person,
  phone,
  recentDate,
  safeDigits,
  ssnDigits,
  tracking,
  usDate,
  CPT,
} from './values';

export interface LabelledValue {
  type: EntityType;
  label: string;
  /** The value exactly as written. */
  value: string;
  /** Words that follow the value (a diagnosis description). */
  after?: string;
}

const LABELS: Record<EntityType, string[]> = {
  US_SSN: [
    'SSN',
    'Social Security Number',
    'SS#',
    'Soc. Sec. #',
    'Member SSN',
    'Social Security No.',
    'Subscriber SSN',
  ],
  US_ITIN: ['ITIN', 'Individual Taxpayer ID (ITIN)', 'Taxpayer ID Number (ITIN)'],
  CREDIT_CARD: ['Card Number', 'Credit Card', 'Card #', 'Card on file', 'Payment card', 'CC#'],
  MEDICARE_MBI: ['MBI', 'Medicare ID (MBI)', 'Medicare Beneficiary Identifier', 'Medicare #'],
  NPI: ['NPI', 'Rendering NPI', 'Provider NPI', 'Type 1 NPI', 'Group NPI', 'Billing NPI'],
  DEA: ['DEA #', 'DEA Registration', 'DEA', 'Prescriber DEA'],
  ABA_ROUTING: ['Routing #', 'ABA', 'Routing Number', 'Bank Routing No.', 'ABA Routing'],
  US_BANK_ACCOUNT: ['Account #', 'Checking Account', 'Bank Account Number', 'Acct No.', 'Deposit account'],
  IBAN: ['IBAN', 'IBAN (international)', 'Beneficiary IBAN'],
  US_EIN: ['Tax ID', 'TIN', 'EIN', 'Federal Tax ID', 'Group Tax ID'],
  DATE_OF_BIRTH: ['DOB', 'Date of Birth', 'Birth Date', 'D.O.B.', 'Birthdate'],
  ICD10: ['Diagnosis', 'Dx', 'ICD-10', 'Diagnosis Code', 'Primary Dx', 'Dx code(s)'],
  MEMBER_ID: ['Member ID', 'Subscriber ID', 'Member #', 'Mbr ID', 'Member Number', 'Health Plan ID'],
  MRN: ['MRN', 'Medical Record #', 'Chart Number', 'Med Rec No', 'Medical Record Number'],
};

export function labelFor(r: Rng, type: EntityType): string {
  return r.pick(LABELS[type]);
}

export function valueFor(r: Rng, type: EntityType): { value: string; after?: string } {
  switch (type) {
    case 'US_SSN': {
      const s = ssnDigits(r);
      return {
        value: r.chance(0.75)
          ? dashed9(s)
          : r.chance(0.5)
            ? s
            : `${s.slice(0, 3)} ${s.slice(3, 5)} ${s.slice(5)}`,
      };
    }
    case 'US_ITIN':
      return { value: dashed9(itinDigits(r)) };
    case 'CREDIT_CARD': {
      const c = card(r);
      return { value: r.chance(0.6) ? groupCard(c, r.chance(0.8) ? ' ' : '-') : c };
    }
    case 'MEDICARE_MBI':
      return { value: mbi(r) };
    case 'NPI':
      return { value: npi(r) };
    case 'DEA':
      return { value: dea(r) };
    case 'ABA_ROUTING':
      return { value: aba(r) };
    case 'US_BANK_ACCOUNT':
      return { value: bankAccount(r) };
    case 'IBAN': {
      const v = iban(r);
      return { value: r.chance(0.6) ? groupIban(v) : v };
    }
    case 'US_EIN': {
      const e = ein(r);
      return { value: r.chance(0.8) ? `${e.slice(0, 2)}-${e.slice(2)}` : e };
    }
    case 'DATE_OF_BIRTH':
      return { value: usDate(r, person(r).dob) };
    case 'ICD10': {
      const c = icd(r);
      return { value: c[0], after: r.chance(0.5) ? c[1] : undefined };
    }
    case 'MEMBER_ID':
      return { value: memberId(r) };
    case 'MRN':
      return { value: mrn(r) };
  }
}

export function labelled(r: Rng, type: EntityType): LabelledValue {
  return { type, label: labelFor(r, type), ...valueFor(r, type) };
}

/** Types weighted the way they turn up in a plan's outgoing mail. */
export const COMMON_TYPES: EntityType[] = [
  'MEMBER_ID',
  'MEMBER_ID',
  'MEMBER_ID',
  'DATE_OF_BIRTH',
  'DATE_OF_BIRTH',
  'DATE_OF_BIRTH',
  'US_SSN',
  'US_SSN',
  'ICD10',
  'ICD10',
  'NPI',
  'NPI',
  'MRN',
  'MEDICARE_MBI',
  'US_EIN',
  'DEA',
  'ABA_ROUTING',
  'US_BANK_ACCOUNT',
  'CREDIT_CARD',
  'IBAN',
  'US_ITIN',
];

/** A few labelled values for one member or provider; bank accounts come with a routing number. */
export function someLabelled(r: Rng, min = 1, max = 4): LabelledValue[] {
  const n = r.int(min, max);
  const types = new Set<EntityType>();
  while (types.size < n) types.add(r.pick(COMMON_TYPES));
  if (types.has('US_BANK_ACCOUNT')) types.add('ABA_ROUTING');
  return [...types].map((t) => labelled(r, t));
}

export interface PlainValue {
  label: string;
  value: string;
}

/** Ordinary fields: numbers and dates that are not sensitive identifiers. */
export function plainField(r: Rng): PlainValue {
  switch (r.int(0, 17)) {
    case 0:
      return { label: r.pick(['Claim #', 'Claim Number', 'ICN']), value: claimNo(r) };
    case 1:
      return { label: r.pick(['Auth #', 'Authorization Number', 'Reference #']), value: authNo(r) };
    case 2:
      return { label: r.pick(['DOS', 'Date of Service', 'Service Date']), value: usDate(r, recentDate(r)) };
    case 3:
      return { label: r.pick(['Call Reference #', 'Call ref']), value: `${r.letters(2)}${r.digits(10)}` };
    case 4:
      return { label: r.pick(['Office Phone', 'Callback Number', 'Phone']), value: phone(r) };
    case 5:
      return { label: r.pick(['Fax', 'Secure Fax', 'Fax #']), value: phone(r) };
    case 6:
      return {
        label: r.pick(['Check #', 'EFT Trace #', 'Check/EFT Number']),
        value: safeDigits(r, r.pick([9, 10, 11])),
      };
    case 7:
      return { label: 'NDC', value: ndc(r) };
    case 8:
      return { label: r.pick(['CPT', 'Procedure Code', 'HCPCS']), value: r.pick(CPT) };
    case 9:
      return { label: r.pick(['Billed Amount', 'Total Charges']), value: '$' + money(r) };
    case 10:
      return { label: r.pick(['Paid Amount', 'Allowed Amount']), value: '$' + money(r) };
    case 11:
      return { label: r.pick(['Group #', 'Group Number']), value: `GRP${r.digits(5)}` };
    case 12:
      return { label: r.pick(['Contract-PBP', 'Plan (H#)']), value: cmsContract(r) };
    case 13:
      return { label: r.pick(['Tracking #', 'UPS Tracking']), value: tracking(r) };
    case 14:
      return { label: r.pick(['Invoice #', 'Invoice Number']), value: `INV-${r.digits(7)}` };
    case 15:
      return { label: r.pick(['Ticket #', 'Confirmation #', 'Batch #']), value: safeDigits(r, 9) };
    case 16:
      return {
        label: r.pick(['Received Date', 'Effective Date', 'Paid Date']),
        value: usDate(r, recentDate(r)),
      };
    default:
      return {
        label: r.pick(['Place of Service', 'POS']),
        value: r.pick(['11', '22', '21', '02', '10', '12']),
      };
  }
}

export function somePlain(r: Rng, min: number, max: number): PlainValue[] {
  const seen = new Set<string>();
  const out: PlainValue[] = [];
  const n = r.int(min, max);
  for (let guard = 0; out.length < n && guard < 50; guard++) {
    const p = plainField(r);
    if (seen.has(p.label)) continue;
    seen.add(p.label);
    out.push(p);
  }
  return out;
}
