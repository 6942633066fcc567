/**
 * OpenDocument text, spreadsheets and presentations (what LibreOffice
 * writes): a ZIP whose content.xml holds everything. Spreadsheet cells come
 * out like Excel's: rows of tab-separated cells, dates as m/d/yyyy.
 */
import type { Context, Extracted } from './context';
import { attr, decodeEntities, scanMarkup } from './markup';
import { ExtractError } from './types';
import { cellText, isoToDate, rowLine, trimEnd } from './table';
import type { ZipArchive } from './zip';

/** Repeats written for padding ("the other 16 000 columns are empty") are capped at this. */
const MAX_REPEAT = 1024;

export function odfKind(zip: ZipArchive): 'odt' | 'ods' | 'odp' | undefined {
  const mime = zip.text('mimetype')?.trim() ?? '';
  if (mime.indexOf('opendocument.text') >= 0) return 'odt';
  if (mime.indexOf('opendocument.spreadsheet') >= 0) return 'ods';
  if (mime.indexOf('opendocument.presentation') >= 0) return 'odp';
  return undefined;
}

export function readOdf(zip: ZipArchive, ctx: Context, format: 'odt' | 'ods' | 'odp'): Extracted {
  const manifest = zip.text('META-INF/manifest.xml') ?? '';
  if (manifest.indexOf('encryption-data') >= 0) {
    throw new ExtractError('encrypted', 'not scanned: it is password-protected');
  }
  const xml = zip.text('content.xml');
  if (xml === undefined) throw new ExtractError('corrupt', 'not scanned: the document is damaged');
  const lines: string[] = [];
  const sheetNames = format === 'ods';
  let para = '';
  let paraDepth = 0;
  // Spreadsheet/table state.
  let tableDepth = 0;
  let row: string[] | null = null;
  let rowRepeat = 1;
  let cell: string | null = null;
  let cellRepeat = 1;
  let cellDate: string | undefined;
  let slide = 0;
  let skip = 0;
  scanMarkup(
    xml,
    {
      open(tag) {
        const n = tag.name;
        if (skip > 0) {
          if (!tag.selfClosing) skip++;
          return;
        }
        if (n === 'office:annotation' && !tag.selfClosing) {
          // Comments stay out of cells so columns keep their values; they are rare in mail attachments.
          skip = 1;
          return;
        }
        if (n === 'draw:page') {
          slide++;
          lines.push(`Slide ${slide}`);
        } else if (n === 'table:table') {
          tableDepth++;
          if (sheetNames && tableDepth === 1) lines.push(`Sheet: ${attr(tag, 'table:name') ?? ''}`);
        } else if (n === 'table:table-row') {
          row = [];
          rowRepeat = Math.min(MAX_REPEAT, Number(attr(tag, 'table:number-rows-repeated') ?? '1') || 1);
        } else if (n === 'table:table-cell' || n === 'table:covered-table-cell') {
          cell = '';
          cellRepeat = Math.min(MAX_REPEAT, Number(attr(tag, 'table:number-columns-repeated') ?? '1') || 1);
          const type = attr(tag, 'office:value-type');
          cellDate = type === 'date' ? isoToDate(attr(tag, 'office:date-value') ?? '') : undefined;
          if (tag.selfClosing) endCell();
        } else if (n === 'text:p' || n === 'text:h') {
          if (paraDepth === 0) para = '';
          paraDepth++;
          if (tag.selfClosing) endPara();
        } else if (n === 'text:s') {
          para += ' '.repeat(Math.min(64, Number(attr(tag, 'text:c') ?? '1') || 1));
        } else if (n === 'text:tab') {
          para += '\t';
        } else if (n === 'text:line-break') {
          para += '\n';
        }
      },
      close(n) {
        if (skip > 0) {
          skip--;
          return;
        }
        if (n === 'text:p' || n === 'text:h') endPara();
        else if (n === 'table:table-cell' || n === 'table:covered-table-cell') endCell();
        else if (n === 'table:table-row') {
          if (row !== null) {
            const line = rowLine(row);
            if (line !== '') for (let k = 0; k < rowRepeat; k++) lines.push(line);
          }
          row = null;
        } else if (n === 'table:table') {
          tableDepth--;
          if (sheetNames && tableDepth === 0) lines.push('');
        } else if (n === 'draw:page') lines.push('');
      },
      text(t) {
        if (skip === 0 && paraDepth > 0) para += decodeEntities(t).replace(/[\r\n]+/g, ' ');
      },
    },
    () => {
      ctx.budget.checkTime();
    },
  );
  function endPara(): void {
    paraDepth = Math.max(0, paraDepth - 1);
    if (paraDepth > 0) return;
    if (cell !== null) cell = cell === '' ? cellText(para) : `${cell} ${cellText(para)}`;
    else lines.push(trimEnd(para));
    para = '';
  }
  function endCell(): void {
    if (row === null || cell === null) return;
    const value = cellDate ?? cell.trim();
    for (let k = 0; k < cellRepeat; k++) row.push(value);
    cell = null;
  }
  // Only one sheet: drop its name line so the header row comes first.
  if (sheetNames && lines.filter((l) => l.indexOf('Sheet: ') === 0).length === 1) lines.shift();
  return {
    format,
    textKind: 'text',
    text: lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim(),
  };
}
