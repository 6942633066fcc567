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

/**
 * Protected health information written in prose: a person (a name, or an
 * identifier the engine found) with something about their health, care or
 * payment for care ("Jane Doe's HIV viral load came back detectable").
 */
export const PHI_TYPE = 'PHI' as const;

/** What a PHI finding's health half is about; the sensitive ones weigh more. */
export const HEALTH_CATEGORIES = [
  'condition', 'procedure', 'medication', 'test', 'care', 'hiv-sti', 'mental-health', 'substance-use',
  'reproductive', 'genetic', 'cancer',
] as const; // prettier-ignore
export type HealthCategory = (typeof HEALTH_CATEGORIES)[number];

export type EntityType = (typeof ENTITY_TYPES)[number];

/** Every type a finding can have. */
export const FINDING_TYPES = [...ENTITY_TYPES, KEYWORD_TYPE, PHI_TYPE] as const;
export type FindingType = EntityType | typeof KEYWORD_TYPE | typeof PHI_TYPE;

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
  /**
   * For a PHI finding: the person's span (`start`/`end` are the health
   * information's), so a user interface can highlight both halves.
   */
  person?: { field: FieldName; start: number; end: number };
  /** For a PHI finding: what the health information is about. */
  category?: HealthCategory;
}

export function isEntityType(value: string): value is EntityType {
  return (ENTITY_TYPES as readonly string[]).includes(value);
}
