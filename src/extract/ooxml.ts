/**
 * Word, Excel and PowerPoint files (Office Open XML): ZIP archives of XML
 * parts, read with the linear markup scanner. Only the text-bearing parts
 * are inflated; media and styles beyond number formats are never touched.
 */
import type { Context, Extracted } from './context';
import { attr, decodeEntities, localName, scanMarkup, type Tag } from './markup';
import { cellText, columnIndex, rowLine, serialToDate, trimEnd } from './table';
import type { ZipArchive } from './zip';

/** Finds the part a relationship id points to, relative to the part's folder. */
function relationships(zip: ZipArchive, relsPath: string, baseDir: string): Map<string, string> {
  const map = new Map<string, string>();
  const xml = zip.text(relsPath);
  if (xml === undefined) return map;
  scanMarkup(xml, {
    open(tag) {
      if (localName(tag.name) !== 'relationship') return;
      const id = attr(tag, 'Id');
      const target = attr(tag, 'Target');
      if (id === undefined || target === undefined) return;
      map.set(id, resolvePath(baseDir, target));
    },
  });
  return map;
}

function resolvePath(baseDir: string, target: string): string {
  if (target.charAt(0) === '/') return target.slice(1);
  const parts = (baseDir + target).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..') out.pop();
    else if (p !== '.' && p !== '') out.push(p);
  }
  return out.join('/');
}

function numbered(zip: ZipArchive, prefix: string): string[] {
  const pattern = new RegExp(`^${prefix}(\\d+)\\.xml$`);
  return zip.entries
    .map((e) => e.name)
    .filter((n) => pattern.test(n))
    .sort((a, b) => Number(pattern.exec(a)![1]) - Number(pattern.exec(b)![1]));
}

/**
 * Paragraphs and tables of WordprocessingML or DrawingML text: a paragraph
 * is a line, a table row is a line of tab-separated cells (a cell's
 * paragraphs joined by spaces), a cell spanning columns keeps their slots.
 */
function flowText(xml: string, ctx: Context, ns: 'w' | 'a'): string[] {
  const lines: string[] = [];
  let para = '';
  let inText = false;
  // One entry per open table: its current row's cells.
  const tables: { row: string[] | null }[] = [];
  const textTag = ns === 'w' ? ['w:t', 'w:delText'] : ['a:t'];
  const P = `${ns}:p`;
  const TBL = `${ns}:tbl`;
  const TR = `${ns}:tr`;
  const TC = `${ns}:tc`;
  const emit = (text: string): void => {
    const table = tables[tables.length - 1];
    if (table?.row) {
      const last = table.row.length - 1;
      const t = cellText(text);
      if (last >= 0 && t !== '') table.row[last] = table.row[last] === '' ? t : `${table.row[last]} ${t}`;
    } else {
      lines.push(trimEnd(text));
    }
  };
  scanMarkup(
    xml,
    {
      open(tag: Tag) {
        const n = tag.name;
        if (textTag.indexOf(n) >= 0) inText = !tag.selfClosing;
        else if (n === P) para = '';
        else if (n === `${ns}:tab` && ns === 'w' && inRun(tag)) para += '\t';
        else if (n === `${ns}:br` || n === 'w:cr') para += '\n';
        else if (n === TBL) tables.push({ row: null });
        else if (n === TR) {
          const t = tables[tables.length - 1];
          if (t) t.row = [];
        } else if (n === TC) {
          const t = tables[tables.length - 1];
          if (t?.row) t.row.push('');
        } else if (n === 'w:gridSpan') {
          // Word writes no cell for the columns a cell spans; empty slots keep the columns aligned.
          const span = Number(attr(tag, 'w:val') ?? '1');
          const t = tables[tables.length - 1];
          for (let k = 1; k < span && k < 64 && t?.row; k++) t.row.push('');
        }
      },
      close(n) {
        if (textTag.indexOf(n) >= 0) inText = false;
        else if (n === P) {
          emit(para);
          para = '';
        } else if (n === TR) {
          const t = tables[tables.length - 1];
          if (t?.row) {
            const line = rowLine(t.row);
            t.row = null;
            // A table inside a cell: its rows become text of the outer cell.
            if (tables.length > 1) {
              tables.pop();
              emit(line.replace(/\t/g, ' '));
              tables.push(t);
            } else {
              lines.push(line);
            }
          }
        } else if (n === TBL) tables.pop();
      },
      text(t) {
        if (inText) para += decodeEntities(t);
      },
    },
    () => {
      ctx.budget.checkTime();
    },
  );
  return lines;
}

