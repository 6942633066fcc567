/**
 * HL7's identifier type codes (v2 table 0203, reused by FHIR as the code
 * system `http://terminology.hl7.org/CodeSystem/v2-0203`): what kind of number
 * an identifier says it is. HL7 v2 puts the code in CX.5 / XCN.13, FHIR in
 * `Identifier.type.coding[].code`, so both readers share this one table.
 */
import type { EntityType } from '../../shared/entities';

const MRN: readonly EntityType[] = ['MRN'];
const MEMBER: readonly EntityType[] = ['MEMBER_ID'];
const CARD: readonly EntityType[] = ['CREDIT_CARD'];
const NONE: readonly EntityType[] = [];

/**
 * Code → the entity types a value of that kind can be. An empty list: the
 * code names something that is none of the contract's types (a visit, an
 * account, a licence, an order), so the value does not count. Codes missing
 * here say nothing, and the field's own default applies.
 */
export const IDENTIFIER_TYPE_CODES: Readonly<Record<string, readonly EntityType[]>> = {
  // Numbers a provider gives its patient: medical record numbers in all but name.
  MR: MRN,
  MRT: MRN,
  PI: MRN,
  PT: MRN,
  PN: MRN,
  SS: ['US_SSN'],
  SSN: ['US_SSN'],
  ITIN: ['US_ITIN'],
  // Numbers a health plan gives its member.
  MB: MEMBER,
  SN: MEMBER,
  MA: MEMBER,
  HC: MEMBER,
  NI: MEMBER,
  // "Patient's Medicare number": an MBI today, a legacy HICN in older data.
  MC: ['MEDICARE_MBI', 'MEMBER_ID'],
  // CARIN Blue Button's "unique member id" (lower case in its own code system).
  um: MEMBER,
  NPI: ['NPI'],
  DEA: ['DEA'],
  TAX: ['US_EIN', 'US_SSN'],
  EN: ['US_EIN'],
  BA: ['US_BANK_ACCOUNT'],
  BC: CARD,
  AM: CARD,
  DI: CARD,
  DS: CARD,
  MS: CARD,
  VS: CARD,
  // Named, but not one of the contract's types.
  AN: NONE,
  VN: NONE,
  DL: NONE,
  PPN: NONE,
  EI: NONE,
  BR: NONE,
  DN: NONE,
  LN: NONE,
  MD: NONE,
  MCD: NONE,
  MCR: NONE,
  UPIN: NONE,
  PRN: NONE,
  NH: NONE,
  NIIP: NONE,
  FI: NONE,
  GI: NONE,
  GN: NONE,
  FILL: NONE,
  PLAC: NONE,
  ACSN: NONE,
  RRI: NONE,
  pat: NONE,
};

/** The types an identifier type code names, or undefined when the code says nothing. */
export function identifierTypeOf(code: string): readonly EntityType[] | undefined {
  return Object.prototype.hasOwnProperty.call(IDENTIFIER_TYPE_CODES, code)
    ? IDENTIFIER_TYPE_CODES[code]
    : undefined;
}
