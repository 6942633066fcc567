/**
 * Templates write a message as one string in which each labelled value is
 * wrapped in private-use markers; `finish` removes the markers and returns
 * the UTF-16 ranges of what they wrapped. That keeps templates free to build
 * markup with plain string concatenation.
 */
import type { EntityType } from '../../src/shared/entities';

const OPEN = '\uE000';
const MID = '\uE001';
const CLOSE = '\uE002';

/** Marks `rendered` (text or markup exactly as it appears in the field) as an entity of `type`. */
export function mark(type: EntityType, rendered: string): string {
  return OPEN + type + MID + rendered + CLOSE;
}

export interface Span {
  type: EntityType;
  start: number;
  end: number;
}

export function finish(marked: string): { text: string; spans: Span[] } {
  let out = '';
  const spans: Span[] = [];
  let i = 0;
  for (;;) {
    const open = marked.indexOf(OPEN, i);
    if (open < 0) break;
    const mid = marked.indexOf(MID, open);
    const close = marked.indexOf(CLOSE, mid);
    if (mid < 0 || close < 0) throw new Error('unbalanced entity marker');
    out += marked.slice(i, open);
    const type = marked.slice(open + 1, mid) as EntityType;
    const value = marked.slice(mid + 1, close);
    if (value.includes(OPEN)) throw new Error('nested entity marker');
    spans.push({ type, start: out.length, end: out.length + value.length });
    out += value;
    i = close + 1;
  }
  out += marked.slice(i);
  if (out.includes(MID) || out.includes(CLOSE)) throw new Error('stray entity marker');
  return { text: out, spans };
}

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes text for HTML but leaves entity markers (and what they hold) alone. */
export function escKeep(s: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const open = s.indexOf(OPEN, i);
    if (open < 0) return out + esc(s.slice(i));
    const close = s.indexOf(CLOSE, open);
    out += esc(s.slice(i, open)) + s.slice(open, close + 1);
    i = close + 1;
  }
}
