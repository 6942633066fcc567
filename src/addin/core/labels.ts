import type { FindingType } from '../../shared/entities';

/** Short names people know, for the task pane and Smart Alerts. */
const LABELS: Record<FindingType, string> = {
  US_SSN: 'SSN',
  US_ITIN: 'ITIN',
  CREDIT_CARD: 'card number',
  MEDICARE_MBI: 'Medicare ID',
  NPI: 'NPI',
  DEA: 'DEA number',
  ABA_ROUTING: 'routing number',
  US_BANK_ACCOUNT: 'bank account',
  IBAN: 'IBAN',
  US_EIN: 'EIN',
  DATE_OF_BIRTH: 'date of birth',
  ICD10: 'diagnosis code',
  MEMBER_ID: 'member ID',
  MRN: 'medical record number',
  KEYWORD: 'secure marker',
  PHI: "a person's health information",
};

export function findingLabel(type: FindingType): string {
  return LABELS[type];
}

/** "SSN, date of birth and member ID" from counts, in order of appearance. */
/**
 * What was found, with the attachments that could not be read: "an SSN and
 * a file that could not be scanned (roster.pdf)".
 */
export function foundSummary(types: string, unread: readonly string[]): string {
  if (unread.length === 0) return types;
  const files = `${unread.length === 1 ? 'a file' : 'files'} that could not be scanned (${joinWords(unread.slice(0, 3))})`;
  return types === '' ? files : `${types} and ${files}`;
}

export function summarizeTypes(types: readonly FindingType[]): string {
  const names: string[] = [];
  for (const t of types) {
    const n = findingLabel(t);
    if (names.indexOf(n) < 0) names.push(n);
  }
  return joinWords(names);
}

export function joinWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]!}`;
}
