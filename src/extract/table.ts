/**
 * Shared layout helpers: how rows of cells and dates come out, so every
 * spreadsheet-like format reads the same to the detection engine (one row a
 * line, cells tab-separated, empty cells kept so columns stay aligned).
 */

/** A cell's text on one line: tabs and line breaks would break the row apart. */
export function cellText(text: string): string {
  return text.replace(/[\t\r\n]+/g, ' ').trim();
}

/** Cells to a row line; trailing empty cells are dropped, inner ones kept as empty slots. */
export function rowLine(cells: readonly string[]): string {
  let end = cells.length;
  while (end > 0 && cells[end - 1] === '') end--;
  return cells.slice(0, end).join('\t');
}

/** m/d/yyyy, the way a US spreadsheet shows a date and the engine's date rules read it. */
export function usDate(year: number, month: number, day: number): string {
  return `${month}/${day}/${year}`;
}

const DAY_MS = 86400000;

/**
 * A spreadsheet serial day number as m/d/yyyy. The 1900 system counts
 * 1900-02-29, which never existed (a Lotus 1-2-3 compatibility bug kept by
 * Excel), so serials before it are a day off the plain count.
 */
export function serialToDate(serial: number, date1904: boolean): string | undefined {
  if (!isFinite(serial) || serial < 1 || serial > 2958465) return undefined;
  const days = Math.floor(serial);
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, days < 61 ? 31 : 30);
  const d = new Date(epoch + days * DAY_MS);
  return usDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

/** An ISO date (ODF's office:date-value, `2024-01-05` or `2024-01-05T10:00:00`) as m/d/yyyy. */
export function isoToDate(iso: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (m === null) return undefined;
  return usDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** Spreadsheet column letters to a 0-based index: A → 0, AA → 26. */
export function columnIndex(ref: string): number {
  let n = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
  }
  return n - 1;
}

/** Drops trailing whitespace by scanning back once (a regex with `\s+$` is quadratic on long blank runs). */
export function trimEnd(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) <= 0x20) end--;
  return text.slice(0, end);
}
