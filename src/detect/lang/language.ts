import type { EntityType } from '../../shared/entities';

/**
 * What the engine knows of one language: the words that label each type, the
 * words that label harmless numbers, how dates are written. Everything
 * language-specific lives in one of these records, so a language is a data
 * file (and its tests), not code.
 */
export interface LanguageData {
  /** ISO 639-1 code, reported in explanations. */
  readonly code: string;
  /**
   * Lower-case words and phrases that label each type ("ssn", "fecha de
   * nacimiento"). A space also matches an underscore, a hyphen or nothing;
   * accented letters also match their plain forms.
   */
  readonly labels: Readonly<Partial<Record<EntityType, readonly string[]>>>;
  /** Labels of numbers that are not identifiers: "ticket", "phone", "factura". */
  readonly decoys: readonly string[];
  /** Month names, January first; each entry lists the spellings (full and abbreviated) that name it. */
  readonly months: readonly (readonly string[])[];
  /** Whether a numeric date read in this language's context puts the day first (12/03/1958 = 12 March). */
  readonly dayFirst: boolean;
  /** Words that may stand between a date label and its date: "DOB is 03/12/1958", "nació el 12/03/1958". */
  readonly dateLinkWords: readonly string[];
  /** The words for the digits 0 to 9, each entry listing its spellings: an SSN read out in words. */
  readonly digitWords: readonly (readonly string[])[];
  /** Common short words of the language, to tell which language a message is in when a label does not. */
  readonly commonWords: readonly string[];
}
