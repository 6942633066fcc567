/**
 * The dispatcher: picks a reader for each file, runs it under the shared
 * budget, and turns every outcome — including a reader's bug — into an
 * ExtractResult. Readers that not every runtime can carry (PDF, Outlook
 * .msg, MIME) are passed in, so the on-send bundle can leave them out.
 */
import { Budget, nestedText, type Context, type Extracted, type Reader } from './context';
import { csvToRows } from './csv';
import { decodeText, latin1 } from './decode';
import { readOdf, odfKind } from './odf';
import { readDocx, readPptx, readXlsx } from './ooxml';
import { readRtf } from './rtf';
import { extensionOf, sniff, type Sniffed } from './sniff';
import {
  ExtractError,
  megabytes,
  type AttachmentFile,
  type ExtractLimits,
  type ExtractResult,
  type FailureReason,
} from './types';
import { ZipArchive } from './zip';

export const DEFAULT_EXTRACT_LIMITS: Readonly<ExtractLimits> = Object.freeze({
  maxDepth: 5,
  maxBytes: 20 * 1024 * 1024,
  maxRatio: 200,
  maxMillis: 2000,
  maxEntries: 1000,
});

export interface OptionalReaders {
  pdf?: Reader;
  eml?: Reader;
  msg?: Reader;
}

export type Extractor = (file: AttachmentFile, limits?: Partial<ExtractLimits>) => Promise<ExtractResult>;

const MESSAGES: Record<FailureReason, string> = {
  'too-large': 'not scanned: it is too large to read',
  'too-deep': 'not scanned: it nests too many files inside each other',
  encrypted: 'not scanned: it is password-protected',
  corrupt: 'not scanned: the file is damaged',
  unsupported: 'not scanned: this file type cannot be read',
  image: 'not scanned: it is an image',
  timeout: 'not scanned: reading it took too long',
};

/** A short format name for results, from the signature or the file name. */
function formatName(sniffed: Sniffed, name: string): string {
  if (sniffed === 'zip' || sniffed === 'cfb' || sniffed === 'image' || sniffed === 'binary') {
    return extensionOf(name) || sniffed;
  }
  return sniffed;
}

