import { foldCodePoint } from './fold';
import { decodeEntityAt } from './entities';
import { MappedTextBuilder, identityText, type MappedText } from './mapped-text';

// Everything outside printable ASCII, tab and line breaks needs folding.
const SPECIAL_IN_TEXT = /[^\t\n\r\x20-\x7e]/g;
// In markup, tags, entities and source whitespace need handling too.
const SPECIAL_IN_HTML = /[^\x20-\x25\x27-\x3b\x3d-\x7e]/g;

/** Plain text (subject, text body, text attachment) ready for scanning. */
export function prepareText(raw: string): MappedText {
  SPECIAL_IN_TEXT.lastIndex = 0;
  if (!SPECIAL_IN_TEXT.test(raw)) return identityText(raw);
  const out = new MappedTextBuilder();
  let i = 0;
  const n = raw.length;
  while (i < n) {
    const next = nextSpecial(SPECIAL_IN_TEXT, raw, i);
    if (next > i) out.appendOneToOne(raw.slice(i, next), i);
    if (next >= n) break;
    i = appendFolded(out, raw, next);
  }
  return out.build();
}

/**
 * Index of the next character `re` (a global single-character class) matches
 * at or after `from`, or the length. `test` rather than `exec`: no match
 * object is allocated in the hottest loop.
 */
function nextSpecial(re: RegExp, raw: string, from: number): number {
  re.lastIndex = from;
  return re.test(raw) ? re.lastIndex - 1 : raw.length;
}

/** Appends the folded form of the code point at `i`; returns the index after it. */
function appendFolded(out: MappedTextBuilder, raw: string, i: number): number {
  const cp = raw.codePointAt(i)!;
  const width = cp > 0xffff ? 2 : 1;
  out.appendBlock(foldCodePoint(cp), i, i + width);
  return i + width;
}

/** What an element does to the text around it. */
const enum Tag {
  /** Inline or unknown: vanishes, so text on both sides joins. */
  Inline,
  /** Never shown (head, script, style, title…): skipped with its content. */
  Hidden,
  /** Starts a new line: an identifier cannot run across it. */
  Block,
  /** A table cell: a tab, so values can be read under their column header. */
  Cell,
  /** A table row or table: a new line. */
  Row,
  /** Preformatted text: a block whose source line breaks and spaces show as written. */
  Pre,
}

/**
 * Element names by kind, in lower and upper case: one map lookup per tag, no
 * lower-casing for the names mail is written with.
 */
const TAGS = new Map<string, Tag>();
function tagKinds(kind: Tag, names: string): void {
  for (const name of names.split(' ')) {
    TAGS.set(name, kind);
    TAGS.set(name.toUpperCase(), kind);
  }
}
tagKinds(Tag.Hidden, 'head script style title template noscript xml');
tagKinds(
  Tag.Block,
  'address article aside blockquote br caption center dd details dialog dir div dl dt fieldset ' +
    'figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html body legend li main menu nav ol ' +
    'option p pre section summary tbody tfoot thead ul',
);
tagKinds(Tag.Cell, 'td th');
tagKinds(Tag.Row, 'tr table');
tagKinds(Tag.Pre, 'pre xmp listing plaintext textarea');
tagKinds(Tag.Inline, 'span a b i u s em strong font img small big sup sub code mark label abbr wbr o:p');

function tagKind(name: string): Tag {
  return TAGS.get(name) ?? TAGS.get(name.toLowerCase()) ?? Tag.Inline;
}

const SOURCE_WHITESPACE = /[\t\n\f\r]+/y;

/**
 * The visible text of an HTML body, without a DOM (the engine runs where there
 * is none). Inline tags vanish, so `536</span><span>-22-1874` reads as one
 * number; block tags become line breaks; entities are decoded; source
 * whitespace becomes a space, as a browser shows it.
 *
 * Linear in the input: every character is consumed once, and the search for
 * the end of a hidden element is not repeated once it has failed.
 */
