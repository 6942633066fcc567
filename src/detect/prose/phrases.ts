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

// A word: letters or digits, perhaps joined by an apostrophe, a dot or a plus ("a1c", "o'brien", "t.b").
const WORD = /[a-z0-9\u00df-\u00ff]+(?:['\u2019.+&][a-z0-9\u00df-\u00ff]+)*/g;

export interface PhraseHit<T> {
  readonly start: number;
  readonly end: number;
  readonly value: T;
}

export class PhraseIndex<T> {
  private readonly map = new Map<string, T>();
  private maxWords = 1;

  /** Adds a phrase; a phrase already there keeps its value unless `replace` says otherwise. */
  add(phrase: string, value: T, replace?: (had: T) => boolean): void {
    const key = phraseKey(phrase);
    if (key === '') return;
    const had = this.map.get(key);
    if (had !== undefined && (replace === undefined || !replace(had))) return;
    this.map.set(key, value);
    const words = key.split(' ').length;
    if (words > this.maxWords) this.maxWords = words;
  }

  get size(): number {
    return this.map.size;
  }

  /** Every phrase in `text` (longest first at each word), up to `limit` hits. */
  find(text: string, limit = 2000): PhraseHit<T>[] {
    const folded = foldForMatching(text).replace(/[-_/]/g, ' ');
    const starts: number[] = [];
    const ends: number[] = [];
    WORD.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = WORD.exec(folded)) !== null) {
      starts.push(m.index);
      ends.push(m.index + m[0].length);
    }
    const out: PhraseHit<T>[] = [];
    const n = starts.length;
    for (let i = 0; i < n && out.length < limit;) {
      let matched = 0;
      let key = '';
      const keys: string[] = [];
      for (let w = 0; w < this.maxWords && i + w < n; w++) {
        // Words of one phrase stand close: a line or a sentence between them breaks it.
        if (w > 0 && starts[i + w]! - ends[i + w - 1]! > 2) break;
        key =
          w === 0 ? folded.slice(starts[i], ends[i]) : key + ' ' + folded.slice(starts[i + w], ends[i + w]);
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
    const bare = key.replace(/['\u2019]s$/, '');
    if (bare !== key) return map.get(bare);
    if (key.endsWith('ies')) return map.get(key.slice(0, -3) + 'y');
    if (key.endsWith('es')) return map.get(key.slice(0, -2)) ?? map.get(key.slice(0, -1));
    if (key.endsWith('s')) return map.get(key.slice(0, -1));
    return undefined;
  }
}
