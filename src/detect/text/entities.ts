/**
 * HTML character references. The table holds the names mail clients emit;
 * an unknown name stays literal text, which can only add characters a scan
 * ignores, never hide an identifier.
 */
const NAMED: Readonly<Record<string, number>> = {
  amp: 0x26, lt: 0x3c, gt: 0x3e, quot: 0x22, apos: 0x27, nbsp: 0xa0, shy: 0xad, ensp: 0x2002,
  emsp: 0x2003, thinsp: 0x2009, hairsp: 0x200a, numsp: 0x2007, puncsp: 0x2008, zwsp: 0x200b,
  zwnj: 0x200c, zwj: 0x200d, lrm: 0x200e, rlm: 0x200f, wj: 0x2060, NoBreak: 0x2060,
  NegativeThinSpace: 0x200b, ZeroWidthSpace: 0x200b, hyphen: 0x2010, dash: 0x2010, ndash: 0x2013,
  mdash: 0x2014, minus: 0x2212, horbar: 0x2015, period: 0x2e, comma: 0x2c, colon: 0x3a,
  semi: 0x3b, sol: 0x2f, bsol: 0x5c, num: 0x23, lpar: 0x28, rpar: 0x29, excl: 0x21, quest: 0x3f,
  commat: 0x40, dollar: 0x24, percnt: 0x25, plus: 0x2b, equals: 0x3d, lowbar: 0x5f, Tab: 0x09,
  NewLine: 0x0a, hellip: 0x2026, middot: 0xb7, bull: 0x2022, laquo: 0xab, raquo: 0xbb,
  lsquo: 0x2018, rsquo: 0x2019, ldquo: 0x201c, rdquo: 0x201d, copy: 0xa9, reg: 0xae,
  trade: 0x2122, deg: 0xb0, times: 0xd7, divide: 0xf7, frasl: 0x2044, sect: 0xa7, para: 0xb6,
  cent: 0xa2, pound: 0xa3, euro: 0x20ac, yen: 0xa5,
}; // prettier-ignore

/** Names a browser accepts without the closing semicolon (legacy references). */
const LEGACY = new Set(['amp', 'lt', 'gt', 'quot', 'nbsp', 'shy', 'copy', 'reg']);

const REFERENCE = /&(?:#x([0-9A-F]{1,6})|#(\d{1,7})|([A-Z][A-Z0-9]{1,31}))(;?)/iy;

export interface DecodedEntity {
  text: string;
  /** Index after the reference. */
  end: number;
}

/** Decodes the character reference starting with `&` at index `at`, if there is one. */
export function decodeEntityAt(raw: string, at: number): DecodedEntity | undefined {
  REFERENCE.lastIndex = at;
  const m = REFERENCE.exec(raw);
  if (m === null) return undefined;
  const [whole, hex, dec, name, semi] = m;
  let cp: number | undefined;
  if (hex !== undefined) cp = parseInt(hex, 16);
  else if (dec !== undefined) cp = parseInt(dec, 10);
  else if (name !== undefined && (semi === ';' || LEGACY.has(name))) cp = NAMED[name];
  if (cp === undefined) return undefined;
  // Invalid code points decode to U+FFFD, as browsers do.
  if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  return { text: String.fromCodePoint(cp), end: at + whole.length };
}
