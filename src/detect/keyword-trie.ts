/**
 * Finds label keywords in a text by walking a trie of their letters, at the
 * start of each word only. A regular expression built as the same trie did
 * the same work several times slower (the engine tried every position against
 * a case-insensitive alternation), and compiling it cost time on first use in
 * Outlook's runtimes.
 *
 * What matches, at a position where a word starts:
 * - a keyword's letters, in any case;
 * - a space in a keyword as a space, an underscore, a hyphen or nothing, as
 *   column names write it ("member_id", "date-of-birth", "memberid");
 * - after a keyword ending in a letter, a plural "s" or a column number
 *   ("DOBs", "Dx1", "NPI_2"), and then the word must end; a keyword ending in
 *   a digit must end its word; one ending otherwise ("ss#") may run into its
 *   number.
 * Longer continuations are tried before a keyword's end, so "account number"
 * wins over "account"; matches do not overlap and are reported left to right.
 */

interface TrieNode {
  /**
   * Next characters (lower-case char codes, SPACE for the flexible space)
   * and the nodes they lead to. Most nodes have one or two: arrays searched
   * in order beat a map here.
   */
  readonly codes: number[];
  readonly kids: TrieNode[];
  /**
   * For the root, which most words enter, its kids by char code below 256;
   * for a node with several kids, by char code below 128 (a search of the
   * codes was most of a walk's cost near the root).
   */
  table: (TrieNode | undefined)[] | undefined;
  /** The kid for SPACE, when there is one. */
  space: TrieNode | undefined;
  /** The position of this node among its parent's children: alternatives are tried in that order. */
  readonly order: number;
  /** The character that led here, which decides what may follow a keyword's end. */
  readonly via: number;
  end: boolean;
}

const SPACE = 32;
const UNDERSCORE = 95;
const HYPHEN = 45;
const LOWER_S = 115;

function isWordCode(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === UNDERSCORE;
}

function isLetterCode(c: number): boolean {
  return c >= 97 && c <= 122;
}

function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Nodes with at least this many kids find them by a table. */
const TABLE_KIDS = 3;

/** The lower case of one UTF-16 code, when it stays one code; otherwise the code itself. */
function lowerCode(c: number): number {
  if (c >= 65 && c <= 90) return c + 32;
  if (c < 128) return c;
  const lower = String.fromCharCode(c).toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : c;
}

function newNode(order: number, via: number): TrieNode {
  return { codes: [], kids: [], table: undefined, space: undefined, order, via, end: false };
}

/** A node's kids by char code below `size`. */
function tableOf(at: TrieNode, size: number): (TrieNode | undefined)[] {
  const table: (TrieNode | undefined)[] = [];
  for (let c = 0; c < size; c++) table.push(undefined);
  at.codes.forEach((c, k) => {
    if (c < size) table[c] = at.kids[k];
  });
  return table;
}

function kidOf(at: TrieNode, code: number): TrieNode | undefined {
  if (at.table !== undefined && code < at.table.length) return at.table[code];
  const codes = at.codes;
  for (let k = 0; k < codes.length; k++) if (codes[k] === code) return at.kids[k];
  return undefined;
}

export class KeywordTrie {
  private readonly root = newNode(0, -1);

  constructor(keywords: Iterable<string>) {
    for (const k of keywords) {
      let at = this.root;
      for (let i = 0; i < k.length; i++) {
        const c = lowerCode(k.charCodeAt(i));
        let child = kidOf(at, c);
        if (child === undefined) {
          child = newNode(at.codes.length, c);
          at.codes.push(c);
          at.kids.push(child);
          if (c === SPACE) at.space = child;
        }
        at = child;
      }
      if (at !== this.root) at.end = true;
    }
    this.root.table = tableOf(this.root, 256);
    const stack = this.root.kids.slice();
    for (let at = stack.pop(); at !== undefined; at = stack.pop()) {
      if (at.kids.length >= TABLE_KIDS) at.table = tableOf(at, 128);
      for (const kid of at.kids) stack.push(kid);
    }
  }

