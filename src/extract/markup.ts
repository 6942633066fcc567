/**
 * A linear scanner for the XML inside Office files and for HTML parts of
 * mail: no DOM (the on-send runtime has none) and no backtracking regular
 * expressions (the input is untrusted). It reports start tags, end tags and
 * text; the format readers keep only the few elements they care about.
 */

export interface Tag {
  /** Qualified name as written, e.g. `w:t`. */
  name: string;
  /** The raw tag source between `<` and `>`, for `attr`. */
  raw: string;
  selfClosing: boolean;
}

export interface MarkupHandler {
  open?(tag: Tag): void;
  close?(name: string): void;
  text?(text: string): void;
}

/** Calls `every` after this many tags, so long documents can check the clock. */
const CHECK_EVERY = 4096;

export function scanMarkup(source: string, handler: MarkupHandler, every?: () => void): void {
  let pos = 0;
  let tags = 0;
  const length = source.length;
  while (pos < length) {
    const lt = source.indexOf('<', pos);
    const textEnd = lt < 0 ? length : lt;
    if (textEnd > pos && handler.text) handler.text(source.slice(pos, textEnd));
    if (lt < 0) break;
    if (source.startsWith('<!--', lt)) {
      const end = source.indexOf('-->', lt + 4);
      pos = end < 0 ? length : end + 3;
      continue;
    }
    if (source.startsWith('<![CDATA[', lt)) {
      const end = source.indexOf(']]>', lt + 9);
      const stop = end < 0 ? length : end;
      // CDATA is literal text: escape it so the handler's entity decoding leaves it as it was.
      if (handler.text)
        handler.text(
          source
            .slice(lt + 9, stop)
            .split('&')
            .join('&amp;'),
        );
      pos = end < 0 ? length : end + 3;
      continue;
    }
    const gt = tagEnd(source, lt + 1);
    if (gt < 0) break;
    pos = gt + 1;
    const c = source.charAt(lt + 1);
    if (c === '?' || c === '!') continue;
    if (c === '/') {
      if (handler.close) handler.close(tagName(source, lt + 2, gt));
      continue;
    }
    const selfClosing = source.charAt(gt - 1) === '/';
    const name = tagName(source, lt + 1, gt);
    if (name === '') {
      // A lone "<" in sloppy HTML is text.
      if (handler.text) handler.text('&lt;');
      pos = lt + 1;
      continue;
    }
    const tag: Tag = { name, raw: source.slice(lt + 1, selfClosing ? gt - 1 : gt), selfClosing };
    if (handler.open) handler.open(tag);
    if (selfClosing && handler.close) handler.close(name);
    if (every !== undefined && ++tags % CHECK_EVERY === 0) every();
  }
}

/** The `>` ending a tag that starts at `from`, skipping quoted attribute values. */
function tagEnd(source: string, from: number): number {
  let quote = '';
  for (let i = from; i < source.length; i++) {
    const c = source.charAt(i);
    if (quote !== '') {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '>') {
      return i;
    }
  }
  return -1;
}

function tagName(source: string, from: number, end: number): string {
  let i = from;
  while (i < end) {
    const c = source.charCodeAt(i);
    // Whitespace or "/" ends a name.
    if (c <= 0x20 || c === 0x2f) break;
    i++;
  }
  return source.slice(from, i);
}

/** An attribute's decoded value, or undefined. Names are matched exactly (`w:val`, `table:name`). */
export function attr(tag: Tag, name: string): string | undefined {
  const raw = tag.raw;
  let from = tag.name.length;
  for (;;) {
    const at = raw.indexOf(name, from);
    if (at < 0) return undefined;
    from = at + name.length;
    const before = raw.charCodeAt(at - 1);
    if (before > 0x20) continue;
    let i = from;
    while (raw.charCodeAt(i) <= 0x20) i++;
    if (raw.charAt(i) !== '=') continue;
    i++;
    while (raw.charCodeAt(i) <= 0x20) i++;
    const q = raw.charAt(i);
    if (q === '"' || q === "'") {
      const end = raw.indexOf(q, i + 1);
      return decodeEntities(raw.slice(i + 1, end < 0 ? raw.length : end));
    }
    let end = i;
    while (end < raw.length && raw.charCodeAt(end) > 0x20) end++;
    return decodeEntities(raw.slice(i, end));
  }
}

