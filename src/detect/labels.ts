import type { EntityType } from '../shared/entities';
import type { Recognizer } from './recognizer';

/**
 * Words that label a number as something harmless. When one of these is the
 * label nearest to a candidate, the candidate is that thing, not an identifier:
 * "Ticket 482281962" is not a Social Security number, "Order 5160 3981 0525
 * 2864" is not a card.
 */
const DECOY_LABELS = [
  'ticket', 'confirmation', 'confirmation number', 'conf', 'batch', 'tracking', 'order', 'invoice',
  'inv', 'reference', 'ref', 'case', 'claim', 'claim number', 'claim #', 'document id', 'doc id',
  'gift code', 'gift card', 'voucher', 'coupon', 'promo', 'po box', 'phone', 'fax', 'tel', 'call',
  'cell', 'mobile', 'room', 'suite', 'floor', 'paper size', 'zip', 'provider update', 'auth',
  'authorization', 'serial', 'part', 'model', 'version', 'sku', 'upc', 'isbn', 'check #',
  'extension', 'ext', 'effective', 'deadline', 'dated', 'due', 'billed', 'paid', 'amount', 'total',
  'sample', 'placeholder', 'example', 'fake', 'dummy', 'shipment', 'package', 'parcel', 'rma', 'ticket #',
  'passport', 'license', 'licence', 'dl#', 'key', 'license key', 'group', 'group #', 'group number', 'grp',
  'line', 'toll-free', 'toll free', 'hotline', 'bus', 'route', 'gate', 'flight', 'envelope', 'size',
  'dos', 'date of service', 'service date', 'appointment', 'appt', 'visit', 'seen', 'admitted',
  'admission', 'discharged', 'discharge', 'party', 'updated', 'opened', 'closed', 'expires', 'expiry date',
]; // prettier-ignore

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
  /** True when the label is the header of the candidate's column. */
  readonly header?: boolean;
}

interface LabelEntry {
  keyword: string;
  types: EntityType[];
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
  /** `header`: the range of the header cell above the candidate, when it stands in a table. */
  around(start: number, end: number, type: EntityType, header?: readonly [number, number]): LabelsNear;
  /**
   * Sorted, disjoint ranges `[from, to)` (flattened) where a value of `type`
   * must start to have one of its labels near: the only places a pattern that
   * needs context has to look.
   */
  windowsFor(type: EntityType): readonly number[];
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
  private readonly regex: RegExp;

  constructor(recognizers: readonly Recognizer[]) {
    const spellings = new Set<string>();
    const add = (keyword: string, type?: EntityType): void => {
      spellings.add(keyword);
      let i = this.byKeyword.get(canonical(keyword));
      if (i === undefined) {
        i = this.entries.push({ keyword, types: [] }) - 1;
        this.byKeyword.set(canonical(keyword), i);
      }
      this.byKeyword.set(keyword, i);
      const types = this.entries[i]!.types;
      if (type !== undefined && types.indexOf(type) < 0) types.push(type);
    };
    for (const r of recognizers) for (const k of r.context) add(k, r.type);
    for (const k of DECOY_LABELS) add(k);
    this.regex = new RegExp('\\b' + trieSource(Array.from(spellings)), 'gi');
  }

  scan(text: string): LabelScan {
    const found = new FoundLabels();
    const re = this.regex;
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text)) !== null) {
      const keyword = m[0];
      const lower = keyword.toLowerCase();
      // Most labels are written as the keyword is; a plural ("DOBs") is the keyword and an s.
      const index =
        this.byKeyword.get(lower) ??
        this.byKeyword.get(canonical(lower)) ??
        this.byKeyword.get(canonical(lower).slice(0, -1))!;
      found.add(m.index, m.index + keyword.length, this.entries[index]!);
    }
    return found;
  }
}

/** Labels found in one text, in order. */
class FoundLabels implements LabelScan {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly entries: LabelEntry[] = [];
  private readonly mentioned = new Set<EntityType>();