export function prepareHtml(raw: string): MappedText {
  const out = new MappedTextBuilder();
  const n = raw.length;
  const lastGt = raw.lastIndexOf('>');
  const state: MarkupState = { noCloseFor: new Set<string>(), inCell: false, pre: 0, spanned: 0 };
  // Raw text from `run` up to the next special character is copied as it is,
  // in one piece; a literal '&' or '<' stays inside that piece.
  let run = 0;
  let i = 0;
  while (i < n) {
    const next = nextSpecial(SPECIAL_IN_HTML, raw, i);
    if (next >= n) break;
    const c = raw.charCodeAt(next);
    const entity = c === 0x26 /* & */ ? decodeEntityAt(raw, next) : undefined;
    if (
      (c === 0x26 && entity === undefined) ||
      (c === 0x3c /* < */ && (next > lastGt || !startsMarkup(raw, next)))
    ) {
      // "AT&T", "a < b", "<3": literal text; so is a tag that never ends, so
      // what follows it cannot be hidden from the scan.
      i = next + 1;
      continue;
    }
    if (next > run) out.appendOneToOne(raw.slice(run, next), run);
    if (c === 0x3c) {
      i = consumeMarkup(out, raw, next, state);
    } else if (entity !== undefined) {
      const cp = entity.text.codePointAt(0)!;
      const folded = entity.text.length <= 2 && cp >= 0x7f ? foldCodePoint(cp) : entity.text;
      // `&#9;` is how Outlook writes a tab typed between cells of a pasted row: it stays a tab.
      out.appendBlock(folded.replace(/[\n\r\f]/g, ' '), next, entity.end);
      i = entity.end;
    } else if (state.pre > 0 && (c === 0x09 || c === 0x0a || c === 0x0d)) {
      // In preformatted text a report's lines and columns show as written.
      out.appendOneToOne(raw.charAt(next), next);
      i = next + 1;
    } else if (c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d) {
      // Source line breaks show as spaces, and so does indentation. A tab
      // inside a line of text is a spreadsheet's row pasted into a paragraph
      // (Outlook shows it as a tab): it stays, so the row reads as cells.
      SOURCE_WHITESPACE.lastIndex = next;
      SOURCE_WHITESPACE.test(raw);
      const end = SOURCE_WHITESPACE.lastIndex;
      const run = raw.slice(next, end);
      const inLine =
        run.indexOf('\n') < 0 && run.indexOf('\r') < 0 && out.lastChar() !== '\n' && out.lastChar() !== '';
      out.appendOneToOne(inLine ? run.replace(/\f/g, ' ') : ' '.repeat(end - next), next);
      i = end;
    } else {
      i = appendFolded(out, raw, next);
    }
    run = i;
  }
  if (n > run) out.appendOneToOne(raw.slice(run, n), run);
  return out.build();
}

/** Whether the `<` at `lt` opens markup: a tag, an end tag, a comment or a declaration. */
function startsMarkup(raw: string, lt: number): boolean {
  const c1 = raw.charCodeAt(lt + 1);
  if (c1 === 0x21 /* ! */ || c1 === 0x3f /* ? */) return true;
  const first = c1 === 0x2f /* / */ ? raw.charCodeAt(lt + 2) : c1;
  const lower = first | 0x20;
  return lower >= 0x61 && lower <= 0x7a;
}

/** Handles the markup starting at `<` at index `lt`; returns the index after it. */
interface MarkupState {
  /** Hidden elements whose closing tag was searched for and is not there. */
  readonly noCloseFor: Set<string>;
  /** Inside a table cell: block elements there do not end the row. */
  inCell: boolean;
  /** How many preformatted elements are open. */
  pre: number;
  /** Columns the open cell spans beyond its own, not yet written as empty cells. */
  spanned: number;
}

