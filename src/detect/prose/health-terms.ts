/**
 * Health information in prose: conditions, procedures, medications, tests,
 * care events, from each language's health lexicon (and the admin's own
 * words), found word by word in one pass.
 */
import type { HealthCategory } from '../../shared/entities';
import { MIN_SHAPED_WORD } from '../lang/health';
import { HEALTH_LEXICONS } from '../lang/index';
import { BitFilter, foldForMatching, PhraseIndex, wordsOf } from './phrases';

export interface HealthMention {
  readonly start: number;
  readonly end: number;
  readonly category: HealthCategory;
}

/** Categories that say more about a person than the rest; they weigh more. */
export const SENSITIVE_CATEGORIES: readonly HealthCategory[] = [
  'hiv-sti', 'mental-health', 'substance-use', 'reproductive', 'genetic', 'cancer',
]; // prettier-ignore

export type CueKind = 'personCues' | 'providerCues' | 'generalCues';

export interface HealthTerms {
  find(text: string): HealthMention[];
  /** Whether a cue of one of the lexicons' lists occurs in `[from, to)` of `text`. */
  cue(kind: CueKind, text: string, from: number, to: number): boolean;
}

const isSensitive = (c: HealthCategory): boolean => SENSITIVE_CATEGORIES.indexOf(c) >= 0;

function compile(extra: readonly { term: string; category: HealthCategory }[]): PhraseIndex<HealthCategory> {
  const index = new PhraseIndex<HealthCategory>();
  // A sensitive category wins over a general one for a word in both.
  const add = (term: string, category: HealthCategory): void => {
    const replace = (had: HealthCategory): boolean => !isSensitive(had) && isSensitive(category);
    index.add(term, category, replace);
    for (const form of inflections(term.toLowerCase())) index.add(form, category, replace);
  };
  for (const lexicon of HEALTH_LEXICONS) {
    for (const category of Object.keys(lexicon.terms) as HealthCategory[]) {
      for (const term of lexicon.terms[category]) add(term, category);
    }
  }
  for (const e of extra) add(e.term, e.category);
  return index;
}

/** "discharge" → "discharged", "discharging"; "discharged" → "discharge". English endings only. */
function inflections(term: string): string[] {
  if (!/[a-z]{4}$/.test(term)) return [];
  if (term.endsWith('e')) return [term + 'd', term.slice(0, -1) + 'ing'];
  if (term.endsWith('ed')) return [term.slice(0, -1)];
  if (term.endsWith('ing')) return [];
  return [term + 'ed', term + 'ing'];
}

/** Medical endings of every language, longest first, folded as the text is; and the words they do not make terms. */
interface Shapes {
  /** Endings by their last three letters, so a word is compared with the few that could fit. */
  readonly byTail: ReadonlyMap<string, readonly { ending: string; category: HealthCategory }[]>;
  /** The same last three letters as bits (`tailCode`): most words are passed over on these, unsliced. */
  readonly tails: BitFilter;
  readonly notTerms: ReadonlySet<string>;
}

/** The last three characters of `text` before `end`, as one number. */
function tailCode(text: string, end: number): number {
  return (text.charCodeAt(end - 3) * 31 + text.charCodeAt(end - 2)) * 31 + text.charCodeAt(end - 1);
}

let shapes: Shapes | undefined;
function wordShapes(): Shapes {
  if (shapes === undefined) {
    const endings: { ending: string; category: HealthCategory }[] = [];
    const notTerms = new Set<string>();
    for (const lexicon of HEALTH_LEXICONS) {
      for (const category of Object.keys(lexicon.endings) as HealthCategory[]) {
        for (const e of lexicon.endings[category] ?? [])
          endings.push({ ending: foldForMatching(e), category });
      }
      for (const w of lexicon.notTerms) notTerms.add(foldForMatching(w));
    }
    endings.sort((a, b) => b.ending.length - a.ending.length);
    const byTail = new Map<string, { ending: string; category: HealthCategory }[]>();
    const tails = new BitFilter();
    for (const e of endings) {
      const tail = e.ending.slice(-3);
      tails.add(tailCode(tail, 3));
      const list = byTail.get(tail) ?? [];
      list.push(e);
      byTail.set(tail, list);
    }
    shapes = { byTail, tails, notTerms };
  }
  return shapes;
}

/**
 * Words no list holds that are medical terms by their ending
 * ("bunionectomy", "colecistitis"), in the stretches the lists left unclaimed.
 * A plural ("lobectomies", "biopsias") is read by its singular.
 */
