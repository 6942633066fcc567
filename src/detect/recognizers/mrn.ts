import { looksLikeDate } from '../dates';
import { compact, type Recognizer } from '../recognizer';

export const mrn: Recognizer = {
  type: 'MRN',
  patterns: [
    // "MRN3155753": the prefix is part of the number; "MRN: 3155753" is a label and its number.
    { name: 'prefixed', regex: /\bMRN\d{5,12}\b/gi, score: 0.6 },
    { name: 'labelled', regex: /\b\d{5,12}\b/g, score: 0.35, needsContext: true },
    { name: 'grouped', regex: /\b\d{2,4}-\d{2,4}-\d{2,4}\b/g, score: 0.35, needsContext: true },
  ],
  validate(value) {
    const digits = compact(value).replace(/^MRN/, '');
    if (/^(\d)\1+$/.test(digits) || looksLikeDate(value)) return undefined;
    return { detail: `${digits.length}-digit medical record number` };
  },
};
