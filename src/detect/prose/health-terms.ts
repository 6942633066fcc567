/**
 * Health information in prose: conditions, procedures, medications, tests,
 * care events, from each language's health lexicon (and the admin's own
 * words), found in one pass of a keyword trie.
 */
import type { HealthCategory } from '../../shared/entities';
import { HEALTH_LEXICONS } from '../lang/index';
import { plain, trieSource } from '../labels';

export interface HealthMention {
  readonly start: number;
  readonly end: number;
  readonly category: HealthCategory;
}

/** Categories that say more about a person than the rest; they weigh more. */
export const SENSITIVE_CATEGORIES: readonly HealthCategory[] = [
  'hiv-sti', 'mental-health', 'substance-use', 'reproductive', 'genetic', 'cancer',
]; // prettier-ignore

export interface HealthTerms {
  find(text: string): HealthMention[];
  /** Whether a cue of one of the lexicons' lists occurs in `[from, to)` of `text`. */
  cue(kind: 'personCues' | 'providerCues' | 'generalCues', text: string, from: number, to: number): boolean;
}

interface Compiled {
  regex: RegExp;
  categoryOf: Map<string, HealthCategory>;
}

function compile(extra: readonly { term: string; category: HealthCategory }[]): Compiled {
  const categoryOf = new Map<string, HealthCategory>();
  const add = (term: string, category: HealthCategory): void => {
    const t = term.toLowerCase();
    // A sensitive category wins over a general one for a word in both.
    const had = categoryOf.get(t);
    if (had !== undefined && SENSITIVE_CATEGORIES.indexOf(had) >= 0) return;
    categoryOf.set(t, category);
    categoryOf.set(plain(t), category);
  };
  for (const lexicon of HEALTH_LEXICONS) {
    for (const category of Object.keys(lexicon.terms) as HealthCategory[]) {
      for (const term of lexicon.terms[category]) add(term, category);
    }
  }
  for (const e of extra) add(e.term, e.category);
  // A term also matches its inflections ("discharge", "discharged", "discharges"):
  // the trie ends each word at a boundary, so they are spelled out here.
  const spellings = new Set<string>();
  categoryOf.forEach((_c, t) => {
    spellings.add(t);
    if (/[a-z]{4}$/.test(t)) for (const s of inflections(t)) spellings.add(s);
  });
  return { regex: new RegExp('\\b' + trieSource(Array.from(spellings)), 'gi'), categoryOf };
}

const ACCENTED = 'áéíóúüñàèìòùâêîôûçÁÉÍÓÚÜÑÀÈÌÒÙÂÊÎÔÛÇ';
const PLAIN = 'aeiouunaeiouaeioucAEIOUUNAEIOUAEIOUC';

/** `text` with accented Latin letters plain, one letter for one, so offsets stay. */
function foldAccents(text: string): string {
  if (!/[\u00c0-\u00ff]/.test(text)) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    const k = c < '\u00c0' ? -1 : ACCENTED.indexOf(c);
    out += k < 0 ? c : PLAIN.charAt(k);
  }
  return out;
}

/** "discharge" → "discharged", "discharging"; "admit" → "admitted" is its own entry. English endings only. */
function inflections(term: string): string[] {
  if (term.endsWith('e')) return [term + 'd', term.slice(0, -1) + 'ing'];
  // "discharged" → "discharge": the base of a past form that ends in e.
  if (term.endsWith('ed')) return [term.slice(0, -1)];
  if (term.endsWith('ing')) return [];
  return [term + 'ed', term + 'ing', term + 'es'];
}

const cueRegexes = new Map<string, RegExp>();
function cueRegex(kind: 'personCues' | 'providerCues' | 'generalCues'): RegExp {
  let re = cueRegexes.get(kind);
  if (re === undefined) {
    const words = new Set<string>();
    for (const lexicon of HEALTH_LEXICONS)
      for (const w of lexicon[kind]) words.add(w.toLowerCase()).add(plain(w.toLowerCase()));
    re = new RegExp('\\b' + trieSource(Array.from(words)), 'i');
    cueRegexes.set(kind, re);
  }
  return re;
}

const cache = new Map<string, Compiled>();

/** The health terms of every language, plus the admin's own words. */
export function healthTerms(extra: readonly { term: string; category: HealthCategory }[] = []): HealthTerms {
  const key = extra.map((e) => `${e.category}:${e.term}`).join('|');
  let compiled = cache.get(key);
  if (compiled === undefined) {
    compiled = compile(extra);
    // Policies change rarely: a few compiled lexicons at most.
    if (cache.size > 8) cache.clear();
    cache.set(key, compiled);
  }
  const { regex, categoryOf } = compiled;
  return {
    find(text) {
      const out: HealthMention[] = [];
      // Read without accents, letter for letter: "endoscopía" and "endoscopia" are one word.
      const folded = foldAccents(text);
      regex.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = regex.exec(folded)) !== null) {
        const lower = m[0].toLowerCase();
        const category =
          categoryOf.get(lower) ??
          categoryOf.get(plain(lower)) ??
          categoryOf.get(lower.replace(/s$/, '')) ??
          categoryOf.get(lower.replace(/(?:ed|ing|es)$/, '')) ??
          categoryOf.get(lower.replace(/(?:d|ing)$/, '') + (lower.endsWith('ing') ? 'e' : ''));
        if (category !== undefined) out.push({ start: m.index, end: m.index + m[0].length, category });
        if (out.length >= 2000) break;
      }
      return out;
    },
    cue(kind, text, from, to) {
      return cueRegex(kind).test(text.slice(from, to));
    },
  };
}