  /** Calls `found(start, end)` for each keyword occurrence in `text`. */
  each(text: string, found: (start: number, end: number) => void): void {
    const walk = new Walk(text);
    const root = this.root;
    const table = root.table!;
    const n = text.length;
    let p = 0;
    while (p < n) {
      const c = text.charCodeAt(p);
      const word = isWordCode(c);
      // A space or a sign that starts no keyword: passed at once, as most are.
      if (!word && c < 128 && table[c] === undefined) {
        p++;
        continue;
      }
      const boundary = p === 0 || isWordCode(text.charCodeAt(p - 1)) !== word;
      const end = boundary && mayStartHere(root, text, p, c) ? walk.from(root, p) : -1;
      if (end > p) {
        found(p, end);
        p = end;
      } else if (word) {
        // No keyword starts inside a word: go on from where it ends.
        p++;
        while (p < n && isWordCode(text.charCodeAt(p))) p++;
      } else {
        p++;
      }
    }
  }
}

/**
 * Whether a keyword may start at `p`, by its first two characters: most words
 * of a text start with a letter some keyword starts with, but few go on with
 * a second that fits, and this spares them the walk.
 */
function mayStartHere(root: TrieNode, text: string, p: number, c: number): boolean {
  const first = kidOf(root, lowerCode(c));
  if (first === undefined) return false;
  if (first.end || first.space !== undefined || p + 1 >= text.length) return true;
  return kidOf(first, lowerCode(text.charCodeAt(p + 1))) !== undefined;
}

/** One text being walked. */
class Walk {
  // Fields are declared and set in the constructor: the ES2016 bundle turns
  // initialised fields into defineProperty calls, a cost on every field scanned.
  declare private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  private codeAt(i: number): number {
    return i < this.text.length ? this.text.charCodeAt(i) : -1;
  }

  /** Where the first keyword found from `at` (longer continuations first) ends, or -1 when none does. */
  from(at: TrieNode, i: number): number {
    // Where the way on is one character with no keyword ending and no space,
    // the walk goes on in a loop: what a call per character would do.
    while (at.space === undefined && !at.end) {
      const code = this.codeAt(i);
      if (code < 0 || code === SPACE) return -1;
      const next = kidOf(at, lowerCode(code));
      if (next === undefined) return -1;
      at = next;
      i++;
    }
    const raw = this.codeAt(i);
    const c = raw < 0 ? -1 : lowerCode(raw);
    const exact = c === SPACE ? undefined : kidOf(at, c);
    const space = at.space;
    // At most two children can go on here; the one the keywords brought first is tried first.
    if (exact !== undefined && (space === undefined || exact.order < space.order)) {
      const r = this.from(exact, i + 1);
      if (r >= 0) return r;
    }
    if (space !== undefined) {
      const r = this.fromSpace(space, i, c);
      if (r >= 0) return r;
    }
    if (exact !== undefined && space !== undefined && space.order < exact.order) {
      const r = this.from(exact, i + 1);
      if (r >= 0) return r;
    }
    return at.end ? this.ending(at.via, i) : -1;
  }

  /** A keyword's space: a space, an underscore or a hyphen in the text, or nothing. */
  private fromSpace(child: TrieNode, i: number, c: number): number {
    if (c === SPACE || c === UNDERSCORE || c === HYPHEN) {
      const r = this.from(child, i + 1);
      if (r >= 0) return r;
    }
    return this.from(child, i);
  }

  /** What may follow a keyword whose last character is `via`, at `i`; -1 when its word goes on. */
  private ending(via: number, i: number): number {
    if (isLetterCode(via)) {
      const c = this.codeAt(i);
      if (lowerCode(c) === LOWER_S && this.endsWord(i + 1)) return i + 1;
      if (c === UNDERSCORE && isDigitCode(this.codeAt(i + 1)) && this.endsWord(i + 2)) return i + 2;
      if (isDigitCode(c) && this.endsWord(i + 1)) return i + 1;
      return this.endsWord(i) ? i : -1;
    }
    if (isDigitCode(via)) return this.endsWord(i) ? i : -1;
    return i;
  }

  /** Whether the word ends before `i`. */
  private endsWord(i: number): boolean {
    return i >= this.text.length || !isWordCode(this.text.charCodeAt(i));
  }
}
