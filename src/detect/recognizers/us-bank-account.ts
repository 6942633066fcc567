import { looksLikeDate, looksLikePhone } from '../dates';
import { compact, type Recognizer } from '../recognizer';

export const usBankAccount: Recognizer = {
  type: 'US_BANK_ACCOUNT',
  patterns: [
    { name: 'labelled', regex: /\b\d(?:[- ]?\d){5,16}\b/g, lead: 0, score: 0.4, needsContext: true },
  ],
  validate(value) {
    const digits = compact(value);
    // A run of one repeated digit is a placeholder, not an account.
    if (/^(\d)\1+$/.test(digits) || looksLikeDate(value) || looksLikePhone(value)) return undefined;
    return { detail: `${digits.length}-digit bank account number` };
  },
};
