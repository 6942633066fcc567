/**
 * Column headers of text laid out as a table: HTML tables (prepared as
 * tab-separated rows) and tab-separated text pasted from a spreadsheet. A
 * value in a column belongs to that column's header ("SSN" above
 * "536-22-1874"), whatever label happens to stand nearest before it.
 */
export interface Columns {
  /** The raw range of the header cell above the cell holding `pos`, if there is one. */
  headerOf(pos: number): readonly [number, number] | undefined;
}

const LINE_BREAK = /\r\n|[\n\r]/g;

export function findColumns(text: string, delimiter = '\t'): Columns | undefined {
  if (text.indexOf(delimiter) < 0) return undefined;
  // Flattened: cellStart, cellEnd, headerStart, headerEnd; in text order.
  const cells: number[] = [];
  let header: number[] | undefined;
  let lineStart = 0;
  LINE_BREAK.lastIndex = 0;
  for (;;) {
    const m = LINE_BREAK.exec(text);
    const lineEnd = m === null ? text.length : m.index;
    const spans = cellSpans(text, lineStart, lineEnd, delimiter);
    if (spans.length < 4) {
      header = undefined; // a line that is not a row ends the table
    } else if (header === undefined) {
      // The first row is the header when it holds words, not values.
      header = /\d/.test(text.slice(lineStart, lineEnd)) ? [] : spans;
    } else {
      for (let i = 0; i < spans.length && i < header.length; i += 2) {
        cells.push(spans[i]!, spans[i + 1]!, header[i]!, header[i + 1]!);
      }
    }
    if (m === null) break;
    lineStart = m.index + m[0].length;
  }
  if (cells.length === 0) return undefined;
  return {
    headerOf(pos) {
      // The last cell starting at or before pos, by binary search.
      let lo = 0;
      let hi = cells.length / 4 - 1;
      let found = -1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (cells[mid * 4]! <= pos) {
          found = mid;
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      const i = found * 4;
      return found >= 0 && pos < cells[i + 1]! ? [cells[i + 2]!, cells[i + 3]!] : undefined;
    },
  };
}

/** Start and end of each cell of a line, flattened. */
function cellSpans(text: string, start: number, end: number, delimiter: string): number[] {
  const spans: number[] = [];
  let cell = start;
  for (;;) {
    const tab = text.indexOf(delimiter, cell);
    const cellEnd = tab < 0 || tab >= end ? end : tab;
    spans.push(cell, cellEnd);
    if (cellEnd === end) return spans;
    cell = cellEnd + 1;
  }
}
