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
}

interface LabelEntry {
  keyword: string;
  types: EntityType[];
}

/** The labels around one candidate. */
export interface LabelsNear {
  /** The label nearest before the candidate, or after it when none precedes it. */
  readonly nearest: Label | undefined;
  /** Distance to the nearest label of each type found in the window before the candidate. */
  readonly byType: ReadonlyMap<EntityType, number>;
}

/**
 * Finds the labels near a candidate. Keywords of every recognizer and the
 * decoys compete: "Routing: 266784791  Account number 68648953671636" labels
 * the first number as routing and the second as an account, because each
 * number belongs to the label just before it.
 */
export class LabelIndex {
  private readonly entries: LabelEntry[];

  constructor(recognizers: readonly Recognizer[]) {
    const byKeyword = new Map<string, EntityType[]>();
    for (const r of recognizers) {
      for (const k of r.context) {
        const types = byKeyword.get(k) ?? [];
        if (types.indexOf(r.type) < 0) types.push(r.type);
        byKeyword.set(k, types);
      }
    }
    for (const k of DECOY_LABELS) if (!byKeyword.has(k)) byKeyword.set(k, []);
    this.entries = [];
    byKeyword.forEach((types, keyword) => this.entries.push({ keyword, types }));
  }

  around(text: string, start: number, end: number): LabelsNear {
    const before = text.slice(Math.max(0, start - BEFORE), start).toLowerCase();
    const byType = new Map<EntityType, number>();
    let nearest: Label | undefined;
    for (const e of this.entries) {
      const at = lastWordIndex(before, e.keyword);
      if (at < 0) continue;
      const distance = before.length - at - e.keyword.length;
      nearest = closer(nearest, { ...e, distance });
      for (const t of e.types) byType.set(t, Math.min(distance, byType.get(t) ?? distance));
    }
    if (nearest !== undefined) return { nearest, byType };
    // "123-45-6789 (SSN)": a label after the value counts only when none precedes it.
    const after = text.slice(end, end + AFTER).toLowerCase();
    for (const e of this.entries) {
      const at = firstWordIndex(after, e.keyword);
      if (at >= 0) nearest = closer(nearest, { ...e, distance: at });
    }
    return { nearest, byType };
  }
}

/** The closer of two labels; at the same distance, the longer (more specific) one. */
function closer(a: Label | undefined, b: Label): Label {
  if (a === undefined || b.distance < a.distance) return b;
  if (b.distance === a.distance && b.keyword.length > a.keyword.length) return b;
  return a;
}

function isWordChar(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

/** Whether `keyword` at `at` in `s` stands as a word of its own, not inside a longer one. */
function standsAlone(s: string, keyword: string, at: number): boolean {
  if (isWordChar(keyword.charAt(0)) && at > 0 && isWordChar(s.charAt(at - 1))) return false;
  const after = at + keyword.length;
  return !(isWordChar(keyword.charAt(keyword.length - 1)) && after < s.length && isWordChar(s.charAt(after)));
}

export function lastWordIndex(s: string, keyword: string): number {
  let at = s.lastIndexOf(keyword);
  while (at >= 0 && !standsAlone(s, keyword, at)) at = at === 0 ? -1 : s.lastIndexOf(keyword, at - 1);
  return at;
}

export function firstWordIndex(s: string, keyword: string, from = 0): number {
  let at = s.indexOf(keyword, from);
  while (at >= 0 && !standsAlone(s, keyword, at)) at = s.indexOf(keyword, at + 1);
  return at;
}
