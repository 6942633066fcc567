/**
 * Tables, however they arrive: HTML tables (prepared as tab-separated rows),
 * tab- and comma-separated text (RFC 4180 quoting), and plain-text reports
 * whose columns are aligned with spaces. A header row labels its column: the
 * value in a cell is judged by its column's header, wherever the value sits
 * and whatever words stand elsewhere in the message.
 */
import type { LabelScan } from '../labels';
import {
  headerMeaning,
  holdsValue,
  lineSpans,
  rowLanguage,
  trimRange,
  zoneUnder,
  type HeaderMeaning,
} from './header';
import type { Zone } from './zone';

/** Rows of cells separated by `delimiter` (a tab, or a comma with RFC 4180 quotes). */
export function readDelimitedTables(
  text: string,
  labels: LabelScan,
  delimiter: '\t' | ',' | '|' | ';',
): Zone[] {
  if (text.indexOf(delimiter) < 0) return [];
  const zones: Zone[] = [];
  const lines = lineSpans(text);
  let header: (HeaderMeaning | undefined)[] | undefined;
  // The data row under the current header, counted from 1, for the person reading a finding.
  let row = 0;
  for (let l = 0; l < lines.length; l += 2) {
    // HTML source between rows leaves lines of spaces: they do not end the table.
    if (isBlank(text, lines[l]!, lines[l + 1]!)) continue;
    // Prose with commas, semicolons or bars is not a table: such rows need
    // three fields and, under a header, as many fields as it has.
    const loose = delimiter !== '\t';
    // A line without delimiters enough for that is no row, and is not split.
    if (!holdsAtLeast(text, lines[l]!, lines[l + 1]!, delimiter, loose ? 2 : 1)) {
      header = undefined;
      continue;
    }
    const cells = splitCells(text, lines[l]!, lines[l + 1]!, delimiter);
    if (
      cells.length < (loose ? 6 : 4) ||
      (loose && header !== undefined && cells.length !== header.length * 2)
    ) {
      header = undefined;
      continue;
    }
    const headerRow = readHeaderRow(text, labels, cells);
    if (headerRow !== undefined) {
      header = headerRow;
      row = 0;
      continue;
    }
    if (header === undefined) continue;
    row++;
    for (let c = 0; c < cells.length && c / 2 < header.length; c += 2) {
      const meaning = header[c / 2];
      if (meaning === undefined) continue;
      const [s, e] = trimRange(text, cells[c]!, cells[c + 1]!);
      if (e > s) zones.push(zoneUnder(meaning, s, e, `row ${row}, column`));
    }
  }
  return zones;
}

/**
 * The meanings of a row's cells when the row is a header: no cell holds a
 * value, and at least one names a column. Undefined for a data row.
 */
function readHeaderRow(
  text: string,
  labels: LabelScan,
  cells: readonly number[],
): (HeaderMeaning | undefined)[] | undefined {
  for (let c = 0; c < cells.length; c += 2) if (holdsValue(text, cells[c]!, cells[c + 1]!)) return undefined;
  const rowHits = labels.within(cells[0]!, cells[cells.length - 1]!);
  if (rowHits.length === 0) return undefined;
  const lang = rowLanguage(rowHits);
  const meanings: (HeaderMeaning | undefined)[] = [];
  for (let c = 0; c < cells.length; c += 2) {
    meanings.push(headerMeaning(labels.within(cells[c]!, cells[c + 1]!), text, lang));
  }
  return meanings;
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) !== 0x20) return false;
  return true;
}

/** Start and end of each cell of a line, flattened; quoted comma fields without their quotes. */
function splitCells(text: string, start: number, end: number, delimiter: string): number[] {
  const spans: number[] = [];
  let cell = start;
  while (cell <= end) {
    if (delimiter !== '\t' && text.charCodeAt(cell) === 0x22 /* " */) {
      // A quoted field runs to the quote that is not doubled; delimiters inside it are text.
      let q = cell + 1;
      for (;;) {
        const close = text.indexOf('"', q);
        if (close < 0 || close >= end) {
          q = end;
          break;
        }
        if (text.charCodeAt(close + 1) === 0x22) {
          q = close + 2;
          continue;
        }
        q = close;
        break;
      }
      spans.push(cell + 1, q);
      const next = text.indexOf(delimiter, q);
      if (next < 0 || next >= end) return spans;
      cell = next + 1;
      continue;
    }
    const next = text.indexOf(delimiter, cell);
    const cellEnd = next < 0 || next >= end ? end : next;
    spans.push(cell, cellEnd);
    if (cellEnd === end) return spans;
    cell = cellEnd + 1;
  }
  return spans;
}

/** A column of a space-aligned report: where its header (or its rule of dashes) stands. */
interface Column {
  start: number;
  end: number;
  meaning: HeaderMeaning | undefined;
}

/**
 * Plain-text reports aligned with spaces (remittance advice, rosters): a header
 * line of titles separated by two or more spaces, perhaps a rule of dashes
 * under it, then rows whose values stand under their titles. Each value goes
 * to the column it overlaps most (left- or right-aligned), or the nearest.
 */
/** Whether `[from, to)` of `text` holds `count` or more of `ch`. */
function holdsAtLeast(text: string, from: number, to: number, ch: string, count: number): boolean {
  let seen = 0;
  for (let i = text.indexOf(ch, from); i >= 0 && i < to; i = text.indexOf(ch, i + 1)) {
    if (++seen >= count) return true;
  }
  return false;
}

