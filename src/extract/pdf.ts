/**
 * PDF text through PDF.js (as packaged by unpdf, which runs it without a
 * worker in Node and browsers). Loaded on first use: it is about a megabyte,
 * which the on-send bundle cannot carry. Items are laid out again by their
 * positions, so a table's row comes out as one line with tab-separated cells.
 */
import type { Context, Extracted } from './context';
import { trimEnd } from './table';
import { ExtractError, type AttachmentFile } from './types';

interface TextItem {
  str: string;
  transform: number[];
  width: number;
  height: number;
  hasEOL?: boolean;
}

/** Loose enough for PDF.js's own types, which differ between versions. */
interface PdfDocument {
  numPages: number;
  getPage(n: number): Promise<{ getTextContent(): Promise<{ items: unknown[] }> }>;
  destroy(): Promise<void>;
}

export async function readPdf(file: AttachmentFile, ctx: Context): Promise<Extracted> {
  const { getDocumentProxy } = await import('unpdf');
  let pdf: PdfDocument;
  try {
    // PDF.js takes ownership of the buffer it is given, and refuses Node's Buffer: hand it a plain copy.
    pdf = await getDocumentProxy(new Uint8Array(file.bytes), { isEvalSupported: false, verbosity: 0 });
  } catch (e) {
    if ((e as { name?: unknown } | null)?.name === 'PasswordException') {
      throw new ExtractError('encrypted', 'not scanned: the PDF is password-protected');
    }
    throw new ExtractError('corrupt', 'not scanned: the PDF is damaged');
  }
  try {
    const pages: string[] = [];
    for (let n = 1; n <= pdf.numPages; n++) {
      ctx.budget.checkTime();
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      const items = content.items.filter((i): i is TextItem => typeof (i as TextItem).str === 'string');
      pages.push(layout(items));
    }
    return { format: 'pdf', textKind: 'text', text: pages.join('\n\n').trim() };
  } catch (e) {
    if (e instanceof ExtractError) throw e;
    throw new ExtractError('corrupt', 'not scanned: the PDF is damaged');
  } finally {
    await pdf.destroy().catch(() => undefined);
  }
}

/**
 * Groups text items into lines by baseline and orders them left to right; a
 * gap wider than about two spaces between items is a column
 * boundary (a tab), a smaller one a space.
 */
export function layout(items: readonly TextItem[]): string {
  const lines: { y: number; size: number; items: TextItem[] }[] = [];
  for (const item of items) {
    if (item.str === '' && item.hasEOL !== true) continue;
    const y = item.transform[5] ?? 0;
    const size = Math.abs(item.transform[3] ?? item.height) || item.height || 10;
    let line = lines.find((l) => Math.abs(l.y - y) < Math.max(l.size, size) * 0.4);
    if (line === undefined) {
      line = { y, size, items: [] };
      lines.push(line);
    }
    if (item.str !== '') line.items.push(item);
  }
  lines.sort((a, b) => b.y - a.y);
  const out: string[] = [];
  for (const line of lines) {
    line.items.sort((a, b) => (a.transform[4] ?? 0) - (b.transform[4] ?? 0));
    let text = '';
    let end: number | undefined;
    for (const item of line.items) {
      const x = item.transform[4] ?? 0;
      // PDF.js reports the white space between table cells as an item of its own, as wide as the gap.
      const blank = item.str.trim() === '';
      const gap = blank ? item.width : end === undefined ? 0 : x - end;
      if (gap > line.size * 0.7) {
        if (text !== '') text += '\t';
      } else if (end !== undefined && (blank || gap > line.size * 0.15)) {
        if (!/\s$/.test(text)) text += ' ';
      }
      if (!blank) text += item.str;
      end = x + item.width;
    }
    if (line.items.length > 0) out.push(trimEnd(text));
  }
  return out.join('\n');
}
