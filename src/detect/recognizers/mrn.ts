import { looksLikeDate, looksLikePhone } from '../dates';
import { compact, type Recognizer } from '../recognizer';

export const mrn: Recognizer = {
  type: 'MRN',
  patterns: [
    // "MRN3155753": the prefix is part of the number; "MRN: 3155753" is a label and its number.
    { name: 'prefixed', regex: /\bMRN\d{5,12}\b/gi, lead: 3, score: 0.6 },
    { name: 'labelled', regex: /\b\d{5,12}\b/g, lead: 0, score: 0.35, needsContext: true },
    // "M00123456", "A-1234567": a facility's letter prefix before the number.
    {
      name: 'letter-prefixed',
      regex: /\b[A-Z]{1,3}-?\d{5,12}\b/gi,
      lead: 4,
      score: 0.35,
      needsContext: true,
    },
    { name: 'grouped', regex: /\b\d{2,4}-\d{2,4}-\d{2,4}\b/g, lead: 0, score: 0.35, needsContext: true },
  ],
  structured: /^[A-Z]{0,4}[-#]?\d[\dA-Z-]{3,15}$/i,
  validate(value) {
    const digits = compact(value)
      .replace(/^MRN/, '')
      .replace(/^[A-Z]+/, '');
    if (digits.length < 5) return undefined;
    if (/^(\d)\1+$/.test(digits) || looksLikeDate(value) || looksLikePhone(value)) return undefined;
    return { detail: `${digits.length}-digit medical record number` };
  },
};
