import { abaValid } from '../checksums';
import { compact, type Recognizer } from '../recognizer';

export const abaRouting: Recognizer = {
  type: 'ABA_ROUTING',
  patterns: [
    { name: 'checksum', regex: /\b\d{9}\b/g, lead: 0, score: 0.35, needsContext: true },
    // Nine digits grouped any way ("0711-0130-7", "294 841 431", "1 0 0 6 7 6 5 5 4"): one separator throughout.
    { name: 'grouped', regex: /\b\d(?:[ .-]?\d){8}\b/g, lead: 0, score: 0.35, needsContext: true },
  ],
  validate(value) {
    const separators = value.match(/\D/g);
    if (separators !== null && separators.some((s) => s !== separators[0])) return undefined;
    return abaValid(compact(value))
      ? { detail: 'ABA routing number (3-7-1 check and Federal Reserve prefix)' }
      : undefined;
  },
};
