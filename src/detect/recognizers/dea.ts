import { deaValid } from '../checksums';
import { compact, type Recognizer } from '../recognizer';

export const dea: Recognizer = {
  type: 'DEA',
  patterns: [{ name: 'check-digit', regex: /\b[A-Z][A-Z9][ -]?\d{7}\b/gi, lead: 3, score: 0.55 }],
  validate(value) {
    return deaValid(compact(value))
      ? { detail: 'DEA registration number with a valid check digit' }
      : undefined;
  },
};
