import { einValid } from '../checksums';
import { compact, type Recognizer } from '../recognizer';

export const usEin: Recognizer = {
  type: 'US_EIN',
  patterns: [
    { name: 'formatted', regex: /\b\d{2}[- ]\d{7}\b/g, lead: 0, score: 0.4, needsContext: true },
    { name: 'bare', regex: /\b\d{9}\b/g, lead: 0, score: 0.3, needsContext: true },
  ],
  validate(value) {
    return einValid(compact(value)) ? { detail: 'EIN with an IRS-assigned prefix' } : undefined;
  },
};
