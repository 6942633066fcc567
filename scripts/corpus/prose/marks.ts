/**
 * Templates write subject and body as one string in which every labelled
 * stretch (the person, the health information, an identifier) is wrapped in
 * private-use markers; `finish` removes them and returns UTF-16 ranges into
 * the raw field. Markers may nest (an identifier that is also the person).
 * Escaping for HTML leaves the markers alone, so ranges in an HTML body point
 * into the markup as written.
 */
import type { EntityType, HealthCategory } from '../../../src/shared/entities';

const OPEN = '\uE010';
const MID = '\uE011';
const CLOSE = '\uE012';

export type Label =
  { role: 'person' } | { role: 'health'; category: HealthCategory } | { role: 'entity'; type: EntityType };

/** Marks the person the health information is about. */
export function who(text: string): string {
  return `${OPEN}person${MID}${text}${CLOSE}`;
}

/** Marks health information of one category. */
export function hx(category: HealthCategory, text: string): string {
  return `${OPEN}health:${category}${MID}${text}${CLOSE}`;
}

/** Marks an identifier of a type the identifier corpus labels. */
export function ent(type: EntityType, text: string): string {
  return `${OPEN}entity:${type}${MID}${text}${CLOSE}`;
}

export interface MarkedSpan {
  label: Label;
  start: number;
  end: number;
}

function parseLabel(s: string): Label {
  if (s === 'person') return { role: 'person' };
  if (s.startsWith('health:')) return { role: 'health', category: s.slice(7) as HealthCategory };
  if (s.startsWith('entity:')) return { role: 'entity', type: s.slice(7) as EntityType };
  throw new Error(`unknown marker label ${s}`);
}

export function finish(marked: string): { text: string; spans: MarkedSpan[] } {
  let out = '';
  const spans: MarkedSpan[] = [];
  const open: { label: Label; start: number }[] = [];
  let i = 0;
  while (i < marked.length) {
    const ch = marked[i]!;
    if (ch === OPEN) {
      const mid = marked.indexOf(MID, i);
      if (mid < 0) throw new Error('marker without a label end');
      open.push({ label: parseLabel(marked.slice(i + 1, mid)), start: out.length });
      i = mid + 1;
    } else if (ch === CLOSE) {
      const o = open.pop();
      if (!o) throw new Error('marker closed twice');
      if (out.length === o.start) throw new Error('empty marked span');
      spans.push({ label: o.label, start: o.start, end: out.length });
      i++;
    } else if (ch === MID) {
      throw new Error('stray marker');
    } else {
      out += ch;
      i++;
    }
  }
  if (open.length > 0) throw new Error('marker left open');
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  return { text: out, spans };
}

/** The text with markers removed (to measure or compare). */
export function plain(marked: string): string {
  return finish(marked).text;
}
