import type { Recognizer } from '../recognizer';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}\\.?';

export const dateOfBirth: Recognizer = {
  type: 'DATE_OF_BIRTH',
  patterns: [
    { name: 'numeric', regex: /\b\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})\b/g, score: 0.4, needsContext: true },
    // "DOB: 03141962", as forms and exports write it.
    { name: 'compact', regex: /\b[01]\d[0-3]\d(?:19|20)\d{2}\b/g, score: 0.4, needsContext: true },
    { name: 'iso', regex: /\b\d{4}-\d{1,2}-\d{1,2}\b/g, score: 0.4, needsContext: true },
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
  context: ['dob', 'd.o.b', 'date of birth', 'birth date', 'birthdate', 'born', 'birthday', 'bday', 'b-day'],
  validate(value) {
    const date = parseDate(value);
    if (date === undefined) return undefined;
    const thisYear = new Date().getFullYear();
    if (date.year > thisYear || date.year < thisYear - 130) return undefined;
    return { detail: 'a calendar date' };
  },
};

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Reads the forms the patterns accept; month first for numeric dates, as US mail writes them. */
function parseDate(value: string): CalendarDate | undefined {
  const lower = value.toLowerCase();
  const numbers = lower.match(/\d+/g) ?? [];
  const monthWord = /[a-z]{3}/.exec(lower.replace(/st|nd|rd|th|of/g, ''));
  let year: number;
  let month: number;
  let day: number;
  if (monthWord !== null) {
    month = MONTHS.indexOf(monthWord[0]) + 1;
    if (numbers.length !== 2) return undefined;
    const first = Number(numbers[0]);
    const second = Number(numbers[1]);
    // "May 17, 1981" or "17 May 1981": the year is the long (or last) number.
    [day, year] = numbers[0].length === 4 ? [second, first] : [first, second];
  } else {
    if (numbers.length !== 3) return undefined;
    const [a, b, c] = numbers.map(Number) as [number, number, number];
    if (numbers[0].length === 4) [year, month, day] = [a, b, c];
    else [month, day, year] = [a, b, c];
  }
  if (year < 100) year += year > new Date().getFullYear() % 100 ? 1900 : 2000;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return undefined;
  return { year, month, day };
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
