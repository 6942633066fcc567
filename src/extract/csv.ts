/**
 * CSV as the engine reads spreadsheets: one row a line, cells separated by
 * tabs. Quoted cells may hold the delimiter and line breaks, which would
 * otherwise split a row, so the file is parsed rather than split.
 */

/** The delimiter of the first line: the one of comma, semicolon and tab that occurs most outside quotes. */
function sniffDelimiter(text: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (let i = 0; i < text.length && i < 4096; i++) {
    const c = text.charAt(i);
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && c in counts) counts[c]!++;
  }
  let best = ',';
  for (const d of [';', '\t']) if (counts[d]! > counts[best]!) best = d;
  return best;
}

export function csvToRows(text: string): string {
  const delimiter = sniffDelimiter(text);
  const rows: string[] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  const endRow = (): void => {
    row.push(cell);
    cell = '';
    // Blank lines carry nothing; a row of empty cells keeps its slots only if something follows.
    if (row.length > 1 || row[0] !== '') rows.push(row.map(clean).join('\t'));
    row = [];
  };
  while (i < n) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"') {
        if (text.charAt(i + 1) === '"') {
          cell += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        cell += c;
      }
      i++;
      continue;
    }
    if (c === '"' && cell.trim() === '') {
      quoted = true;
      cell = '';
    } else if (c === delimiter) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      endRow();
      if (c === '\r' && text.charAt(i + 1) === '\n') i++;
    } else {
      cell += c;
    }
    i++;
  }
  if (cell !== '' || row.length > 0) endRow();
  return rows.join('\n');
}

function clean(cell: string): string {
  return cell.replace(/[\t\r\n]+/g, ' ').trim();
}
