import { itinValid } from '../checksums';
import { compact, type Recognizer } from '../recognizer';

export const usItin: Recognizer = {
  type: 'US_ITIN',
  patterns: [
    { name: 'formatted', regex: /\b9\d{2}([- .])\d{2}\1\d{4}\b/g, lead: 0, score: 0.55 },
    // Nine digits from 9, run together or grouped some other way ("911-701234"): only under a label.
    { name: 'bare', regex: /\b9\d(?:[ .-]?\d){7}\b/g, lead: 0, score: 0.3, needsContext: true },
  ],
  // ITINs are written where an SSN or a tax ID is asked for.
  alsoLabelledBy: ['US_SSN', 'US_EIN'],
  validate(value) {
    return itinValid(compact(value)) ? { detail: 'ITIN (9xx with an IRS-assigned group)' } : undefined;
  },
};
