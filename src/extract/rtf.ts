/**
 * A small RTF reader: the visible text of a document, with paragraphs as
 * lines and table rows as tab-separated cells. Groups that hold no visible
 * text (font and colour tables, pictures, field instructions, any `\*`
 * destination) are skipped whole; `\'hh` bytes are decoded in the
 * document's code page and `\uN` as Unicode.
 */
import type { Context, Extracted } from './context';
import { decodeCp1252 } from './decode';
import { trimEnd } from './table';
import { ExtractError } from './types';

const SKIPPED = new Set([
  'fonttbl',
  'colortbl',
  'stylesheet',
  'info',
  'pict',
  'object',
  'objdata',
  'fldinst',
  'themedata',
  'colorschememapping',
  'datastore',
  'latentstyles',
  'listtable',
  'listoverridetable',
  'rsidtbl',
  'generator',
  'xmlnstbl',
  'mmathPr',
  'pgdsctbl',
  'filetbl',
  'revtbl',
  'bkmkstart',
  'bkmkend',
  'shppict',
  'nonshppict',
  'template',
  'userprops',
]);

interface State {
  skip: boolean;
  /** Characters to drop after a \uN (the \ucN fallback count). */
  uc: number;
  inTable: boolean;
}

export function isRtf(bytes: Uint8Array): boolean {
  return (
    bytes[0] === 0x7b && bytes[1] === 0x5c && bytes[2] === 0x72 && bytes[3] === 0x74 && bytes[4] === 0x66
  );
}

export function readRtf(bytes: Uint8Array, ctx: Context): Extracted {
  if (!isRtf(bytes)) throw new ExtractError('corrupt', 'not scanned: the document is damaged');
  const out: string[] = [];
  let pendingBytes: number[] = [];
  const stack: State[] = [];
  let state: State = { skip: false, uc: 1, inTable: false };
  let dropFallback = 0;
  let groupStart = false;
  const flushBytes = (): void => {
    if (pendingBytes.length > 0) {
      out.push(decodeCp1252(Uint8Array.from(pendingBytes)));
      pendingBytes = [];
    }
  };
  const emit = (text: string): void => {
    if (state.skip) return;
    flushBytes();
    out.push(text);
  };
  /** A row's last cell ends with \cell before \row: that tab is no empty slot. */
  const endRow = (): void => {
    if (state.skip) return;
    flushBytes();
    while (out.length > 0 && (out[out.length - 1] === '\t' || out[out.length - 1] === ' ')) out.pop();
    out.push('\n');
  };
  const n = bytes.length;
  let i = 0;
  let steps = 0;
  while (i < n) {
    if (++steps % 65536 === 0) ctx.budget.checkTime();
    const c = bytes[i]!;
    if (c === 0x7b /* { */) {
      if (stack.length > 1000)
        throw new ExtractError('too-deep', 'not scanned: the document nests too deeply');
      stack.push(state);
      state = { skip: state.skip, uc: state.uc, inTable: state.inTable };
      groupStart = true;
      dropFallback = 0;
      i++;
      continue;
    }
    if (c === 0x7d /* } */) {
      flushBytesIfSkipping();
      state = stack.pop() ?? state;
      groupStart = false;
      dropFallback = 0;
      i++;
      continue;
    }
    if (c === 0x0d || c === 0x0a) {
      i++;
      continue;
    }
    if (c !== 0x5c /* \ */) {
      if (dropFallback > 0) {
        dropFallback--;
      } else if (!state.skip) {
        if (c >= 0x80) pendingBytes.push(c);
        else emit(String.fromCharCode(c));
      }
      groupStart = false;
      i++;
      continue;
    }
    // A control word or symbol.
    const next = bytes[i + 1];
    if (next === undefined) break;
    if (next === 0x27 /* ' */) {
      const hex = String.fromCharCode(bytes[i + 2] ?? 0, bytes[i + 3] ?? 0);
      i += 4;
      if (dropFallback > 0) {
        dropFallback--;
        continue;
      }
      const b = parseInt(hex, 16);
      if (!state.skip && !isNaN(b)) pendingBytes.push(b);
      groupStart = false;
      continue;
    }
    if (!isLetter(next)) {
      i += 2;
      groupStart = false;
      if (next === 0x2a /* * */) {
        state.skip = true;
        continue;
      }
      if (dropFallback > 0) {
        dropFallback--;
        continue;
      }
      if (next === 0x5c || next === 0x7b || next === 0x7d) emit(String.fromCharCode(next));
      else if (next === 0x7e /* ~ */) emit('\u00a0');
      else if (next === 0x5f /* _ */) emit('-');
      else if (next === 0x0a || next === 0x0d) emit('\n');
      continue;
    }
    let j = i + 1;
    while (j < n && isLetter(bytes[j]!)) j++;
    const word = String.fromCharCode.apply(null, Array.from(bytes.subarray(i + 1, j)));
    let param: number | undefined;
    let k = j;
    if (bytes[k] === 0x2d /* - */ || isDigit(bytes[k])) {
      k++;
      while (k < n && isDigit(bytes[k])) k++;
      param = Number(String.fromCharCode.apply(null, Array.from(bytes.subarray(j, k))));
    }
    if (bytes[k] === 0x20) k++;
    i = k;
    const wasGroupStart = groupStart;
    groupStart = false;
    if (wasGroupStart && SKIPPED.has(word)) {
      state.skip = true;
      continue;
    }
    if (word === 'bin' && param !== undefined && param > 0) {
      // Raw binary data: jump over it.
      i += param;
      continue;
    }
    if (state.skip) continue;
    if (dropFallback > 0 && word !== 'u') {
      dropFallback--;
      continue;
    }
    switch (word) {
      case 'u': {
        const code = param === undefined ? 0xfffd : param < 0 ? param + 65536 : param;
        emit(String.fromCharCode(code));
        dropFallback = state.uc;
        break;
      }
      case 'uc':
        state.uc = param ?? 1;
        break;
      case 'par':
      case 'sect':
      case 'page':
        emit(state.inTable ? ' ' : '\n');
        break;
      case 'line':
        emit(state.inTable ? ' ' : '\n');
        break;
      case 'tab':
      case 'cell':
      case 'nestcell':
        emit('\t');
        break;
      case 'row':
      case 'nestrow':
        endRow();
        state.inTable = false;
        break;
      case 'intbl':
        state.inTable = true;
        break;
      case 'pard':
        state.inTable = false;
        break;
      case 'emdash':
        emit('\u2014');
        break;
      case 'endash':
        emit('\u2013');
        break;
      case 'lquote':
        emit('\u2018');
        break;
      case 'rquote':
        emit('\u2019');
        break;
      case 'ldblquote':
        emit('\u201c');
        break;
      case 'rdblquote':
        emit('\u201d');
        break;
      case 'bullet':
        emit('\u2022');
        break;
      default:
        break;
    }
  }
  flushBytes();
  const text = out
    .join('')
    .split('\n')
    .map(trimEnd)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { format: 'rtf', textKind: 'text', text };

  function flushBytesIfSkipping(): void {
    if (!state.skip) flushBytes();
    else pendingBytes = [];
  }
}

function isLetter(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}