  add(start: number, end: number, entry: LabelEntry): void {
    this.starts.push(start);
    this.ends.push(end);
    this.entries.push(entry);
    for (const t of entry.types) this.mentioned.add(t);
  }

  mentions(type: EntityType): boolean {
    return this.mentioned.has(type);
  }

  windowsFor(type: EntityType): readonly number[] {
    const windows: number[] = [];
    for (let i = 0; i < this.starts.length; i++) {
      if (this.entries[i]!.types.indexOf(type) < 0) continue;
      const start = this.starts[i]!;
      // After a label: values starting within reach of it. Before it: values it follows.
      addWindow(windows, Math.max(0, start - AFTER - LONGEST_VALUE), start);
      addWindow(windows, this.ends[i]!, start + BEFORE + 1);
    }
    return windows;
  }

  around(start: number, end: number, type: EntityType, header?: readonly [number, number]): LabelsNear {
    const { starts, ends, entries } = this;
    // In a table, the labels of the column's header cell speak for every value below it.
    if (header !== undefined) {
      let last = -1;
      let own: number | undefined;
      for (let i = lastEndingBy(ends, header[1]); i >= 0 && starts[i]! >= header[0]; i--) {
        if (last < 0) last = i;
        if (entries[i]!.types.indexOf(type) >= 0) own = 0;
      }
      if (last >= 0) {
        const e = entries[last]!;
        return {
          nearest: { keyword: e.keyword, types: e.types, distance: 0, header: true },
          ownDistance: own,
        };
      }
    }
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
        nearest: { keyword: e.keyword, types: e.types, distance: start - ends[best]! },
        ownDistance: own,
      };
    }
    // "123-45-6789 (SSN)": a label after the value counts only when none precedes it.
    for (let i = lastEndingBy(ends, start) + 1; i < starts.length && starts[i]! < end + AFTER; i++) {
      if (starts[i]! < end) continue;
      const e = entries[i]!;
      return {
        nearest: { keyword: e.keyword, types: e.types, distance: starts[i]! - end, after: true },
        ownDistance: undefined,
      };
    }
    return { nearest: undefined, ownDistance: undefined };
  }
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

/**
 * A regular expression source matching any of `words`, shaped as a trie
 * ("a(?:ba|cct(?: #|\\b)|ccount…)") so the engine tests a position against a
 * few first letters instead of every keyword. Longer continuations come before
 * a word's end, so "account number" wins over "account". A keyword ending in a
 * letter or digit must end a word; "ss#" may run into its number.
 */
function trieSource(words: readonly string[], last = ''): string {
  const branches = new Map<string, string[]>();
  let ends = false;
  for (const w of words) {
    if (w === '') {
      ends = true;
      continue;
    }
    const rest = branches.get(w.charAt(0)) ?? [];
    rest.push(w.slice(1));
    branches.set(w.charAt(0), rest);
  }
  const alternatives: string[] = [];
  // A space in a keyword also matches an underscore, a hyphen or nothing, as
  // column names write it ("member_id", "date-of-birth", "memberid").
  branches.forEach((rest, c) =>
    alternatives.push((c === ' ' ? '[ _-]?' : escapeRegExp(c)) + trieSource(rest, c)),
  );
  // A plural label ("DOBs", "NPIs") labels its values as well.
  if (ends) alternatives.push(/[a-z]/.test(last) ? 's?\\b' : /\d/.test(last) ? '\\b' : '');
  return alternatives.length === 1 ? alternatives[0]! : '(?:' + alternatives.join('|') + ')';
}

/** A keyword or matched label without case, spaces, underscores or hyphens: "Member_ID" → "memberid". */
function canonical(s: string): string {
  return s.toLowerCase().replace(/[\s_-]/g, '');
}

function escapeRegExp(s: string): string {
  return s.replace(/[$()*+.?[\\\]^{|}]/g, '\\$&');
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
