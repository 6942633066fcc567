import { parseDate } from '../dates';
import type { Recognizer } from '../recognizer';

const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\\.?';

export const dateOfBirth: Recognizer = {
  type: 'DATE_OF_BIRTH',
  patterns: [
    {
      name: 'numeric',
      regex: /\b\d{1,2} ?([/.-]) ?\d{1,2} ?\1 ?(?:\d{4}|\d{2})\b/g,
      score: 0.4,
      needsContext: true,
    },
    // "DOB: 03141962", as forms and exports write it.
    { name: 'compact', regex: /\b[01]\d[0-3]\d(?:19|20)\d{2}\b/g, score: 0.4, needsContext: true },
    { name: 'year-first', regex: /\b\d{4}([/.-])\d{1,2}\1\d{1,2}\b/g, score: 0.4, needsContext: true },
    {
      name: 'month-day-year',
      regex: new RegExp('\\b' + MONTH + ' \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}\\b', 'gi'),
      score: 0.4,
      needsContext: true,
    },
    {
      name: 'day-month-year',
      regex: new RegExp(
        '\\b\\d{1,2}(?:st|nd|rd|th)?[ -](?:of )?' + MONTH + '[ ,-]{1,2}(?:\\d{4}|\\d{2})\\b',
        'gi',
      ),
      score: 0.4,
      needsContext: true,
    },
  ],
  context: [
    'dob', 'd.o.b', 'date of birth', 'birth date', 'birthdate', 'born', 'born on', 'birthday', 'bday',
    'b-day', 'dob (mm/dd/yyyy)',
  ], // prettier-ignore
  // Between "DOB" and the date: punctuation, a linking word, a format hint, or
  // the other dates of a list ("DOBs: 04/12/1961 and 09/30/1988").
  labelGap:
    /^(?:[\s#(),.:;-]|\b(?:is|was|of|on|and|mm\/dd\/yyyy|mm\/dd\/yy|dd\/mm\/yyyy)\b|\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4})*$/i,
  validate(value) {
    const date = parseDate(value);
    if (date === undefined) return undefined;
    const thisYear = new Date().getFullYear();
    if (date.year > thisYear || date.year < thisYear - 130) return undefined;
    return { detail: 'a calendar date' };
  },
};
