/**
 * Where a pattern's matches can start, read once per field so that most
 * patterns are tried at a handful of places instead of scanning every
 * character of the text.
 *
 * Every pattern starts at a word boundary and holds a digit. Its first digit
 * has no digit before it: the character before is either inside the match
 * (and so no digit, or it would be the first) or before the match, across the
 * boundary from a digit, so no word character. Each match's first digit thus
 * starts a run of digits, and a pattern whose matches hold at most `lead`
 * characters before their first digit can only match at one of the `lead + 1`
 * positions up to the start of a run. It is tried there alone, as a sticky
 * expression, which finds exactly the matches a scan of the whole text finds.
 *
 * Where runs are many (a table of numbers, a hostile run of "1-1-1-…") one
 * scan of the text costs less than many tries: the pattern scans as before.
 */

/** How one pattern is searched. */
export interface Matcher {
  /** The pattern as written (global). */
  readonly global: RegExp;
  /** The same pattern, sticky: tried at one position only. */
  readonly sticky: RegExp;
  /** The most characters a match holds before its first digit; undefined: scan the whole text. */
  readonly lead: number | undefined;
}

/** A matcher for `regex`; `lead` as in `Matcher`, used only when the pattern starts at a word boundary. */
export function matcher(regex: RegExp, lead: number | undefined): Matcher {
  const flags = regex.flags.replace('g', '');
  return {
    global: regex,
    sticky: new RegExp(regex.source, flags.indexOf('y') < 0 ? flags + 'y' : flags),
    lead: regex.source.slice(0, 2) === '\\b' ? lead : undefined,
  };
}

/**
 * Runs of digits cost a try per position before them, and a try costs about
 * what scanning this many characters does: with more tries than that, the
 * pattern scans the text instead.
 */
const CHARS_PER_TRY = 64;

/** Shorter texts are scanned: a scan of them costs about what a few tries do. */
const SHORTEST_TRIED = 2048;

export class DigitRuns {
  // Fields are declared and set in the constructor: the ES2016 bundle turns
  // initialised fields into defineProperty calls, a cost on every field scanned.
  declare readonly text: string;
  declare private found: number[] | undefined;

  constructor(text: string) {
    this.text = text;
    this.found = undefined;
  }

  /** Where each run of digits starts, in order; read on first use. */
  get starts(): readonly number[] {
    if (this.found === undefined) {
      const starts: number[] = [];
      let digit = false;
      for (let i = 0; i < this.text.length; i++) {
        const c = this.text.charCodeAt(i);
        const d = c >= 48 && c <= 57;
        if (d && !digit) starts.push(i);
        digit = d;
      }
      this.found = starts;
    }
    return this.found;
  }

  /** The first match of `m` starting at or after `from`, as `m.global.exec` from there would find it. */
  next(m: Matcher, from: number): RegExpExecArray | null {
    const text = this.text;
    const lead = m.lead;
    if (
      lead === undefined ||
      text.length < SHORTEST_TRIED ||
      this.starts.length * (lead + 1) * CHARS_PER_TRY > text.length
    ) {
      m.global.lastIndex = from;
      return m.global.exec(text);
    }
    const starts = this.starts;
    const sticky = m.sticky;
    let tried = from - 1;
    for (let k = firstAtOrAfter(starts, from); k < starts.length; k++) {
      const d = starts[k]!;
      for (let at = Math.max(tried + 1, d - lead); at <= d; at++) {
        if (!isBoundary(text, at)) continue;
        sticky.lastIndex = at;
        const found = sticky.exec(text);
        if (found !== null) return found;
      }
      tried = d;
    }
    return null;
  }
}

/** Index of the first of `sorted` at or after `pos`. */
function firstAtOrAfter(sorted: readonly number[], pos: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A regular expression's `\b` (ASCII word characters) at `at`. */
function isBoundary(text: string, at: number): boolean {
  return isWordCode(text.charCodeAt(at - 1)) !== isWordCode(text.charCodeAt(at));
}

function isWordCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}
