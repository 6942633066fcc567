import { abaValid } from '../checksums';
import { compact, type Recognizer } from '../recognizer';

export const abaRouting: Recognizer = {
  type: 'ABA_ROUTING',
  patterns: [
    { name: 'checksum', regex: /\b\d{9}\b/g, score: 0.35, needsContext: true },
    { name: 'grouped', regex: /\b\d{4}[ -]\d{4}[ -]\d\b/g, score: 0.35, needsContext: true },
  ],
  validate(value) {
    return abaValid(compact(value))
      ? { detail: 'ABA routing number (3-7-1 check and Federal Reserve prefix)' }
      : undefined;
  },
};
