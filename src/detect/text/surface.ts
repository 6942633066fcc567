/**
 * Surface forms that hide a value from patterns written for one line of
 * digits: a number broken across a line (or a `<br>`), and a number written
 * out in words ("five three six, two two, one eight seven four"). Both are
 * rewritten in the prepared text, mapped back to the raw field.
 */
import { LANGUAGES } from '../lang/index';
import type { MappedText } from './mapped-text';
import { rewrite, type Edit } from './rewrite';

/** Fewest digit words read as a number: an SSN has nine, a phone extension has fewer. */
const MIN_DIGIT_WORDS = 7;

const DIGIT_BY_WORD = new Map<string, string>();
for (const language of LANGUAGES) {
  language.digitWords.forEach((spellings, digit) => {
    for (const w of spellings) DIGIT_BY_WORD.set(w, String(digit));
  });
}
const WORD =
  '(?:' +
  Array.from(DIGIT_BY_WORD.keys())
    .sort((a, b) => b.length - a.length)
    .join('|') +
  ')';
// A run of digit words, each joined to the next by spaces, a comma or a dash (or the word "dash").
const DIGIT_WORDS = new RegExp(
  '\\b' + WORD + '(?:(?:[ ]?[,-][ ]?|[ ]dash[ ]|[ ]guion[ ]|[ ])' + WORD + ')+\\b',
  'gi',
);

// A line that ends inside a value: a digit (perhaps a separator), the break, a digit.
const BROKEN = /\d([-./]?)[ \t]*\r?\n[ \t]*(?=\d)/g;

export function readSurfaceForms(mapped: MappedText): MappedText {
  const text = mapped.text;
  const edits: Edit[] = [];
  if (/\n/.test(text)) joinBrokenValues(text, edits);
  if (/[a-z]{3}[ ,-]+[a-z]{3}/i.test(text)) spellDigits(text, edits);
  if (edits.length === 0) return mapped;
  edits.sort((a, b) => a.start - b.start);
  // Both rewrites never touch the same characters in real mail; if a hostile
  // message makes them, the first wins.
  const kept: Edit[] = [];
  for (const e of edits) if (kept.length === 0 || kept[kept.length - 1]!.end <= e.start) kept.push(e);
  return rewrite(mapped, kept);
}

/**
 * Joins a value broken at a line's end. After a separator ("536-22-" then
 * "1874") the break is always inside a value. After a digit, only where the
 * line is "Label: value" and the next line holds just the rest of the value,
 * so the rows of a report are never run together.
 */
function joinBrokenValues(text: string, edits: Edit[]): void {
  BROKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = BROKEN.exec(text)) !== null) {
    const breakStart = m.index + 1 + m[1]!.length;
    const breakEnd = m.index + m[0].length;
    if (m[1] !== '') {
      edits.push({ start: breakStart, end: breakEnd, text: '' });
      continue;
    }
    const lineStart = text.lastIndexOf('\n', m.index) + 1;
    const tail = /[:#]([\d .-]+)$/.exec(text.slice(Math.max(lineStart, m.index - 64), m.index + 1));
    if (tail === null) continue;
    const nextEnd = text.indexOf('\n', breakEnd);
    const next = text.slice(breakEnd, nextEnd < 0 ? text.length : nextEnd);
    // The continuation is digits and separators, then at most words ("1874 on file").
    if (!/^[\d .-]{1,24}(?:$|[ ,;)]|\s[A-Z])/i.test(next) || /^[^:]{0,30}:/.test(next)) continue;
    edits.push({ start: breakStart, end: breakEnd, text: tail[1]!.trim().indexOf(' ') >= 0 ? ' ' : '' });
  }
}

function spellDigits(text: string, edits: Edit[]): void {
  DIGIT_WORDS.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = DIGIT_WORDS.exec(text)) !== null) {
    const words = m[0].toLowerCase().split(/[ ,-]+/);
    let out = '';
    let count = 0;
    let group = false;
    // Each word a digit; a comma, a dash or the word "dash" between groups.
    const pieces = m[0].toLowerCase().match(/[a-z]+|[,-]/g) ?? [];
    for (const piece of pieces) {
      const digit = DIGIT_BY_WORD.get(piece);
      if (digit !== undefined) {
        out += digit;
        count++;
        group = true;
      } else if (group) {
        out += '-';
        group = false;
      }
    }
    if (count < MIN_DIGIT_WORDS || words.length === 0) continue;
    edits.push({ start: m.index, end: m.index + m[0].length, text: out });
  }
}
