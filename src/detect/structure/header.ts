import type { EntityType } from '../../shared/entities';
import type { LabelHit } from '../labels';
import { LANGUAGES } from '../lang/index';
import type { Zone } from './zone';

/** What a header (a column's title, a key before its value) says of the values it heads. */
export interface HeaderMeaning {
  readonly types: readonly EntityType[];
  readonly label: string;
  readonly dateOrder?: Zone['dateOrder'];
}

/**
 * The meaning of the labels found in one header. Undefined when the header
 * holds no label at all ("Name", "Notes"): then it says nothing, and the words
 * around a value decide as in prose. A header of harmless labels only
 * ("Claim #", "Billed") says its values are not identifiers.
 *
 * `lang`: the language of the header row as a whole, for a label both
 * languages use ("DOB" beside "Nombre" and "Fecha de servicio").
 */
export function headerMeaning(
  hits: readonly LabelHit[],
  text: string,
  lang?: string,
): HeaderMeaning | undefined {
  if (hits.length === 0) return undefined;
  let language = lang;
  for (const h of hits) if (h.lang !== undefined) language = h.lang;
  // The head of the header says what its values are: English puts it last
  // ("Subscriber SSN", "Medical records fax"), Spanish first ("Fecha de
  // nacimiento del suscriptor"). Its types come first; the other labels'
  // types follow, so "Member ID / DOB" still heads both.
  const head = language === 'es' ? hits[0]! : hits[hits.length - 1]!;
  if (head.types.length === 0)
    return { types: [], label: `'${head.keyword}'`, dateOrder: dateOrderOf(language) };
  const types: EntityType[] = head.types.slice();
  for (const h of hits) for (const t of h.types) if (types.indexOf(t) < 0) types.push(t);
  const from = hits[0]!.start;
  const to = hits[hits.length - 1]!.end;
  const name = text.slice(from, to).replace(/\s+/g, ' ');
  return { types, label: `'${name}'`, dateOrder: dateOrderOf(language) };
}

/** The language most labels of a row belong to, when any label belongs to one only. */
export function rowLanguage(hits: readonly LabelHit[]): string | undefined {
  const counts = new Map<string, number>();
  let best: string | undefined;
  for (const h of hits) {
    if (h.lang === undefined) continue;
    const n = (counts.get(h.lang) ?? 0) + 1;
    counts.set(h.lang, n);
    if (best === undefined || n > counts.get(best)!) best = h.lang;
  }
  return best;
}

function dateOrderOf(lang: string | undefined): Zone['dateOrder'] {
  const language = LANGUAGES.find((l) => l.code === lang);
  return language === undefined ? undefined : language.dayFirst ? 'day-first' : 'month-first';
}

/** A zone for one value under a header. */
export function zoneUnder(meaning: HeaderMeaning, start: number, end: number, kind: string): Zone {
  return {
    start,
    end,
    types: meaning.types,
    label: `${kind} ${meaning.label}`,
    dateOrder: meaning.dateOrder,
  };
}

/** `[start, end)` without the spaces at either end; `[start, start)` when all spaces. */
export function trimRange(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s < e && isSpace(text.charCodeAt(s))) s++;
  while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
  return [s, e];
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0xa0;
}

/** The text whose lines were found last, and its lines. */
let lastLines: { text: string; spans: number[] } | undefined;

/** Start offsets of each line of `text`, and the end of each (before its break), flattened. */
export function lineSpans(text: string): readonly number[] {
  // Every reader of a text asks for its lines in turn: they are found once.
  if (lastLines !== undefined && lastLines.text === text) return lastLines.spans;
  const spans: number[] = [];
  lastLines = { text, spans };
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    spans.push(start, end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end);
    if (nl < 0) return spans;
    start = nl + 1;
  }
}

/**
 * Whether a cell holds a value rather than only words: a word with three or
 * more digits ("03/14/1962", "9TH8D21YT92"). Header words have fewer ("ICD-10").
 */
export function holdsValue(text: string, start: number, end: number): boolean {
  let digits = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (++digits >= 3) return true;
    } else if (c === 0x20 || c === 0x09) {
      digits = 0;
    }
  }
  return false;
}
