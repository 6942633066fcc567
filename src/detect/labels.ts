import type { EntityType } from '../shared/entities';
import { KeywordTrie } from './keyword-trie';
import type { LanguageData } from './lang/index';

/** How far before a candidate a label may stand, and after it when none stands before. */
const BEFORE = 48;
const AFTER = 24;

export interface Label {
  readonly keyword: string;
  /** Entity types the keyword labels; empty for a decoy. */
  readonly types: readonly EntityType[];
  /** Characters between the label and the candidate. */
  readonly distance: number;
  /** True when the label follows the candidate. */
  readonly after?: boolean;
  /** The language the keyword belongs to, when only one language uses it. */
  readonly lang?: string;
}

interface LabelEntry {
  keyword: string;
  /** Entity types the keyword labels; empty for a decoy ("ticket", "factura"). */
  types: EntityType[];
  /** Codes of the languages that use the keyword. */
  langs: string[];
}

/** One label occurrence, as a structure reader sees it (a table's header cell). */
export interface LabelHit {
  readonly keyword: string;
  readonly types: readonly EntityType[];
  readonly lang?: string;
  readonly start: number;
  readonly end: number;
}

/** The labels around one candidate, as one type sees them. */
export interface LabelsNear {
  /** The label nearest before the candidate, or after it when none precedes it. */
  readonly nearest: Label | undefined;
  /** Distance to the nearest label of the asked type in the window before the candidate. */
  readonly ownDistance: number | undefined;
}

/** Every label in one text, found in a single pass. */
export interface LabelScan {
  /** Whether any keyword of `type` occurs in the text. */
  mentions(type: EntityType): boolean;
  around(start: number, end: number, type: EntityType): LabelsNear;
  /** The labels lying wholly inside `[from, to)`, in order. */
  within(from: number, to: number): LabelHit[];
  /** Whether any label lies wholly inside `[from, to)`: `within(from, to).length > 0`, with nothing built. */
  anyWithin(from: number, to: number): boolean;
  /**
   * Sorted, disjoint ranges `[from, to)` (flattened) where a value of `type`
   * must start to have one of its labels near: the only places a pattern that
   * needs context has to look.
   */
  windowsFor(types: readonly EntityType[]): readonly number[];
}

/** The longest value a label may follow, for the window before a label that comes after its value. */
const LONGEST_VALUE = 48;

/**
 * Knows every label: the keywords of every recognizer and the decoys. They
 * compete: "Routing: 266784791  Account number 68648953671636" labels the
 * first number as routing and the second as an account, because each number
 * belongs to the label just before it.
 */
export class LabelIndex {
  private readonly entries: LabelEntry[] = [];
  private readonly byKeyword = new Map<string, number>();
  private readonly trie: KeywordTrie;

  constructor(languages: readonly LanguageData[]) {
    const spellings = new Set<string>();
    const add = (keyword: string, lang: string, type?: EntityType): void => {
      const key = canonical(keyword);
      let i = this.byKeyword.get(key);
      if (i === undefined) {
        i = this.entries.push({ keyword, types: [], langs: [] }) - 1;
        this.byKeyword.set(key, i);
      }
      // Written with or without its accents ("número", "numero"): one label.
      for (const spelling of [keyword, plain(keyword)]) {
        spellings.add(spelling);
        this.byKeyword.set(spelling, i);
      }
      const entry = this.entries[i]!;
      if (type !== undefined && entry.types.indexOf(type) < 0) entry.types.push(type);
      if (entry.langs.indexOf(lang) < 0) entry.langs.push(lang);
    };
    for (const language of languages) {
      const labels = language.labels;
      for (const type of Object.keys(labels) as EntityType[]) {
        for (const k of labels[type] ?? []) add(k, language.code, type);
      }
      for (const k of language.decoys) add(k, language.code);
    }
    // A word that labels an identifier in one language and a harmless number
    // in another is no decoy: the identifier's reading is the careful one.
    this.trie = new KeywordTrie(spellings);
  }

  scan(text: string): LabelScan {
    const found = new FoundLabels();
    this.trie.each(text, (start, end) => {
      const lower = text.slice(start, end).toLowerCase();
      // Most labels are written as the keyword is; a plural ("DOBs") is the keyword and an s.
      const index =
        this.byKeyword.get(lower) ??
        this.byKeyword.get(canonical(lower)) ??
        this.byKeyword.get(canonical(lower).slice(0, -1)) ??
        this.byKeyword.get(plain(lower))!;
      found.add(start, end, this.entries[index]!);
    });
    return found;
  }
}

/** Labels found in one text, in order. */
class FoundLabels implements LabelScan {
  // Fields are declared and set in the constructor: the ES2016 bundle turns
  // initialised fields into defineProperty calls, a cost on every field scanned.
  declare private readonly starts: number[];
  declare private readonly ends: number[];
  declare private readonly entries: LabelEntry[];
  declare private readonly mentioned: Set<EntityType>;

  constructor() {
    this.starts = [];
    this.ends = [];
    this.entries = [];
    this.mentioned = new Set<EntityType>();
  }

