import { ssnValid } from '../checksums';
import { compact, type Recognizer } from '../recognizer';

export const usSsn: Recognizer = {
  type: 'US_SSN',
  patterns: [
    { name: 'formatted', regex: /\b\d{3}([- .])\d{2}\1\d{4}\b/g, lead: 0, score: 0.55 },
    // Nine digits run together, or spaced or grouped some other way ("1 2 3 4 5 6 7 8 9",
    // "123-456-789"): an SSN only under an SSN label.
    { name: 'unformatted', regex: /\b\d(?:[ .-]?\d){8}\b/g, lead: 0, score: 0.3, needsContext: true },
  ],
  validate(value) {
    // One kind of separator throughout: "693-09.4444" is not how a number is written.
    const separators = value.match(/\D/g);
    if (separators !== null && separators.some((s) => s !== separators[0])) return undefined;
    return ssnValid(compact(value))
      ? { detail: 'Social Security number with a valid area, group and serial' }
      : undefined;
  },
};
