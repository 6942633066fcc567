/**
 * The data for finding health information about a named person: the health
 * lexicons of each language and the name lists. Checks their shape (every
 * category filled, lower case, nothing listed twice, no term in two
 * categories), that everyday words that only sometimes mean health stay out,
 * that the names decode and hold what they should, and that all of it stays
 * small enough for the on-send bundle.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { HealthLexicon } from '../../src/detect/lang/health';
import { healthEn } from '../../src/detect/lang/health-en';
import { healthEs } from '../../src/detect/lang/health-es';
import { AMBIGUOUS_NAMES, GIVEN_NAMES, SURNAMES, nameSet } from '../../src/detect/lang/names';
import { HEALTH_CATEGORIES } from '../../src/shared/entities';

const LANG_DIR = resolve(import.meta.dirname, '../../src/detect/lang');
const DATA_FILES = ['health.ts', 'health-en.ts', 'health-es.ts', 'names.ts'];
/** What all of the data may weigh in the on-send bundle, gzipped. */
const BUDGET_BYTES = 27 * 1024;

const LEXICONS: readonly (readonly [string, HealthLexicon])[] = [
  ['en', healthEn],
  ['es', healthEs],
];
const CUES = ['personCues', 'providerCues', 'generalCues'] as const;

/**
 * What the engine compares: case and accents folded, a space the same as a
 * hyphen or nothing ("self harm", "self-harm").
 */
function fold(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s_-]/g, '');
}

/** Entries the engine reads as another of the list: the same folded, or its plural in -s. */
function duplicates(list: readonly string[]): string[] {
  const keys = new Set<string>();
  const out: string[] = [];
  for (const t of list) {
    const k = fold(t);
    if (keys.has(k)) out.push(t);
    keys.add(k);
  }
  for (const t of list) {
    const k = fold(t);
    if (k.endsWith('s') && keys.has(k.slice(0, -1))) out.push(t);
  }
  return out;
}

function allTerms(l: HealthLexicon): string[] {
  return HEALTH_CATEGORIES.flatMap((c) => l.terms[c]);
}

describe.each(LEXICONS)('health lexicon %s', (_code, lexicon) => {
  it('fills every category and cue list', () => {
    expect(Object.keys(lexicon.terms).sort()).toEqual([...HEALTH_CATEGORIES].sort());
    for (const c of HEALTH_CATEGORIES) expect(lexicon.terms[c].length, c).toBeGreaterThanOrEqual(30);
    for (const k of CUES) expect(lexicon[k].length, k).toBeGreaterThanOrEqual(50);
    expect(allTerms(lexicon).length).toBeGreaterThanOrEqual(800);
  });

  it('writes every entry lower case, trimmed, single-spaced', () => {
    for (const t of [...allTerms(lexicon), ...CUES.flatMap((k) => lexicon[k])]) {
      expect(t, t).toBe(t.toLowerCase());
      expect(t, t).toBe(t.trim());
      expect(t, t).not.toMatch(/\s{2}|[\t\n]/);
      expect(t.length, t).toBeGreaterThanOrEqual(2);
    }
  });

  it('lists no term twice, in one category or in two, as the engine reads them', () => {
    expect(duplicates(allTerms(lexicon))).toEqual([]);
  });

  it('lists no cue twice in one list', () => {
    for (const k of CUES) expect(duplicates(lexicon[k]), k).toEqual([]);
  });

  it('leaves out everyday words that mean health only sometimes', () => {
    const banned = [
      'cold', 'pressure', 'positive', 'negative', 'stage', 'case', 'claim', 'test', 'results', 'care',
      'health', 'doctor', 'pain', 'shot', 'pill', 'labs', 'prep', 'aids', 'its', 'tea', 'ct', 'ed', 'pa',
      'ms', 'pt', 'otp', 'cast', 'echo', 'operation', 'procedure', 'treatment', 'visit', 'appointment',
      'member', 'patient', 'plan', 'benefits', 'coverage', 'policy', 'presión', 'caso', 'reclamo',
      'prueba', 'positivo', 'resultado', 'consulta', 'receta', 'muestra', 'como', 'tos', 'gota',
      'violación', 'personal', 'operación', 'cita',
    ]; // prettier-ignore
    const terms = new Set(allTerms(lexicon));
    expect(banned.filter((w) => terms.has(w))).toEqual([]);
  });
});