function shapedTerms(text: string, claimed: readonly HealthMention[], out: HealthMention[]): void {
  const { folded, starts, ends } = wordsOf(text);
  const { byTail, tails, notTerms } = wordShapes();
  let c = 0;
  for (let i = 0; i < starts.length; i++) {
    const start = starts[i]!;
    const end = ends[i]!;
    if (end - start < MIN_SHAPED_WORD) continue;
    // No ending fits the word's last letters, nor its singular's ("-ies" read as "-y", "-s" dropped).
    if (!tails.mayHave(tailCode(folded, end)) && !singularMayFit(tails, folded, end)) continue;
    while (c < claimed.length && claimed[c]!.end <= start) c++;
    if (c < claimed.length && claimed[c]!.start < end) continue;
    const word = folded.slice(start, end);
    const singular = word.endsWith('ies')
      ? word.slice(0, -3) + 'y'
      : word.endsWith('s')
        ? word.slice(0, -1)
        : word;
    const found = endingOf(byTail, word) ?? (singular === word ? undefined : endingOf(byTail, singular));
    if (found !== undefined && !notTerms.has(word) && !notTerms.has(singular)) {
      out.push({ start, end, category: found });
    }
  }
}

function singularMayFit(tails: BitFilter, folded: string, end: number): boolean {
  if (folded.charCodeAt(end - 1) !== 0x73) return false;
  if (folded.charCodeAt(end - 2) === 0x65 && folded.charCodeAt(end - 3) === 0x69)
    return tails.mayHave((folded.charCodeAt(end - 5) * 31 + folded.charCodeAt(end - 4)) * 31 + 0x79);
  return tails.mayHave(tailCode(folded, end - 1));
}

function endingOf(byTail: Shapes['byTail'], word: string): HealthCategory | undefined {
  const candidates = byTail.get(word.slice(-3));
  if (candidates === undefined) return undefined;
  for (const { ending, category } of candidates) if (word.endsWith(ending)) return category;
  return undefined;
}

const cueIndexes = new Map<CueKind, PhraseIndex<true>>();
function cueIndex(kind: CueKind): PhraseIndex<true> {
  let index = cueIndexes.get(kind);
  if (index === undefined) {
    index = new PhraseIndex<true>();
    for (const lexicon of HEALTH_LEXICONS) for (const w of lexicon[kind]) index.add(w, true);
    cueIndexes.set(kind, index);
  }
  return index;
}

// "PrEP" is a word only as written so: in lower case it is "prep", for anything.
const CASED_TERMS: readonly [RegExp, HealthCategory][] = [[/\bPrEP\b/g, 'hiv-sti']];

const cache = new Map<string, PhraseIndex<HealthCategory>>();
/** The cues found in the text last asked about, per kind. */
const cueHits = new Map<CueKind, { text: string; starts: number[] }>();

/** The health terms of every language, plus the admin's own words. */
export function healthTerms(extra: readonly { term: string; category: HealthCategory }[] = []): HealthTerms {
  const key = extra.map((e) => `${e.category}:${e.term}`).join('|');
  let index = cache.get(key);
  if (index === undefined) {
    index = compile(extra);
    // Policies change rarely: a few compiled lexicons at most.
    if (cache.size > 8) cache.clear();
    cache.set(key, index);
  }
  const words = index;
  return {
    find(text) {
      const out: HealthMention[] = words
        .find(text)
        .map((h) => ({ start: h.start, end: h.end, category: h.value }));
      shapedTerms(text, out.slice(), out);
      for (const [re, category] of CASED_TERMS) {
        re.lastIndex = 0;
        let m: RegExpExecArray | null;
        while ((m = re.exec(text)) !== null)
          out.push({ start: m.index, end: m.index + m[0].length, category });
      }
      return out.sort((a, b) => a.start - b.start);
    },
    cue(kind, text, from, to) {
      // Asked once per sentence of one text: find the cues in the whole text once.
      let seen = cueHits.get(kind);
      if (seen === undefined || seen.text !== text) {
        seen = {
          text,
          starts: cueIndex(kind)
            .find(text, 100000)
            .map((h) => h.start),
        };
        cueHits.set(kind, seen);
      }
      const starts = seen.starts;
      let lo = 0;
      let hi = starts.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (starts[mid]! < from) lo = mid + 1;
        else hi = mid;
      }
      return lo < starts.length && starts[lo]! < to;
    },
  };
}