/** The local part of a qualified name: `w:t` → `t`. */
export function localName(name: string): string {
  const colon = name.indexOf(':');
  return (colon < 0 ? name : name.slice(colon + 1)).toLowerCase();
}

const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ndash: '\u2013',
  mdash: '\u2014',
  hellip: '\u2026',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  bull: '\u2022',
  middot: '\u00b7',
  copy: '\u00a9',
  reg: '\u00ae',
  trade: '\u2122',
  euro: '\u20ac',
  pound: '\u00a3',
  sect: '\u00a7',
  deg: '\u00b0',
  shy: '\u00ad',
  zwnj: '\u200c',
  zwj: '\u200d',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
};

export function decodeEntities(text: string): string {
  if (text.indexOf('&') < 0) return text;
  let out = '';
  let pos = 0;
  for (;;) {
    const amp = text.indexOf('&', pos);
    if (amp < 0) break;
    const semi = text.indexOf(';', amp + 1);
    if (semi < 0 || semi - amp > 12) {
      out += text.slice(pos, amp + 1);
      pos = amp + 1;
      continue;
    }
    const body = text.slice(amp + 1, semi);
    let value: string | undefined;
    if (body.charAt(0) === '#') {
      const hex = body.charAt(1) === 'x' || body.charAt(1) === 'X';
      const digits = body.slice(hex ? 2 : 1);
      const code = digits === '' ? NaN : parseInt(digits, hex ? 16 : 10);
      if (code >= 0 && code <= 0x10ffff) value = String.fromCodePoint(code === 0 ? 0xfffd : code);
    } else {
      value = NAMED[body.toLowerCase()];
    }
    out += text.slice(pos, amp) + (value ?? text.slice(amp, semi + 1));
    pos = semi + 1;
  }
  return out + text.slice(pos);
}

const BLOCK = [
  'p',
  'div',
  'br',
  'li',
  'tr',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'pre',
  'section',
  'article',
  'header',
  'footer',
  'ul',
  'ol',
  'dt',
  'dd',
  'hr',
  'title',
];
const SKIP = ['script', 'style', 'head', 'template'];

/**
 * HTML as plain lines, for HTML found inside a container (a mail part, an
 * archive entry), where the text goes together with other parts' text:
 * blocks become lines, table cells tab-separated cells.
 */
export function htmlToText(html: string): string {
  const out: string[] = [];
  let skipping = 0;
  let skipName = '';
  let line = '';
  // The open table row's cells, if any (an object, so the closures below share it).
  const row: { cells: string[] | null } = { cells: null };
  const endLine = (): void => {
    const t = line.replace(/[ \t\u00a0]+/g, ' ').trim();
    const cells = row.cells;
    if (cells !== null) {
      const last = cells.length - 1;
      if (t !== '' && last >= 0) cells[last] = cells[last] === '' ? t : `${cells[last]} ${t}`;
    } else if (t !== '') {
      out.push(t);
    }
    line = '';
  };
  scanMarkup(html, {
    open(tag) {
      const n = tag.name.toLowerCase();
      if (skipping > 0) {
        if (n === skipName) skipping++;
        return;
      }
      if (SKIP.indexOf(n) >= 0 && !tag.selfClosing) {
        skipping = 1;
        skipName = n;
        return;
      }
      if (n === 'tr') {
        endLine();
        row.cells = [];
      } else if (n === 'td' || n === 'th') {
        endLine();
        if (row.cells === null) row.cells = [];
        row.cells.push('');
      } else if (BLOCK.indexOf(n) >= 0) {
        endLine();
      }
    },
    close(name) {
      const n = name.toLowerCase();
      if (skipping > 0) {
        if (n === skipName) skipping--;
        return;
      }
      if (n === 'tr' || n === 'table') {
        endLine();
        if (row.cells !== null && row.cells.length > 0) out.push(row.cells.join('\t'));
        row.cells = null;
      } else if (n === 'td' || n === 'th' || BLOCK.indexOf(n) >= 0) {
        endLine();
      }
    },
    text(t) {
      if (skipping === 0) line += decodeEntities(t).replace(/[\r\n]+/g, ' ');
    },
  });
  endLine();
  if (row.cells !== null && row.cells.length > 0) out.push(row.cells.join('\t'));
  return out.join('\n');
}
