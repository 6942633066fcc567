import { LONGEST_MONTH, MONTH_SOURCE, parseDate } from '../dates';
import { LANGUAGES } from '../lang/index';
import type { Recognizer } from '../recognizer';

const ORDINAL = '(?:st|nd|rd|th|º|°)?';
// "17 May", "17-May", "17th of May", "17 de mayo".
const DAY_MONTH_GAP = '(?:[ -]|\\s(?:of|de)\\s)';
// "May 1981", "mayo de 1981", "May, 1981".
const MONTH_YEAR_GAP = '(?:[ ,-]{1,2}|\\s(?:de|del)\\s)';

/** Words that may stand between "DOB" and the date, in every language. */
const LINK_WORDS = (() => {
  const words = new Set<string>();
  for (const language of LANGUAGES) for (const w of language.dateLinkWords) words.add(w);
  return Array.from(words)
    .map((w) => w.replace(/[/.]/g, '\\$&'))
    .join('|');
})();

export const dateOfBirth: Recognizer = {
  type: 'DATE_OF_BIRTH',
  patterns: [
    {
      name: 'numeric',
      regex: /\b\d{1,2} ?([/.-]) ?\d{1,2} ?\1 ?(?:\d{4}|\d{2})\b/g,
      score: 0.4,
      needsContext: true,
      lead: 0,
    },
    // "DOB: 03141962", as forms and exports write it; "19620314" as X12 and HL7 do.
    {
      name: 'compact',
      regex: /\b(?:[01]\d[0-3]\d(?:19|20)\d{2}|(?:19|20)\d{2}[01]\d[0-3]\d)\b/g,
      score: 0.4,
      needsContext: true,
      lead: 0,
    },
    // ISO dates, also as the start of a date-time ("1980-03-15T00:00:00Z").
    {
      name: 'year-first',
      regex: /\b\d{4}([/.-])\d{1,2}\1\d{1,2}(?!\d)/g,
      score: 0.4,
      needsContext: true,
      lead: 0,
    },
    // A birth month and year ("DOB: 03/1980") is still a date of birth.
    {
      name: 'month-year',
      regex: /\b(?:0?[1-9]|1[0-2])[/-](?:19|20)\d{2}\b/g,
      score: 0.4,
      needsContext: true,
      lead: 0,
    },
    {
      name: 'month-day-year',
      regex: new RegExp('\\b' + MONTH_SOURCE + ' \\d{1,2}' + ORDINAL + ',? \\d{4}\\b', 'gi'),
      score: 0.4,
      needsContext: true,
      // The month, its dot and a space.
      lead: LONGEST_MONTH + 2,
    },
    {
      name: 'day-month-year',
      regex: new RegExp(
        '\\b\\d{1,2}' + ORDINAL + DAY_MONTH_GAP + MONTH_SOURCE + MONTH_YEAR_GAP + '(?:\\d{4}|\\d{2})\\b',
        'gi',
      ),
      score: 0.4,
      needsContext: true,
      lead: 0,
    },
  ],
  // A column or field that holds birth dates: any date form, CCYYMMDD included.
  structured: /^(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|\d{8}(?:\d{4,6})?)$/,
  // Between "DOB" and the date: punctuation, a linking word, a format hint, or
  // the other dates of a list ("DOBs: 04/12/1961 and 09/30/1988").
  labelGap: new RegExp(
    '^(?:[\\s#(),./:;-]|\\b(?:' + LINK_WORDS + ')\\b|\\d{1,4}[/.-]\\d{1,2}[/.-]\\d{2,4})*$',
    'i',
  ),
  validate(value, context) {
    // HL7 writes a birth time after the date (195803121430): the date is the first eight digits.
    const digitsOnly = /^\d{12,14}$/.test(value) ? value.slice(0, 8) : value;
    const monthYear = /^(\d{1,2})[/-](\d{4})$/.exec(value);
    const date =
      monthYear !== null
        ? { year: Number(monthYear[2]), month: Number(monthYear[1]) }
        : parseDate(digitsOnly, context?.dateOrder);
    if (date === undefined) return undefined;
    const thisYear = new Date().getFullYear();
    if (date.year > thisYear || date.year < thisYear - 130) return undefined;
    return { detail: 'a calendar date' };
  },
};
