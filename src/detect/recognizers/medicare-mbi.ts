import { mbiValid } from '../checksums';
import { compact, type Recognizer } from '../recognizer';

export const medicareMbi: Recognizer = {
  type: 'MEDICARE_MBI',
  patterns: [
    {
      name: 'format',
      regex: /\b[1-9][A-Z][A-Z0-9]\d[- ]?[A-Z][A-Z0-9]\d[- ]?[A-Z]{2}\d{2}\b/gi,
      score: 0.7,
      lead: 0,
    },
  ],
  // Under "Member ID", a value that passes the MBI rules is the member's Medicare identifier.
  alsoLabelledBy: ['MEMBER_ID'],
  validate(value) {
    return mbiValid(compact(value))
      ? { detail: 'Medicare Beneficiary Identifier (CMS character rules)' }
      : undefined;
  },
};
