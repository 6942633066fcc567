/**
 * The entity types the detection engine reports. These names are part of the
 * public contract (CLI output, API, policy files) and never change meaning.
 */
export const ENTITY_TYPES = [
  'US_SSN',
  'US_ITIN',
  'CREDIT_CARD',
  'MEDICARE_MBI',
  'NPI',
  'DEA',
  'ABA_ROUTING',
  'US_BANK_ACCOUNT',
  'IBAN',
  'US_EIN',
  'DATE_OF_BIRTH',
  'ICD10',
  'MEMBER_ID',
  'MRN',
] as const;

/** A policy keyword ("[secure]", "confidential") found in the message. */
export const KEYWORD_TYPE = 'KEYWORD' as const;

export type EntityType = (typeof ENTITY_TYPES)[number];
export type FindingType = EntityType | typeof KEYWORD_TYPE;

/** `subject`, `body`, or `attachment:<index>`. */
export type FieldName = 'subject' | 'body' | `attachment:${number}`;

export interface Finding {
  type: FindingType;
  field: FieldName;
  /** UTF-16 offset into the raw field (for HTML: into the markup). */
  start: number;
  /** Exclusive end offset into the raw field. */
  end: number;
  /** Confidence in [0, 1]. */
  score: number;
  /** Stable identifier of the rule that produced the finding, e.g. `US_SSN/dashed`. */
  rule: string;
  /** What a person reads: why this was flagged. Never contains the value itself. */
  explanation: string;
}

export function isEntityType(value: string): value is EntityType {
  return (ENTITY_TYPES as readonly string[]).includes(value);
}
