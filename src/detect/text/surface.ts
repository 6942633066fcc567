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

// A value's fragment ("536-22-", "6RQ6XC7P", "5310 1737 6680"), space that may
// hold a line break, and a fragment that goes on ("1874", "K39"): both hold a digit.
const BROKEN = /\d[A-Z]{0,3}([-./]?)([\t\n\r ]+)(?=[A-Z]{0,3}\d)/gi;
/** Empty paragraphs a break may leave between a value's two halves. */
const MAX_BREAKS = 3;

/** Spelled-out numbers read as digits. */
export function readSurfaceForms(mapped: MappedText): MappedText {
  const text = mapped.text;
  if (!/[a-z]{3}[ ,-]+[a-z]{3}/i.test(text)) return mapped;
  const edits: Edit[] = [];
  spellDigits(text, edits);
  return rewrite(mapped, edits);
}

/**
 * The text with every line break that may fall inside a value taken out
 * ("SSN 536-22-<br>1874", "MBI 6RQ6XC7P<br>K39"), or undefined when there is
 * none. Which breaks are inside a value cannot be told from the break alone
 * (a report's rows also end and start with numbers), so this is a second
 * reading of the field: its findings join those of the text as written.
 */
export function joinBrokenLines(mapped: MappedText): MappedText | undefined {
  const text = mapped.text;
  const edits: Edit[] = [];
  BROKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = BROKEN.exec(text)) !== null) {
    const space = m[2]!;
    let breaks = 0;
    for (let i = space.indexOf('\n'); i >= 0 && breaks <= MAX_BREAKS; i = space.indexOf('\n', i + 1))
      breaks++;
    if (breaks === 0 || breaks > MAX_BREAKS) continue;
    // A fragment that is a whole table cell (a tab or a bar before it) ends its row, not its value.
    if (cellBefore(text, m.index)) continue;
    const start = m.index + m[0].length - space.length;
    // Groups stay groups: "5310 1737 6680 / 2341" keeps a space, "579 / 66 3405" does not.
    const joint = m[1] === '' && groupedBySpaces(text, m.index) ? ' ' : '';
    edits.push({ start, end: start + space.length, text: joint });
  }
  return edits.length === 0 ? undefined : rewrite(mapped, edits);
}

/** Whether the fragment ending at `at` starts a table cell: "\t236" at the end of a row. */
function cellBefore(text: string, at: number): boolean {
  let i = at;
  while (i > 0 && /[0-9A-Z.,%$/-]/i.test(text.charAt(i - 1))) i--;
  const c = text.charAt(i - 1);
  return c === '\t' || c === '|';
}

/** Whether the fragment ending at `at` follows a group of digits and a space ("6213" in "5486 6213"). */
function groupedBySpaces(text: string, at: number): boolean {
  let i = at;
  while (i > 0 && /[0-9A-Z]/i.test(text.charAt(i - 1))) i--;
  return text.charAt(i - 1) === ' ' && /\d/.test(text.charAt(i - 2));
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
