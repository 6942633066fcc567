import type { Recognizer } from '../recognizer';
import { abaRouting } from './aba-routing';
import { creditCard } from './credit-card';
import { dateOfBirth } from './date-of-birth';
import { dea } from './dea';
import { iban } from './iban';
import { icd10 } from './icd10';
import { medicareMbi } from './medicare-mbi';
import { memberId } from './member-id';
import { mrn } from './mrn';
import { npi } from './npi';
import { usBankAccount } from './us-bank-account';
import { usEin } from './us-ein';
import { usItin } from './us-itin';
import { usSsn } from './us-ssn';

/**
 * Every recognizer, most specific first: when two claim the same characters
 * with the same score, the earlier one wins.
 */
export const RECOGNIZERS: readonly Recognizer[] = [
  iban, creditCard, medicareMbi, dea, usSsn, usItin, npi, abaRouting, usEin, dateOfBirth, icd10,
  mrn, memberId, usBankAccount,
]; // prettier-ignore
