/**
 * Calendar dates as mail writes them: numeric (month first, as in the US, or
 * day first where the context is Spanish or the first number cannot be a
 * month), ISO and CCYYMMDD (X12, HL7), compact MMDDYYYY, and with month names
 * in every language the engine reads ("May 17, 1981", "17 de mayo de 1981").
 */
import { LANGUAGES } from './lang/index';

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

export type DateOrder = 'month-first' | 'day-first' | 'year-first';

/** Month number by the first three letters of any language's month name ("mar" → 3, "ago" → 8). */
const MONTH_BY_PREFIX = new Map<string, number>();
LANGUAGES.forEach((language) => {
  language.months.forEach((spellings, i) => {
    for (const s of spellings) MONTH_BY_PREFIX.set(s.slice(0, 3), i + 1);
  });
});

const MONTH_NAMES = (() => {
  const names = new Set<string>();
  for (const language of LANGUAGES)
    for (const spellings of language.months) for (const s of spellings) names.add(s);
  return Array.from(names).sort((a, b) => b.length - a.length);
})();

/** Every language's month names, for a pattern: full names first so the longest spelling matches. */
export const MONTH_SOURCE = '(?:' + MONTH_NAMES.join('|') + ')\\.?';

/** Characters in the longest month name. */
export const LONGEST_MONTH = MONTH_NAMES[0]!.length;

/**
 * Reads the forms the patterns accept. `order` says how an all-numeric date
 * is written where it stands; without it, month first, as US mail writes them.
 */
export function parseDate(value: string, order: DateOrder = 'month-first'): CalendarDate | undefined {
  const lower = value.toLowerCase();
  const numbers = lower.match(/\d+/g) ?? [];
  let month = monthNamed(lower);
  let year: number;
  let day: number;
  if (month !== undefined) {
    if (numbers.length !== 2) return undefined;
    const first = Number(numbers[0]);
    const second = Number(numbers[1]);
    // "May 17, 1981" or "17 May 1981": the year is the long (or last) number.
    [day, year] = numbers[0].length === 4 ? [second, first] : [first, second];
  } else if (numbers.length === 1 && numbers[0].length === 8) {
    const n = numbers[0];
    // CCYYMMDD (X12's D8, HL7's DT) where the structure says so or the number starts with a century.
    if (order === 'year-first' || (/^(?:19|20)/.test(n) && Number(n.slice(4, 6)) <= 12)) {
      [year, month, day] = [Number(n.slice(0, 4)), Number(n.slice(4, 6)), Number(n.slice(6))];
    } else if (order === 'day-first') {
      [day, month, year] = [Number(n.slice(0, 2)), Number(n.slice(2, 4)), Number(n.slice(4))];
    } else {
      [month, day, year] = [Number(n.slice(0, 2)), Number(n.slice(2, 4)), Number(n.slice(4))];
    }
  } else {
    if (numbers.length !== 3) return undefined;
    const [a, b, c] = numbers.map(Number) as [number, number, number];
    if (numbers[0].length === 4) [year, month, day] = [a, b, c];
    // Day first when the context says so or the first number cannot be a month (14.03.1962);
    // month first when the second cannot be one (03/14/1962), whatever the context.
    else if (a > 12 || (order === 'day-first' && b <= 12)) [day, month, year] = [a, b, c];
    else [month, day, year] = [a, b, c];
  }
  if (year < 100) year += year > new Date().getFullYear() % 100 ? 1900 : 2000;
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return undefined;
  return { year, month, day };
}

/** The month a word of `lower` names, if one does. */
function monthNamed(lower: string): number | undefined {
  const words = lower.match(/[a-z]{3,}/g);
  if (words === null) return undefined;
  for (const w of words) {
    const m = MONTH_BY_PREFIX.get(w.slice(0, 3));
    if (m !== undefined) return m;
  }
  return undefined;
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Whether a value is written as a North American phone number: "(214)
 * 519-2868", "1-866-707-4300", "519-2868". An identifier is not written so,
 * and a signature's "Member Services" line is followed by one.
 */
export function looksLikePhone(value: string): boolean {
  return /^(?:\+?1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])?\d{3}[ .-]\d{4}$/.test(value.trim());
}

/** Whether a number-shaped value is really a date ("2024-03-15", "03-15-2024"). */
export function looksLikeDate(value: string): boolean {
  return (
    /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}$/.test(value) &&
    parseDate(value) !== undefined
  );
}
