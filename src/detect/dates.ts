/**
 * Calendar dates as mail writes them: numeric (month first, as in the US, or
 * day first when the first number cannot be a month), ISO, compact MMDDYYYY,
 * and with month names.
 */
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Reads the forms the patterns accept; month first for numeric dates, as US mail writes them. */
export function parseDate(value: string): CalendarDate | undefined {
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
  } else if (numbers.length === 1 && numbers[0].length === 8) {
    const n = numbers[0];
    [month, day, year] = [Number(n.slice(0, 2)), Number(n.slice(2, 4)), Number(n.slice(4))];
  } else {
    if (numbers.length !== 3) return undefined;
    const [a, b, c] = numbers.map(Number) as [number, number, number];
    if (numbers[0].length === 4) [year, month, day] = [a, b, c];
    // Day first when the first number cannot be a month (14.03.1962).
    else if (a > 12) [day, month, year] = [a, b, c];
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

/** Whether a number-shaped value is really a date ("2024-03-15", "03-15-2024"). */
export function looksLikeDate(value: string): boolean {
  return (
    /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}$|^\d{1,2}[-/.]\d{1,2}[-/.]\d{4}$/.test(value) &&
    parseDate(value) !== undefined
  );
}
