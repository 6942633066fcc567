import { itinValid } from '../checksums';
import { compact, type Recognizer } from '../recognizer';

export const usItin: Recognizer = {
  type: 'US_ITIN',
  patterns: [
    { name: 'formatted', regex: /\b9\d{2}([- .])\d{2}\1\d{4}\b/g, score: 0.55 },
    { name: 'bare', regex: /\b9\d{8}\b/g, score: 0.3, needsContext: true },
  ],
  context: [
    'itin',
    'taxpayer id',
    'taxpayer identification',
    'individual taxpayer',
    'tax id',
    'individual taxpayer identification number',
  ],
  validate(value) {
    return itinValid(compact(value)) ? { detail: 'ITIN (9xx with an IRS-assigned group)' } : undefined;
  },
};