const COLSPAN = /colspan\s*=\s*["']?(\d{1,3})/i;

/** How many columns beyond its own the cell whose attributes are `[from, to)` spans (capped). */
function colspanOf(raw: string, from: number, to: number): number {
  if (to - from < 9) return 0;
  const m = COLSPAN.exec(raw.slice(from, to));
  return m === null ? 0 : Math.min(Math.max(Number(m[1]) - 1, 0), 20);
}

function consumeMarkup(out: MappedTextBuilder, raw: string, lt: number, state: MarkupState): number {
  const noCloseFor = state.noCloseFor;
  const n = raw.length;
  const c1 = raw.charAt(lt + 1);
  if (c1 === '!') {
    if (raw.startsWith('<!--', lt)) {
      const close = raw.indexOf('-->', lt + 4);
      return close < 0 ? n : close + 3;
    }
    return endOfTag(raw, lt + 2);
  }
  if (c1 === '?') return endOfTag(raw, lt + 2);
  const closing = c1 === '/';
  const nameStart = closing ? lt + 2 : lt + 1;
  const nameEnd = endOfTagName(raw, nameStart);
  const name = raw.slice(nameStart, nameEnd);
  const kind = tagKind(name);
  const end = endOfTag(raw, nameEnd);
  switch (kind) {
    case Tag.Inline:
      return closing || end - nameEnd < 16 ? end : consumeSpacing(out, raw, lt, end, name);
    case Tag.Hidden: {
      if (closing) return end;
      const tag = name.toLowerCase();
      if (noCloseFor.has(tag)) return end;
      const close = findClosingTag(raw, tag, end);
      if (close >= 0) return endOfTag(raw, close + 2 + tag.length);
      noCloseFor.add(tag);
      return end;
    }
    // Tables keep their shape as tab-separated rows, so a value can be read
    // under its column's header ("SSN" above "536-22-1874").
    case Tag.Cell: {
      state.inCell = !closing;
      // A cell spanning columns leaves them empty after its content, so the
      // cells after it stay under their own headers.
      const spanned = state.spanned;
      state.spanned = 0;
      if (closing) {
        if (spanned > 0) out.appendBlock('\t'.repeat(spanned), lt, end);
        return end;
      }
      out.appendBlock('\t'.repeat(spanned + 1), lt, end);
      state.spanned = colspanOf(raw, nameEnd, end);
      return end;
    }
    case Tag.Row:
      state.inCell = false;
      state.spanned = 0;
      if (out.lastChar() !== '\n') out.appendBlock('\n', lt, end);
      return end;
    case Tag.Pre:
      state.pre = closing ? Math.max(0, state.pre - 1) : state.pre + 1;
      if (out.lastChar() !== '\n') out.appendBlock('\n', lt, end);
      return end;
    case Tag.Block:
      // Outlook wraps every cell's content in <p>: a space there, not a new row.
      if (state.inCell) {
        if (out.lastChar() !== ' ') out.appendBlock(' ', lt, end);
      } else if (out.lastChar() !== '\n') {
        out.appendBlock('\n', lt, end);
      }
      return end;
  }
}

const TAB_SPAN = /mso-tab-count/i;
const PRE_SPAN = /white-space:\s*pre/i;
const ONLY_SPACING = /^[\t\n\r ]*$/;
// What Word writes inside a tab's span: non-breaking spaces, perhaps wrapped in more spans.
const TAB_CONTENT = /^(?:<[^<>]*>|&nbsp;|\s)*$/;

/**
 * Spacing that an inline element spells out: Word's tab (`<span
 * style='mso-tab-count:1'>&nbsp; </span>`) and a tab kept by `white-space:
 * pre`, as a spreadsheet's rows pasted into a paragraph are written. Either
 * stands for a tab, so the cells they separate read as a row. Returns where
 * scanning goes on.
 */
function consumeSpacing(out: MappedTextBuilder, raw: string, lt: number, end: number, name: string): number {
  const attrs = raw.slice(lt, end);
  const tab = TAB_SPAN.test(attrs);
  if (!tab && !PRE_SPAN.test(attrs)) return end;
  const tag = name.toLowerCase();
  const close = findClosingTag(raw, tag, end);
  if (close < 0) return end;
  const content = raw.slice(end, close);
  if (!(tab ? TAB_CONTENT : ONLY_SPACING).test(content)) return end;
  const after = endOfTag(raw, close + 2 + tag.length);
  out.appendBlock(tab ? '\t' : content, lt, after);
  return after;
}

/** End of a tag name (a letter, then letters, digits, ':' or '-') starting at `from`; `from` if none. */
function endOfTagName(raw: string, from: number): number {
  let i = from;
  for (; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    const lower = c | 0x20; // only ASCII letters land in a-z this way
    const letter = lower >= 0x61 && lower <= 0x7a;
    if (!letter && (i === from || !((c >= 0x30 && c <= 0x3a) || c === 0x2d))) break;
  }
  return i;
}

const TAG_END_OR_QUOTE = /["'>]/g;

/** Index after the `>` closing a tag whose attributes start at `from`, honouring quoted values. */
function endOfTag(raw: string, from: number): number {
  const re = TAG_END_OR_QUOTE;
  re.lastIndex = from;
  for (;;) {
    if (!re.test(raw)) return raw.length;
    const at = re.lastIndex - 1;
    const c = raw.charAt(at);
    if (c === '>') return at + 1;
    // Skip the quoted value whole: every character is passed over once.
    const close = raw.indexOf(c, at + 1);
    if (close < 0) return raw.length;
    re.lastIndex = close + 1;
  }
}

const closingTagCache = new Map<string, RegExp>();

function findClosingTag(raw: string, tag: string, from: number): number {
  let re = closingTagCache.get(tag);
  if (re === undefined) {
    re = new RegExp('</' + tag + '(?![A-Za-z0-9:-])', 'gi');
    closingTagCache.set(tag, re);
  }
  re.lastIndex = from;
  const m = re.exec(raw);
  return m === null ? -1 : m.index;
}