export function createExtractor(optional: OptionalReaders, now: () => number = Date.now): Extractor {
  const dispatch = async (file: AttachmentFile, ctx: Context): Promise<Extracted> => {
    ctx.budget.checkTime();
    const kind = sniff(file.bytes, file.name, file.contentType);
    switch (kind) {
      case 'text':
        return { format: 'text', textKind: 'text', text: stripBom(decodeText(file.bytes)) };
      case 'csv':
        return { format: 'csv', textKind: 'text', text: csvToRows(stripBom(decodeText(file.bytes))) };
      case 'html':
        return { format: 'html', textKind: 'html', text: stripBom(decodeText(file.bytes)) };
      case 'rtf':
        return readRtf(file.bytes, ctx);
      case 'zip':
        return readZipFamily(file, ctx);
      case 'image':
        throw new ExtractError('image', 'not scanned: it is an image, and text in images cannot be read');
      case 'pdf':
        return run(optional.pdf, file, ctx, 'PDF files');
      case 'eml':
        return run(optional.eml, file, ctx, 'attached e-mails');
      case 'cfb':
        return readCompoundFile(file, ctx);
      case 'binary':
        throw new ExtractError('unsupported', 'not scanned: this file type cannot be read');
    }
  };

  const run = async (
    reader: Reader | undefined,
    file: AttachmentFile,
    ctx: Context,
    what: string,
  ): Promise<Extracted> => {
    if (reader === undefined) {
      throw new ExtractError('unsupported', `not scanned: ${what} cannot be read here`);
    }
    return reader(file, ctx);
  };

  const readCompoundFile = (file: AttachmentFile, ctx: Context): Promise<Extracted> => {
    // Password-protected Word/Excel/PowerPoint files are compound files holding an "EncryptedPackage" stream.
    const names = latin1(file.bytes, 0, Math.min(file.bytes.length, 1024 * 1024));
    if (names.indexOf(utf16Name('EncryptedPackage')) >= 0) {
      throw new ExtractError('encrypted', 'not scanned: it is password-protected');
    }
    const ext = extensionOf(file.name);
    const type = (file.contentType ?? '').toLowerCase();
    if (ext === 'msg' || type.indexOf('ms-outlook') >= 0 || names.indexOf(utf16Name('__substg1.0_')) >= 0) {
      return run(optional.msg, file, ctx, 'Outlook messages (.msg)');
    }
    throw new ExtractError(
      'unsupported',
      'not scanned: older Office files (.doc, .xls, .ppt) cannot be read; save it in the current format',
    );
  };

  const readZipFamily = async (file: AttachmentFile, ctx: Context): Promise<Extracted> => {
    const zip = new ZipArchive(file.bytes, ctx.budget);
    if (zip.has('word/document.xml')) return readDocx(zip, ctx);
    if (zip.has('xl/workbook.xml')) return readXlsx(zip, ctx);
    if (zip.has('ppt/presentation.xml')) return readPptx(zip, ctx);
    if (zip.has('mimetype') && zip.has('content.xml')) {
      const kind = odfKind(zip);
      if (kind !== undefined) return readOdf(zip, ctx, kind);
    }
    if (zip.has('EncryptionInfo') || zip.has('EncryptedPackage')) {
      throw new ExtractError('encrypted', 'not scanned: it is password-protected');
    }
    return readArchive(zip, file, ctx);
  };

  const readArchive = async (zip: ZipArchive, file: AttachmentFile, ctx: Context): Promise<Extracted> => {
    const parts: string[] = [];
    for (const entry of zip.entries) {
      if (entry.name.charAt(entry.name.length - 1) === '/' || entry.name.indexOf('__MACOSX/') === 0) continue;
      if (entry.encrypted)
        throw new ExtractError('encrypted', 'not scanned: the archive is password-protected');
      const bytes = zip.read(entry.name)!;
      parts.push(`File: ${entry.name}`, await nestedText(ctx, { name: entry.name, bytes }), '');
    }
    return { format: 'zip', textKind: 'text', text: parts.join('\n').trim() };
  };

  const context = (budget: Budget, depth: number): Context => ({
    budget,
    depth,
    nested(file) {
      if (depth + 1 > budget.limits.maxDepth) {
        throw new ExtractError(
          'too-deep',
          `not scanned: it holds files nested more than ${budget.limits.maxDepth} levels deep`,
        );
      }
      return dispatch(file, context(budget, depth + 1));
    },
  });

  return async (file, limits) => {
    const all: ExtractLimits = { ...DEFAULT_EXTRACT_LIMITS, ...limits };
    let format = extensionOf(file.name) || 'unknown';
    try {
      format = formatName(sniff(file.bytes, file.name, file.contentType), file.name);
      if (file.bytes.length > all.maxBytes) {
        throw new ExtractError('too-large', `not scanned: it is larger than ${megabytes(all.maxBytes)}`);
      }
      const budget = new Budget(all, now);
      const extracted = await withTimeout(dispatch(file, context(budget, 0)), all.maxMillis);
      return { ok: true, format: extracted.format, textKind: extracted.textKind, text: extracted.text };
    } catch (e) {
      const reason: FailureReason = e instanceof ExtractError ? e.reason : 'corrupt';
      const message = e instanceof ExtractError ? e.message : MESSAGES.corrupt;
      return { ok: false, format, reason, message };
    }
  };
}

/** Asynchronous readers (PDF) cannot check the clock between steps of someone else's code. */
function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new ExtractError('timeout', `not scanned: reading it took longer than ${ms / 1000} s`));
    }, ms + 50);
    work.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function utf16Name(name: string): string {
  let s = '';
  for (let i = 0; i < name.length; i++) s += name.charAt(i) + '\u0000';
  return s;
}
