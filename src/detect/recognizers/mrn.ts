import { compact, type Recognizer } from '../recognizer';

export const mrn: Recognizer = {
  type: 'MRN',
  patterns: [
    { name: 'prefixed', regex: /\bMRN[-#: ]?\d{5,12}\b/gi, score: 0.6 },
    { name: 'labelled', regex: /\b\d{5,12}\b/g, score: 0.35, needsContext: true },
    { name: 'grouped', regex: /\b\d{2,4}-\d{2,4}-\d{2,4}\b/g, score: 0.35, needsContext: true },
  ],
  context: [
    'mrn', 'mrn#', 'medical record', 'medical record number', 'med rec', 'med. rec', 'chart', 'chart #',
    'chart number', 'chart no', 'patient id', 'patient #', 'patient number', 'record #', 'record number',
    'mr#', 'mr #', 'hospital number', 'encounter',
  ], // prettier-ignore
  validate(value) {
    const digits = compact(value).replace(/^MRN/, '');
    if (/^(\d)\1+$/.test(digits)) return undefined;
    return { detail: `${digits.length}-digit medical record number` };
  },
};
