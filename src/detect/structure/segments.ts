/**
 * Pieces of delimited segments as ranges of the prepared text, and the zone
 * they become. The readers never copy a segment apart: every piece stays a
 * range of the text, so a zone points at exactly the characters of one value.
 */
import type { EntityType } from '../../shared/entities';
import type { Zone } from './zone';

/** A range `[start, end)` of the text. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/**
 * The pieces of `span` separated by the character `separator` (a UTF-16 code
 * unit). Always at least one piece; empty pieces are kept, since positions
 * carry the meaning in HL7. After `limit` pieces the rest of the span is one
 * last piece: a reader that needs the first few fields of a hostile segment
 * with a million separators pays one pass, not a million pieces.
 */
export function splitSpan(text: string, span: Span, separator: number, limit = Infinity): Span[] {
  const out: Span[] = [];
  let from = span.start;
  for (let i = span.start; i < span.end && out.length < limit; i++) {
    if (text.charCodeAt(i) !== separator) continue;
    out.push({ start: from, end: i });
    from = i + 1;
  }
  out.push({ start: from, end: span.end });
  return out;
}

/** Whether the code unit is a space, tab or line break. */
export function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d || code === 0x0c;
}

/** The span without the spaces and line breaks at either end. */
export function trimSpan(text: string, span: Span): Span {
  let start = span.start;
  let end = span.end;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return { start, end };
}

/** Whether the code unit is an ASCII letter or digit. */
export function isAlnum(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}

/** Whether the code unit is an ASCII upper-case letter or digit (segment identifiers). */
export function isUpperAlnum(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a);
}

/** What a structure says one of its values is. */
export interface Meaning {
  readonly types: readonly EntityType[];
  readonly label: string;
  readonly dateOrder?: Zone['dateOrder'];
}

/**
 * Appends a zone over `span` (trimmed) unless it holds nothing. Birth dates
 * written as CCYYMMDD followed by a time ("196104121230") keep only the date,
 * the part a date reader understands.
 */
export function pushZone(out: Zone[], text: string, span: Span, meaning: Meaning): void {
  const trimmedSpan = trimSpan(text, span);
  const start = trimmedSpan.start;
  let end = trimmedSpan.end;
  if (end <= start) return;
  if (meaning.dateOrder === 'year-first' && end - start > 8 && /^\d{8}/.test(text.slice(start, start + 8))) {
    end = start + 8;
  }
  const zone: Zone =
    meaning.dateOrder === undefined
      ? { start, end, types: meaning.types, label: meaning.label }
      : { start, end, types: meaning.types, label: meaning.label, dateOrder: meaning.dateOrder };
  out.push(zone);
}
