/**
 * The stretches of text a person and their health information must share to
 * count as linked: a sentence, a line (a table row, a list item), never more
 * than a short passage. Offsets are into prepared text.
 */

/** Sentence and line boundaries of `text`, as sorted `[start, end)` pairs, flattened. */
export function sentenceSpans(text: string): number[] {
  const spans: number[] = [];
  let start = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let end = -1;
    if (c === 0x0a || c === 0x0d) end = i;
    else if ((c === 0x2e || c === 0x21 || c === 0x3f || c === 0x3b) && isBreakAfter(text, i)) end = i + 1;
    if (end < 0) continue;
    // Lines of spaces (HTML's empty paragraphs) are no sentences: they would use up "the first few".
    if (end > start && /\S/.test(text.slice(start, end))) spans.push(start, end);
    start = end === i ? i + 1 : end;
  }
  if (n > start && /\S/.test(text.slice(start, n))) spans.push(start, n);
  return spans;
}

/**
 * A full stop ends a sentence when a space and a capital (or the end)
 * follow, and it does not close a title or an initial ("Mr. Reed", "J. Doe").
 */
function isBreakAfter(text: string, i: number): boolean {
  const next = text.charCodeAt(i + 1);
  if (!(Number.isNaN(next) || next === 0x20 || next === 0x0a || next === 0x0d || next === 0x09)) return false;
  if (text.charCodeAt(i) !== 0x2e) return true;
  // The word before the dot: a title, an initial or an abbreviation does not end a sentence.
  let s = i;
  while (s > 0 && /[A-Z]/i.test(text.charAt(s - 1))) s--;
  const word = text.slice(s, i).toLowerCase();
  return word.length > 1 && ABBREVIATIONS.indexOf(word) < 0;
}

const ABBREVIATIONS = [
  'mr', 'mrs', 'ms', 'dr', 'dra', 'sr', 'sra', 'srta', 'st', 'jr', 'vs', 'no', 'dept', 'apt', 'approx', 'inc',
  'ltd', 'co', 'prof', 'rev', 'ste', 'mt', 'ft', 'etc', 'e.g', 'i.e', 'pt', 'hosp',
]; // prettier-ignore

/** Index of the span (pair index) holding `pos`, by binary search; -1 if none. */
export function spanAt(spans: readonly number[], pos: number): number {
  let lo = 0;
  let hi = spans.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (spans[mid * 2 + 1]! <= pos) lo = mid + 1;
    else if (spans[mid * 2]! > pos) hi = mid - 1;
    else return mid;
  }
  return -1;
}
