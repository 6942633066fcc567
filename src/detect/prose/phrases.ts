/**
 * Phrases found by their words: a map from each phrase (its words lower case,
 * accents plain, hyphens as spaces) to a value, looked up word by word,
 * longest phrase first. Building it is a map insertion per phrase, and a
 * search is linear in the text: no giant regular expression to compile,
 * which on first use costs seconds in Outlook's runtimes.
 */

const ACCENTED = 'áéíóúüñàèìòùâêîôûçÁÉÍÓÚÜÑÀÈÌÒÙÂÊÎÔÛÇ';
const PLAIN = 'aeiouunaeiouaeioucaeiouunaeiouaeiouc';

/** `text` lower case with accented Latin letters plain, one character for one, so offsets stay. */
export function foldForMatching(text: string): string {
  // The common case at once: lower case of the same length, no accented letter.
  const lower = text.toLowerCase();
  if (lower.length === text.length && !/[\u00c0-\u024f]/.test(lower)) return lower;
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let r: string | undefined;
    if (c >= 0x41 && c <= 0x5a) r = String.fromCharCode(c + 32);
    else if (c >= 0xc0) {
      const k = ACCENTED.indexOf(text.charAt(i));
      r = k < 0 ? (c <= 0x24f ? text.charAt(i).toLowerCase().charAt(0) : undefined) : PLAIN.charAt(k);
    }
    if (r === undefined) continue;
    out += text.slice(from, i) + r;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** A phrase as the index keys it: words of letters and digits, single spaces. */
export function phraseKey(phrase: string): string {
  return foldForMatching(phrase)
    .replace(/[-_/]+/g, ' ')
    .replace(/[^a-z0-9'\u2019.+& ]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

// A word: letters or digits, perhaps joined by an apostrophe, a dot, a plus
// or an ampersand ("a1c", "o'brien", "t.b", "at&t"), read by a loop over
// character codes: a regular expression's match objects, one per word, were
// most of the cost of a search.
function isWordCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 0xdf && c <= 0xff);
}

function isJoinerCode(c: number): boolean {
  return c === 39 || c === 0x2019 || c === 46 || c === 43 || c === 38;
}

export interface Words {
  readonly text: string;
  readonly folded: string;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
  /** Each word's `gram`, read once for every index that searches the text. */
  readonly grams: readonly number[];
}

// Several indexes search one text in turn (health terms, then each kind of cue): its words are read once.
let lastWords: Words | undefined;

/**
 * The words of `text` as every index reads them: folded text, word starts,
 * ends and grams. Hyphens, underscores and slashes part words as spaces do
 * (neither is a word's or a joiner's character), so the folded text keeps them.
 */
export function wordsOf(text: string): Words {
  if (lastWords !== undefined && lastWords.text === text) return lastWords;
  const folded = foldForMatching(text);
  const starts: number[] = [];
  const ends: number[] = [];
  const grams: number[] = [];
  const n = folded.length;
  let i = 0;
  while (i < n) {
    if (!isWordCode(folded.charCodeAt(i))) {
      i++;
      continue;
    }
    const start = i;
    for (;;) {
      while (i < n && isWordCode(folded.charCodeAt(i))) i++;
      if (i + 1 < n && isJoinerCode(folded.charCodeAt(i)) && isWordCode(folded.charCodeAt(i + 1))) i++;
      else break;
    }
    starts.push(start);
    ends.push(i);
    grams.push(gram(folded, start, i));
  }
  lastWords = { text, folded, starts, ends, grams };
  return lastWords;
}

/**
 * A word's length (up to 15), its first three characters and its last one,
 * packed in a small integer, read without slicing the text. Characters share
 * bits (only 7 or 5 of each are kept), which can only let a word through to
 * the exact check, never turn one away. The length and the last character
 * pass over most words that merely start like a phrase ("the" / "therapy").
 */
function gram(text: string, start: number, end: number): number {
  const len = end - start;
  const c1 = len > 1 ? text.charCodeAt(start + 1) & 127 : 0;
  const c2 = len > 2 ? text.charCodeAt(start + 2) & 31 : 0;
  const last = text.charCodeAt(end - 1) & 127;
  return (Math.min(len, 15) << 26) | ((text.charCodeAt(start) & 127) << 19) | (c1 << 12) | (c2 << 7) | last;
}

/**
 * A set of small integers kept as bits of their hash, which answers "surely
 * not in the set" for most words before a hash-set lookup would: a false
 * "maybe" only costs that lookup.
 */
export class BitFilter {
  private readonly bits = new Int32Array(1 << (FILTER_BITS - 5));

  add(n: number): void {
    const h = filterHash(n);
    this.bits[h >>> 5] = this.bits[h >>> 5]! | (1 << (h & 31));
  }

  mayHave(n: number): boolean {
    const h = filterHash(n);
    return (this.bits[h >>> 5]! & (1 << (h & 31))) !== 0;
  }
}

/** 2^18 bits (32 KB) per filter: a few thousand entries leave most bits clear. */
const FILTER_BITS = 18;

function filterHash(n: number): number {
  return Math.imul(n, 0x9e3779b1) >>> (32 - FILTER_BITS);
}

export interface PhraseHit<T> {
  readonly start: number;
  readonly end: number;
  readonly value: T;
}

export class PhraseIndex<T> {
  private readonly map = new Map<string, T>();
  /**
   * Every phrase's leading words short of the whole ("breast" of "breast
   * cancer"): a search goes on to a next word only from one of these, so most
   * words of a text cost one lookup.
   */
  private readonly prefixes = new Set<string>();
  /**
   * Every form a phrase's first word may take in a text: a one-word phrase
   * with its plural and possessive endings, a longer one's first word as it
   * is. A word not here starts nothing, at the cost of one lookup.
   */
  private readonly firstWords = new Set<string>();
  /** The first words' leading letters (see `gram`): most words of a text are passed over on these alone. */
  private readonly firstGrams = new Set<number>();
  /** The same grams as bits: most words are turned away here, before a set lookup. */
  private readonly firstGramBits = new BitFilter();

  /** Adds a phrase; a phrase already there keeps its value unless `replace` says otherwise. */
  add(phrase: string, value: T, replace?: (had: T) => boolean): void {
    const key = phraseKey(phrase);
    if (key === '') return;
    const had = this.map.get(key);
    if (had !== undefined && (replace === undefined || !replace(had))) return;
    this.map.set(key, value);
    const space = key.indexOf(' ');
    const forms =
      space > 0 ? [key.slice(0, space)] : [key, key + 's', key + 'es', key + "'s", key + '\u2019s'];
    if (space < 0 && key.endsWith('y')) forms.push(key.slice(0, -1) + 'ies');
    for (const form of forms) {
      this.firstWords.add(form);
      this.firstGrams.add(gram(form, 0, form.length));
      this.firstGramBits.add(gram(form, 0, form.length));
    }
    for (let sp = key.indexOf(' '); sp > 0; sp = key.indexOf(' ', sp + 1))
      this.prefixes.add(key.slice(0, sp));
  }

  get size(): number {
    return this.map.size;
  }

  /** Every phrase in `text` (longest first at each word), up to `limit` hits. */
  find(text: string, limit = 2000): PhraseHit<T>[] {
    const { folded, starts, ends, grams } = wordsOf(text);
    const out: PhraseHit<T>[] = [];
    const n = starts.length;
    for (let i = 0; i < n && out.length < limit;) {
      const g = grams[i]!;
      if (!this.firstGramBits.mayHave(g) || !this.firstGrams.has(g)) {
        i++;
        continue;
      }
      const first = folded.slice(starts[i], ends[i]);
      if (!this.firstWords.has(first)) {
        i++;
        continue;
      }
      let matched = 0;
      let key = '';
      const keys: string[] = [];
      for (let w = 0; i + w < n; w++) {
        // Words of one phrase stand close: a line or a sentence between them breaks it.
        if (w > 0 && (starts[i + w]! - ends[i + w - 1]! > 2 || !this.prefixes.has(key))) break;
        key = w === 0 ? first : key + ' ' + folded.slice(starts[i + w], ends[i + w]);
        keys.push(key);
      }
      for (let w = keys.length - 1; w >= 0 && matched === 0; w--) {
        const value = this.lookup(keys[w]!);
        if (value !== undefined) {
          out.push({ start: starts[i]!, end: ends[i + w]!, value });
          matched = w + 1;
        }
      }
      i += matched > 0 ? matched : 1;
    }
    return out;
  }

  /** Whether any phrase occurs in `[from, to)` of `text`. */
  occursIn(text: string, from: number, to: number): boolean {
    return this.find(text.slice(from, to), 1).length > 0;
  }

  /** The value of a key, or of its singular ("scans", "biopsies") or without a possessive. */
  private lookup(key: string): T | undefined {
    const map = this.map;
    const direct = map.get(key);
    if (direct !== undefined) return direct;
    if (key.endsWith("'s") || key.endsWith('\u2019s')) return map.get(key.slice(0, -2));
    if (key.endsWith('ies')) return map.get(key.slice(0, -3) + 'y');
    if (key.endsWith('es')) return map.get(key.slice(0, -2)) ?? map.get(key.slice(0, -1));
    if (key.endsWith('s')) return map.get(key.slice(0, -1));
    return undefined;
  }
}