  add(start: number, end: number, entry: LabelEntry): void {
    this.starts.push(start);
    this.ends.push(end);
    this.entries.push(entry);
    for (const t of entry.types) this.mentioned.add(t);
  }

  mentions(type: EntityType): boolean {
    return this.mentioned.has(type);
  }

  windowsFor(types: readonly EntityType[]): readonly number[] {
    const windows: number[] = [];
    for (let i = 0; i < this.starts.length; i++) {
      const own = this.entries[i]!.types;
      if (!types.some((t) => own.indexOf(t) >= 0)) continue;
      const start = this.starts[i]!;
      // After a label: values starting within reach of it. Before it: values it follows.
      addWindow(windows, Math.max(0, start - AFTER - LONGEST_VALUE), start);
      addWindow(windows, this.ends[i]!, start + BEFORE + 1);
    }
    return windows;
  }

  within(from: number, to: number): LabelHit[] {
    const hits: LabelHit[] = [];
    for (let i = lastEndingBy(this.ends, to); i >= 0 && this.starts[i]! >= from; i--) {
      const e = this.entries[i]!;
      hits.push({
        keyword: e.keyword,
        types: e.types,
        lang: langOf(e),
        start: this.starts[i]!,
        end: this.ends[i]!,
      });
    }
    return hits.reverse();
  }

  anyWithin(from: number, to: number): boolean {
    const i = lastEndingBy(this.ends, to);
    return i >= 0 && this.starts[i]! >= from;
  }

  around(start: number, end: number, type: EntityType): LabelsNear {
    const { starts, ends, entries } = this;
    // Labels ending at or before the candidate, nearest first, within the window.
    // The nearest wins; at the same distance, the longer (more specific) one.
    let best = -1;
    let own: number | undefined;
    for (let i = lastEndingBy(ends, start); i >= 0 && starts[i]! >= start - BEFORE; i--) {
      const distance = start - ends[i]!;
      if (
        best < 0 ||
        distance < start - ends[best]! ||
        (distance === start - ends[best]! && ends[i]! - starts[i]! > ends[best]! - starts[best]!)
      )
        best = i;
      if (own === undefined && entries[i]!.types.indexOf(type) >= 0) own = distance;
    }
    if (best >= 0) {
      const e = entries[best]!;
      return {
        nearest: { keyword: e.keyword, types: e.types, distance: start - ends[best]!, lang: langOf(e) },
        ownDistance: own,
      };
    }
    // "123-45-6789 (SSN)": a label after the value counts only when none precedes it.
    for (let i = lastEndingBy(ends, start) + 1; i < starts.length && starts[i]! < end + AFTER; i++) {
      if (starts[i]! < end) continue;
      const e = entries[i]!;
      return {
        nearest: {
          keyword: e.keyword,
          types: e.types,
          distance: starts[i]! - end,
          after: true,
          lang: langOf(e),
        },
        ownDistance: undefined,
      };
    }
    return { nearest: undefined, ownDistance: undefined };
  }
}

function langOf(e: LabelEntry): string | undefined {
  return e.langs.length === 1 ? e.langs[0] : undefined;
}

/** Appends `[from, to)` to sorted windows, merging it with the last one when they touch. */
function addWindow(windows: number[], from: number, to: number): void {
  const n = windows.length;
  if (n > 0 && from <= windows[n - 1]!) windows[n - 1] = Math.max(windows[n - 1]!, to);
  else windows.push(from, to);
}

/** Index of the last label ending at or before `pos`, or -1. */
function lastEndingBy(ends: number[], pos: number): number {
  let lo = 0;
  let hi = ends.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid]! <= pos) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** A keyword or matched label without case, accents, spaces, underscores or hyphens: "Member_ID" → "memberid". */
function canonical(s: string): string {
  return plain(s.toLowerCase()).replace(/[\s_-]/g, '');
}

const ACCENTED = 'áéíóúüñàèìòùâêîôûç';
const UNACCENTED = 'aeiouunaeiouaeiouc';

/** `s` (lower case) with its accented letters plain: "número" → "numero". */
export function plain(s: string): string {
  if (!/[\u0080-\uffff]/.test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    const k = ACCENTED.indexOf(c);
    out += k < 0 ? c : UNACCENTED.charAt(k);
  }
  return out;
}

function isWordChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/** Index of `keyword` in `s` standing as a word of its own, not inside a longer one; -1 if none. */
export function firstWordIndex(s: string, keyword: string, from = 0): number {
  let at = s.indexOf(keyword, from);
  while (at >= 0 && !standsAlone(s, keyword, at)) at = s.indexOf(keyword, at + 1);
  return at;
}

function standsAlone(s: string, keyword: string, at: number): boolean {
  if (isWordChar(keyword.charAt(0)) && at > 0 && isWordChar(s.charAt(at - 1))) return false;
  const after = at + keyword.length;
  return !(isWordChar(keyword.charAt(keyword.length - 1)) && after < s.length && isWordChar(s.charAt(after)));
}
