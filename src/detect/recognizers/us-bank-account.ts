import { looksLikeDate } from '../dates';
import { compact, type Recognizer } from '../recognizer';

export const usBankAccount: Recognizer = {
  type: 'US_BANK_ACCOUNT',
  patterns: [{ name: 'labelled', regex: /\b\d(?:[- ]?\d){5,16}\b/g, score: 0.4, needsContext: true }],
  context: [
    'account', 'account number', 'account no', 'account #', 'acct', 'acct #', 'acct no', 'acct#',
    'a/c', 'checking account', 'checking acct', 'checking #', 'savings account', 'savings #',
    'bank account', 'deposit account', 'dda',
  ], // prettier-ignore
  validate(value) {
    const digits = compact(value);
    // A run of one repeated digit is a placeholder, not an account.
    if (/^(\d)\1+$/.test(digits) || looksLikeDate(value)) return undefined;
    return { detail: `${digits.length}-digit bank account number` };
  },
};