/** `<w:tab/>` inside a run is a tab character; inside paragraph properties it is a tab stop. */
function inRun(tag: Tag): boolean {
  return attr(tag, 'w:val') === undefined && attr(tag, 'w:pos') === undefined;
}

function joinLines(lines: readonly string[]): string {
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function readDocx(zip: ZipArchive, ctx: Context): Extracted {
  const main = zip.has('word/document.xml') ? 'word/document.xml' : findMainPart(zip, 'word/');
  const parts = [main];
  for (const p of ['header', 'footer']) parts.push(...numbered(zip, `word/${p}`));
  for (const p of ['word/footnotes.xml', 'word/endnotes.xml', 'word/comments.xml']) {
    if (zip.has(p)) parts.push(p);
  }
  const lines: string[] = [];
  for (const part of parts) {
    const xml = part === undefined ? undefined : zip.text(part);
    if (xml !== undefined) lines.push(...flowText(xml, ctx, 'w'));
  }
  return { format: 'docx', textKind: 'text', text: joinLines(lines) };
}

function findMainPart(zip: ZipArchive, dir: string): string | undefined {
  const rels = relationships(zip, '_rels/.rels', '');
  for (const target of rels.values()) if (target.indexOf(dir) === 0) return target;
  return undefined;
}

export function readPptx(zip: ZipArchive, ctx: Context): Extracted {
  const out: string[] = [];
  numbered(zip, 'ppt/slides/slide').forEach((part, i) => {
    const lines = flowText(zip.text(part) ?? '', ctx, 'a').filter((l) => l.trim() !== '');
    const notesPart = relationships(zip, part.replace('slides/', 'slides/_rels/') + '.rels', 'ppt/slides/');
    for (const target of notesPart.values()) {
      if (target.indexOf('ppt/notesSlides/') === 0) {
        lines.push(...flowText(zip.text(target) ?? '', ctx, 'a').filter((l) => l.trim() !== ''));
      }
    }
    out.push(`Slide ${i + 1}`, ...lines, '');
  });
  return { format: 'pptx', textKind: 'text', text: joinLines(out) };
}

/** Built-in number formats that show dates (ECMA-376 18.8.30, plus the East Asian date ids). */
const DATE_FORMAT_IDS = [14, 15, 16, 17, 22, 27, 28, 29, 30, 31, 34, 35, 36, 50, 51, 52, 53, 54, 57, 58];

/** Whether a custom number format code shows a date: d or y outside quotes, brackets and escapes. */
export function isDateFormat(code: string): boolean {
  let plain = '';
  for (let i = 0; i < code.length; i++) {
    const c = code.charAt(i);
    if (c === '"') {
      const end = code.indexOf('"', i + 1);
      i = end < 0 ? code.length : end;
    } else if (c === '[') {
      const end = code.indexOf(']', i + 1);
      i = end < 0 ? code.length : end;
    } else if (c === '\\' || c === '_' || c === '*') {
      i++;
    } else {
      plain += c.toLowerCase();
    }
  }
  // Only the first section (positive numbers) matters for how a date cell shows.
  const first = plain.split(';')[0] ?? '';
  return /[dy]/.test(first);
}

interface Styles {
  /** Per cell style index (the `s` attribute): whether it shows a date. */
  dateStyles: boolean[];
}

function readStyles(zip: ZipArchive): Styles {
  const xml = zip.text('xl/styles.xml');
  const dateStyles: boolean[] = [];
  if (xml === undefined) return { dateStyles };
  const custom = new Map<number, boolean>();
  let inCellXfs = false;
  scanMarkup(xml, {
    open(tag) {
      const n = localName(tag.name);
      if (n === 'numfmt') {
        custom.set(Number(attr(tag, 'numFmtId')), isDateFormat(attr(tag, 'formatCode') ?? ''));
      } else if (n === 'cellxfs') {
        inCellXfs = !tag.selfClosing;
      } else if (n === 'xf' && inCellXfs) {
        const id = Number(attr(tag, 'numFmtId') ?? '0');
        dateStyles.push(custom.get(id) ?? DATE_FORMAT_IDS.indexOf(id) >= 0);
      }
    },
    close(name) {
      if (localName(name) === 'cellxfs') inCellXfs = false;
    },
  });
  return { dateStyles };
}

function readSharedStrings(zip: ZipArchive, ctx: Context): string[] {
  const xml = zip.text('xl/sharedStrings.xml');
  const strings: string[] = [];
  if (xml === undefined) return strings;
  let current = '';
  let inText = false;
  // Phonetic guides (rPh) repeat the reading of East Asian text; they are not cell content.
  let inPhonetic = false;
  scanMarkup(
    xml,
    {
      open(tag) {
        const n = localName(tag.name);
        if (n === 'si') current = '';
        else if (n === 't') inText = !tag.selfClosing && !inPhonetic;
        else if (n === 'rph') inPhonetic = !tag.selfClosing;
      },
      close(name) {
        const n = localName(name);
        if (n === 'si') strings.push(current);
        else if (n === 't') inText = false;
        else if (n === 'rph') inPhonetic = false;
      },
      text(t) {
        if (inText) current += decodeEntities(t);
      },
    },
    () => {
      ctx.budget.checkTime();
    },
  );
  return strings;
}

function readSheet(
  xml: string,
  shared: readonly string[],
  styles: Styles,
  date1904: boolean,
  ctx: Context,
): string[] {
  const rows: string[] = [];
  let row: string[] = [];
  let col = -1;
  let type = '';
  let style = 0;
  let value = '';
  let inline = '';
  let capture: 'v' | 't' | null = null;
  scanMarkup(
    xml,
    {
      open(tag) {
        const n = localName(tag.name);
        if (n === 'row') {
          row = [];
          col = -1;
        } else if (n === 'c') {
          const ref = attr(tag, 'r');
          col = ref === undefined ? col + 1 : columnIndex(ref);
          type = attr(tag, 't') ?? 'n';
          style = Number(attr(tag, 's') ?? '0');
          value = '';
          inline = '';
        } else if (n === 'v') {
          capture = tag.selfClosing ? null : 'v';
        } else if (n === 't') {
          capture = tag.selfClosing ? null : 't';
        }
      },
      close(name) {
        const n = localName(name);
        if (n === 'v' || n === 't') capture = null;
        else if (n === 'c') {
          if (col < 0 || col > 16383) return;
          const shown = cellValue(type, value, inline, shared, styles.dateStyles[style] === true, date1904);
          while (row.length < col) row.push('');
          row[col] = cellText(shown);
        } else if (n === 'row') {
          const line = rowLine(row);
          if (line !== '') rows.push(line);
        }
      },
      text(t) {
        if (capture === 'v') value += t;
        else if (capture === 't') inline += decodeEntities(t);
      },
    },
    () => {
      ctx.budget.checkTime();
    },
  );
  return rows;
}

function cellValue(
  type: string,
  raw: string,
  inline: string,
  shared: readonly string[],
  isDate: boolean,
  date1904: boolean,
): string {
  const value = decodeEntities(raw);
  switch (type) {
    case 's':
      return shared[Number(value)] ?? '';
    case 'inlineStr':
      return inline;
    case 'b':
      return value === '1' ? 'TRUE' : 'FALSE';
    case 'n': {
      if (isDate && value !== '') return serialToDate(Number(value), date1904) ?? value;
      return value;
    }
    default:
      // str (formula text), e (error), d (ISO date)
      return value;
  }
}

export function readXlsx(zip: ZipArchive, ctx: Context): Extracted {
  const workbook = zip.text('xl/workbook.xml') ?? '';
  const rels = relationships(zip, 'xl/_rels/workbook.xml.rels', 'xl/');
  const sheets: { name: string; part: string }[] = [];
  let date1904 = false;
  scanMarkup(workbook, {
    open(tag) {
      const n = localName(tag.name);
      if (n === 'workbookpr') {
        const v = attr(tag, 'date1904');
        date1904 = v === '1' || v === 'true';
      } else if (n === 'sheet') {
        const id = attr(tag, 'r:id');
        const part = id === undefined ? undefined : rels.get(id);
        if (part !== undefined) sheets.push({ name: attr(tag, 'name') ?? part, part });
      }
    },
  });
  if (sheets.length === 0) {
    for (const part of numbered(zip, 'xl/worksheets/sheet')) sheets.push({ name: part, part });
  }
  const shared = readSharedStrings(zip, ctx);
  const styles = readStyles(zip);
  const out: string[] = [];
  for (const sheet of sheets) {
    const xml = zip.text(sheet.part);
    if (xml === undefined) continue;
    const rows = readSheet(xml, shared, styles, date1904, ctx);
    // One sheet: no name line, so the header row is the first line.
    if (sheets.length > 1) out.push(`Sheet: ${sheet.name}`);
    out.push(...rows);
    if (sheets.length > 1) out.push('');
  }
  return { format: 'xlsx', textKind: 'text', text: out.join('\n').trim() };
}
