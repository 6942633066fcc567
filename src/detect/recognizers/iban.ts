import { ibanValid } from '../checksums';
import { compact, type Recognizer } from '../recognizer';

export const iban: Recognizer = {
  type: 'IBAN',
  // The pattern may take in a following word; the validator cuts the match at
  // the country's length.
  patterns: [{ name: 'mod97', regex: /\b[A-Z]{2}\d{2}(?:[ -]{0,2}[A-Z0-9]){11,30}/gi, lead: 2, score: 0.9 }],
  validate(value) {
    const country = value.slice(0, 2).toUpperCase();
    for (let i = 4, count = 4; i < value.length; i++) {
      if (!/[0-9A-Z]/i.test(value.charAt(i))) continue;
      count++;
      if (/[0-9A-Z]/i.test(value.charAt(i + 1))) continue;
      const candidate = compact(value.slice(0, i + 1));
      if (ibanValid(candidate))
        return { detail: `${country} IBAN with valid mod-97 check digits`, length: i + 1 };
      if (count > 34) break;
    }
    return undefined;
  },
};
