import { npiValid } from '../checksums';
import { compact, type Recognizer } from '../recognizer';

export const npi: Recognizer = {
  type: 'NPI',
  patterns: [
    { name: 'luhn-80840', regex: /\b[12]\d{9}\b/g, lead: 0, score: 0.4, needsContext: true },
    // "1234-567-893", "1 234 567 893": grouped for reading.
    { name: 'grouped', regex: /\b[12](?:[ -]?\d){9}\b/g, lead: 0, score: 0.4, needsContext: true },
  ],
  structured: /^[12]\d{9}$/,
  validate(value) {
    const digits = compact(value);
    // A placeholder of one digit repeated can pass the check by chance.
    if (/^(\d)\1+\d$/.test(digits)) return undefined;
    return npiValid(digits) ? { detail: 'NPI with a valid check digit (Luhn over 80840)' } : undefined;
  },
};
