import type { Recognizer } from '../recognizer';

export const icd10: Recognizer = {
  type: 'ICD10',
  patterns: [
    {
      name: 'code',
      // U07 and U09 are the only U codes in use (emergency use: COVID-19).
      regex: /\b(?:[A-TV-Z]\d[0-9AB]|U0[79])(?:\.[0-9A-Z]{1,4}|[0-9A-Z]{1,4})?\b/gi,
      score: 0.4,
      needsContext: true,
      lead: 1,
    },
  ],
  validate(value) {
    // Category letter, two characters, then an optional subcategory of up to four.
    return { detail: 'ICD-10-CM code ' + (value.indexOf('.') > 0 ? 'with subcategory' : 'category') };
  },
};
