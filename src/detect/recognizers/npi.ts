import { npiValid } from '../checksums';
import { compact, type Recognizer } from '../recognizer';

export const npi: Recognizer = {
  type: 'NPI',
  patterns: [{ name: 'luhn-80840', regex: /\b[12]\d{9}\b/g, score: 0.4, needsContext: true }],
  validate(value) {
    return npiValid(compact(value))
      ? { detail: 'NPI with a valid check digit (Luhn over 80840)' }
      : undefined;
  },
};