export function readAlignedColumns(text: string, labels: LabelScan): Zone[] {
  if (text.indexOf('  ') < 0) return [];
  const zones: Zone[] = [];
  const lines = lineSpans(text);
  let columns: Column[] | undefined;
  let headerLine = -1;
  let row = 0;
  for (let l = 0; l < lines.length; l += 2) {
    const ls = lines[l]!;
    const le = lines[l + 1]!;
    const tokens = splitOnGaps(text, ls, le);
    // Mail often puts an empty paragraph between a report's lines: not an end.
    if (tokens.length === 0) continue;
    if (text.slice(ls, le).indexOf('\t') >= 0) {
      columns = undefined; // a tab-separated row is another kind of table
      continue;
    }
    const afterHeader = l === headerLine;
    headerLine = -1;
    if (isRule(text, tokens)) {
      // Dashes under the titles give each column's exact extent.
      if (columns !== undefined && afterHeader && tokens.length >= columns.length * 2) {
        columns = ruleColumns(tokens, ls, columns);
      }
      continue;
    }
    const header = tokens.length >= 4 ? readAlignedHeader(text, labels, tokens, ls) : undefined;
    if (header !== undefined) {
      columns = header;
      headerLine = nextLineWithText(text, lines, l + 2);
      row = 0;
      continue;
    }
    if (columns === undefined) continue;
    if (tokens.length < 4) {
      columns = undefined; // a line of prose ends the report
      continue;
    }
    row++;
    for (let t = 0; t < tokens.length; t += 2) {
      // A report packed tighter than its titles ("W123 03/12/1958" under two
      // titles) has one space between columns: such a run is split at its spaces.
      const parts = spansColumns(columns, tokens[t]! - ls, tokens[t + 1]! - ls)
        ? splitOnSpaces(text, tokens[t]!, tokens[t + 1]!)
        : [tokens[t]!, tokens[t + 1]!];
      for (let p = 0; p < parts.length; p += 2) {
        const column = columnFor(columns, parts[p]! - ls, parts[p + 1]! - ls);
        if (column?.meaning !== undefined)
          zones.push(zoneUnder(column.meaning, parts[p]!, parts[p + 1]!, `row ${row}, column`));
      }
    }
  }
  return zones;
}

function readAlignedHeader(
  text: string,
  labels: LabelScan,
  tokens: readonly number[],
  lineStart: number,
): Column[] | undefined {
  return readHeaderRow(text, labels, tokens)?.map((meaning, i) => ({
    start: tokens[i * 2]! - lineStart,
    end: tokens[i * 2 + 1]! - lineStart,
    meaning,
  }));
}

/** Columns whose extents are the dash runs of a rule line, each keeping the title standing over it. */
function ruleColumns(rule: readonly number[], ruleStart: number, titles: readonly Column[]): Column[] {
  const out: Column[] = [];
  for (let r = 0; r < rule.length; r += 2) {
    const start = rule[r]! - ruleStart;
    const end = rule[r + 1]! - ruleStart;
    const title = titles.find((c) => c.start < end && start < c.end);
    out.push({ start, end, meaning: title?.meaning });
  }
  return out;
}

/** The column a value at `[start, end)` (offsets in its line) belongs to. */
function columnFor(columns: readonly Column[], start: number, end: number): Column | undefined {
  let best: Column | undefined;
  let bestScore = -Infinity;
  for (const c of columns) {
    const overlap = Math.min(end, c.end) - Math.max(start, c.start);
    // No overlap: the negative gap, so the nearest column wins.
    const score = overlap > 0 ? overlap : overlap - 0.5;
    if (score > bestScore) {
      bestScore = score;
      best = c;
    }
  }
  // A value far from every title is not in the table's shape.
  return bestScore > -8 ? best : undefined;
}

/** Index (into `lines`) of the first line at or after `l` holding more than spaces. */
function nextLineWithText(text: string, lines: readonly number[], l: number): number {
  for (let i = l; i < lines.length; i += 2) if (!isBlank(text, lines[i]!, lines[i + 1]!)) return i;
  return -1;
}

/** Whether `[start, end)` reaches well into two columns. */
function spansColumns(columns: readonly Column[], start: number, end: number): boolean {
  let n = 0;
  for (const c of columns) if (Math.min(end, c.end) - Math.max(start, c.start) > 0) n++;
  return n > 1;
}

/** Words of `[start, end)` split at single spaces, flattened. */
function splitOnSpaces(text: string, start: number, end: number): number[] {
  const out: number[] = [];
  let s = start;
  for (let i = start; i <= end; i++) {
    if (i === end || text.charCodeAt(i) === 0x20) {
      if (i > s) out.push(s, i);
      s = i + 1;
    }
  }
  return out;
}

/** Runs of text separated by two or more spaces (or a tab), flattened `[start, end)`. */
function splitOnGaps(text: string, start: number, end: number): number[] {
  const out: number[] = [];
  let i = start;
  while (i < end) {
    while (i < end && text.charCodeAt(i) === 0x20) i++;
    if (i >= end) break;
    const s = i;
    let e = i;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === 0x09) break;
      if (c === 0x20 && (i + 1 >= end || text.charCodeAt(i + 1) === 0x20)) break;
      i++;
      if (c !== 0x20) e = i;
    }
    out.push(s, e);
    if (i < end && text.charCodeAt(i) === 0x09) i++;
  }
  return out;
}

/** A line of dashes or equals signs only, in runs: the rule under a report's titles. */
function isRule(text: string, tokens: readonly number[]): boolean {
  for (let t = 0; t < tokens.length; t += 2) {
    for (let i = tokens[t]!; i < tokens[t + 1]!; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x2d && c !== 0x3d && c !== 0x20) return false;
    }
  }
  return true;
}
