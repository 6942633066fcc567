/**
 * Key/value blocks, as forms and reports write them: "Member ID ........ X123",
 * "DOB ____ 03/12/1958", "Patient Name:      DOE, JOHN". The key labels the
 * value after it however long the leader between them, and the value is
 * judged by its key rather than by words further away.
 */
import type { LabelScan } from '../labels';
import { headerMeaning, lineSpans } from './header';
import type { Zone } from './zone';

/** Longest key read: a label of a few words. */
const MAX_KEY = 48;

/**
 * A key, then a separator (a colon, or a leader of dots, underscores or
 * dashes), then the value. Keys are words with `#`, `/`, `.`, `(`, `)` and
 * the letters of Spanish.
 */
const KEY_VALUE =
  /^[ \t]*([A-Za-z\u00c0-\u00ff][\w\u00c0-\u00ff#/.() -]{0,47}?)[ \t]*(?::|[.…_-]{2,}:?|=)[ \t.…_]*(?=\S)/;

export function readKeyValues(text: string, labels: LabelScan): Zone[] {
  const zones: Zone[] = [];
  const lines = lineSpans(text);
  for (let l = 0; l < lines.length; l += 2) {
    const ls = lines[l]!;
    const le = lines[l + 1]!;
    // Only lines that could hold a key, a separator and a value are read.
    if (le - ls < 4) continue;
    // A key is a label, or a form's field name before a leader ("Received Date ____"):
    // a line with neither where its key would stand is passed over unread.
    let fs = ls;
    while (fs < le && (text.charCodeAt(fs) === 0x20 || text.charCodeAt(fs) === 0x09)) fs++;
    const labelled = labels.anyWithin(fs, Math.min(le, fs + MAX_KEY));
    if (!labelled && !hasLeader(text, fs, Math.min(le, fs + MAX_KEY + 8))) continue;
    const lineEnd = Math.min(le, ls + MAX_KEY + 64);
    // No colon, equals sign or leader, no key: the expression need not run.
    if (!hasSeparator(text, ls, lineEnd)) continue;
    const line = text.slice(ls, lineEnd);
    const m = KEY_VALUE.exec(line);
    if (m === null) continue;
    const keyStart = ls + m.index + m[0].indexOf(m[1]!);
    const valueStart = ls + m[0].length;
    let meaning = headerMeaning(labels.within(keyStart, keyStart + m[1]!.length), text);
    if (meaning === undefined) {
      // A form's field of no known kind still owns its value: a DOB label on
      // another line does not make "Received Date ____ 02/17/2024" a birth date.
      if (!/[.…_-]{2}/.test(text.slice(keyStart + m[1]!.length, valueStart))) continue;
      meaning = { types: [], label: `'${m[1]!.trim()}'`, dateOrder: undefined };
      const next = labels.within(valueStart, le)[0];
      const valueEnd = endOfValue(text, valueStart, next === undefined ? le : next.start);
      if (valueEnd > valueStart)
        zones.push({
          start: valueStart,
          end: valueEnd,
          types: [],
          unlabelled: true,
          label: `field ${meaning.label}`,
        });
      continue;
    }
    // The value ends before the next label: "Member ID: W123 DOB: 03/12/1958".
    const next = labels.within(valueStart, le)[0];
    const valueEnd = endOfValue(text, valueStart, next === undefined ? le : next.start);
    if (valueEnd > valueStart)
      zones.push({
        start: valueStart,
        end: valueEnd,
        types: meaning.types,
        label: `field ${meaning.label}`,
        dateOrder: meaning.dateOrder,
      });
  }
  return zones;
}

/** Whether `[from, to)` holds what `KEY_VALUE` needs between key and value: ':', '=' or two of '.…_-' in a row. */
function hasSeparator(text: string, from: number, to: number): boolean {
  let run = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3a || c === 0x3d) return true;
    run = c === 0x2e || c === 0x2026 || c === 0x5f || c === 0x2d ? run + 1 : 0;
    if (run >= 2) return true;
  }
  return false;
}

/** Whether `[from, to)` holds a leader: two dots, underscores or dashes in a row, or an ellipsis. */
function hasLeader(text: string, from: number, to: number): boolean {
  let run = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x2026) return true;
    run = c === 0x2e || c === 0x5f || c === 0x2d ? run + 1 : 0;
    if (run >= 2) return true;
  }
  return false;
}

/**
 * Where the value after a key ends: at a tab, two spaces, a bracket, a
 * semicolon or a bar, so "SSN: 536-22-1874  DOB: 03/12/1958" gives the SSN's
 * key only the SSN.
 */
function endOfValue(text: string, start: number, lineEnd: number): number {
  let i = start;
  for (; i < lineEnd; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x09 || c === 0x28 || c === 0x3b || c === 0x7c || c === 0x5b) break;
    if (c === 0x20 && text.charCodeAt(i + 1) === 0x20) break;
  }
  while (i > start && text.charCodeAt(i - 1) === 0x20) i--;
  return i;
}