describe('health lexicons together', () => {
  it('hold several hundred terms per language, the sensitive categories in depth', () => {
    for (const [code, l] of LEXICONS) {
      for (const c of ['hiv-sti', 'mental-health', 'substance-use', 'reproductive', 'cancer'] as const) {
        expect(l.terms[c].length, `${code} ${c}`).toBeGreaterThanOrEqual(50);
      }
    }
  });

  it('put a term both languages list in the same category', () => {
    const categories = (l: HealthLexicon) =>
      new Map(HEALTH_CATEGORIES.flatMap((c) => l.terms[c].map((t) => [fold(t), c] as const)));
    const es = categories(healthEs);
    const conflicts = [...categories(healthEn)].filter(([t, c]) => es.has(t) && es.get(t) !== c);
    expect(conflicts).toEqual([]);
  });

  it('know the medications the brief names, in the right categories', () => {
    const where = (l: HealthLexicon, t: string) => HEALTH_CATEGORIES.find((c) => l.terms[c].includes(t));
    expect(where(healthEn, 'insulin')).toBe('medication');
    expect(where(healthEn, 'ozempic')).toBe('medication');
    expect(where(healthEn, 'suboxone')).toBe('substance-use');
    expect(where(healthEn, 'naloxone')).toBe('substance-use');
    expect(where(healthEn, 'truvada')).toBe('hiv-sti');
    expect(where(healthEn, 'biktarvy')).toBe('hiv-sti');
    expect(where(healthEn, 'lithium')).toBe('mental-health');
    expect(where(healthEn, 'sertraline')).toBe('mental-health');
    expect(where(healthEn, 'viral load')).toBe('hiv-sti');
    expect(where(healthEn, 'a1c')).toBe('test');
    expect(where(healthEn, 'pregnancy')).toBe('reproductive');
    expect(where(healthEn, 'hospice')).toBe('care');
    expect(where(healthEn, 'brca')).toBe('genetic');
    expect(where(healthEn, 'chemotherapy')).toBe('cancer');
    expect(where(healthEs, 'insulina')).toBe('medication');
    expect(where(healthEs, 'buprenorfina')).toBe('substance-use');
    expect(where(healthEs, 'vih')).toBe('hiv-sti');
    expect(where(healthEs, 'litio')).toBe('mental-health');
    expect(where(healthEs, 'embarazada')).toBe('reproductive');
    expect(where(healthEs, 'cáncer')).toBe('cancer');
  });
});

describe('names', () => {
  const given = nameSet(GIVEN_NAMES);
  const surnames = nameSet(SURNAMES);
  const ambiguous = nameSet(AMBIGUOUS_NAMES);

  it('decode to sorted, lower-case, unique names', () => {
    for (const [encoded, set] of [
      [GIVEN_NAMES, given],
      [SURNAMES, surnames],
      [AMBIGUOUS_NAMES, ambiguous],
    ] as const) {
      const list = [...set];
      expect(list.length).toBe(encoded.split(' ').length);
      expect(list).toEqual([...list].sort());
      for (const n of list) expect(n, n).toMatch(/^[a-z'áéíñóúü]+$/);
    }
  });

  it('hold about 1,500 given names and 2,000 surnames', () => {
    expect(given.size).toBeGreaterThanOrEqual(1400);
    expect(surnames.size).toBeGreaterThanOrEqual(1800);
  });

  it('hold common names of many origins, with and without accents', () => {
    const g = [
      'james', 'mary', 'jennifer', 'michael', 'linda', 'juan', 'jose', 'josé', 'maria', 'maría', 'guadalupe',
      'jesús', 'sofía', 'liam', 'emma', 'aaliyah', 'deshawn', 'latoya', 'minh', 'priya', 'mohammed',
    ]; // prettier-ignore
    const s = [
      'smith', 'johnson', 'williams', 'garcia', 'garcía', 'martinez', 'martínez', 'rodriguez', 'nguyen',
      'kim', 'lee', 'patel', 'chen', 'washington', 'jefferson', "o'brien", 'hernández', 'tran',
    ]; // prettier-ignore
    expect(g.filter((n) => !given.has(n))).toEqual([]);
    expect(s.filter((n) => !surnames.has(n))).toEqual([]);
  });

  it('keep names that are also common words to a list of their own', () => {
    const words = [
      'will', 'may', 'grace', 'hope', 'mark', 'bill', 'rose', 'king', 'young', 'white', 'brown', 'black',
      'green', 'hall', 'wood', 'price', 'long', 'rich', 'love', 'joy', 'summer', 'april', 'june', 'august',
      'faith', 'page', 'rice', 'bush', 'cook', 'baker', 'miller', 'hunter', 'porter', 'mason', 'dolores',
      'luz', 'paz',
    ]; // prettier-ignore
    expect(words.filter((w) => given.has(w) || surnames.has(w))).toEqual([]);
    expect(words.filter((w) => !ambiguous.has(w))).toEqual([]);
    for (const n of ambiguous) expect(given.has(n) || surnames.has(n), n).toBe(false);
  });

  it('hold no common word nor health word', () => {
    const notNames = ['the', 'and', 'patient', 'doctor', 'nurse', 'brain', 'son', 'colon', 'member', 'dear'];
    expect(notNames.filter((w) => given.has(w) || surnames.has(w))).toEqual([]);
    const healthWords = LEXICONS.flatMap(([, l]) => [...allTerms(l), ...CUES.flatMap((k) => l[k])]).filter(
      (t) => !/[\s.:/-]/.test(t),
    );
    expect(healthWords.filter((w) => given.has(w) || surnames.has(w))).toEqual([]);
  });
});

describe('size', () => {
  it('keeps all of the data within its share of the on-send bundle', () => {
    let total = 0;
    for (const f of DATA_FILES) total += gzipSync(readFileSync(resolve(LANG_DIR, f)), { level: 9 }).length;
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
