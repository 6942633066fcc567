import type { EntityType } from '../shared/entities';

/** One surface form of an entity type. */
export interface Pattern {
  /** Stable rule name, reported as `TYPE/name`. */
  readonly name: string;
  /** ES2016 syntax only, global flag; must run in linear time. */
  readonly regex: RegExp;
  /** Confidence of a valid match with no context word nearby. */
  readonly score: number;
  /**
   * Matches of this shape are too common to report without one of the
   * recognizer's context words nearby (a bare nine-digit number, a date).
   */
  readonly needsContext?: boolean;
  /**
   * The match must not continue a run of groups before it: a card number
   * cannot start in the middle of "RS35 2600 0560 1001 6113 70".
   */
  readonly standsAlone?: boolean;
  /**
   * The most characters a match holds before its first digit (`\bMRN\d…`: 3),
   * so the pattern is tried only just before runs of digits. Unset: the whole
   * text is scanned.
   */
  readonly lead?: number;
}

/** What the text around a value says about how to read it. */
export interface ValueContext {
  /** How a numeric date is written where this value stands (a Spanish label: day first). */
  readonly dateOrder?: 'month-first' | 'day-first' | 'year-first';
}

/** What a validator says about a match it accepts. */
export interface Validation {
  /** Why it is this type, for the person reading the finding ("Luhn-valid Visa number"). */
  readonly detail: string;
  /** Keep only this many characters of the match (when the pattern took too much). */
  readonly length?: number;
  /** Added to the pattern's score (negative for weaker forms). */
  readonly scoreDelta?: number;
}

/**
 * A recognizer in the Presidio shape: patterns find candidates, a validator
 * applies the identifier's own rules (check digits, ranges), and context words
 * near a candidate raise confidence or are required for it to count.
 */
export interface Recognizer {
  readonly type: EntityType;
  readonly patterns: readonly Pattern[];
  /**
   * Other types whose labels also speak for this one: a value that passes the
   * MBI rules under "Member ID" is the member's Medicare identifier.
   */
  readonly alsoLabelledBy?: readonly EntityType[];
  /**
   * What a whole value of this type may look like when a message's structure
   * (a column header, an X12 qualifier, an HL7 field) says it is one: anchored,
   * ES2016, linear. Tried on the zone's value when no pattern matched there.
   */
  readonly structured?: RegExp;
  /**
   * What may stand between this type's label and its value for the label to
   * count. Unset: anything within the window. Dates need it: "DOB verified on
   * 03/01/2024" is not a birth date.
   */
  readonly labelGap?: RegExp;
  /** Returns undefined when the candidate breaks the identifier's rules. */
  validate(value: string, context?: ValueContext): Validation | undefined;
}

/** Letters and digits of `value`, upper-cased: the identifier without separators. */
export function compact(value: string): string {
  // Most candidates are digits only: nothing to strip or raise.
  if (!/[^0-9A-Z]/.test(value)) return value;
  return value.replace(/[^0-9A-Z]/gi, '').toUpperCase();
}
