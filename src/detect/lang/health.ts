import type { HealthCategory } from '../../shared/entities';

/**
 * What one language says about health, for finding protected health
 * information written in prose: a named person together with something about
 * their health, care or payment for care.
 *
 * Every entry is lower case and written as people write it, accents included
 * (the engine also matches the plain letters). Entries are words and phrases
 * that mean health wherever they stand; everyday words that mean health only
 * sometimes ("cold", "pressure", "positive", "stage", "case") are left out or
 * given in a phrase that settles their sense ("tested positive").
 *
 * A term is found wherever its words stand, also inside a longer phrase, so
 * the lists leave out phrases that only add words to a term of the same
 * weight: "cancer" finds "breast cancer", "hiv" finds "hiv test". A longer
 * phrase is listed where it says more than its parts, and where two terms
 * overlap the longer one is the reading: "gestational diabetes" is
 * reproductive ("diabetes" is a condition), "herpes zóster" is shingles (not
 * the STI "herpes"). As with labels, a term also finds its plural in -s and
 * its spellings with a hyphen or no space for a space ("self harm" finds
 * "self-harm"); other plural and gendered forms are listed where common.
 */
export interface HealthLexicon {
  /**
   * Health words and phrases by what they are about. The sensitive categories
   * (`hiv-sti`, `mental-health`, `substance-use`, `reproductive`, `genetic`,
   * `cancer`) weigh more, so a term that belongs to one of them is listed
   * there and nowhere else; no term is listed in two categories.
   * `reproductive` covers reproductive and sexual health and gender-affirming
   * care; `care` covers where and how care is given (admissions, visits,
   * facilities, therapies, equipment, authorizations).
   */
  readonly terms: Readonly<Record<HealthCategory, readonly string[]>>;
  /**
   * Words next to a name that make that person the patient, member or a
   * relative of one: "patient", "member", "your son", "DOB", "admitted".
   */
  readonly personCues: readonly string[];
  /**
   * Words next to a name that make that person a provider or staff member
   * rather than the patient: titles, credentials, roles, "clinic", "office of".
   */
  readonly providerCues: readonly string[];
  /**
   * Words that make the text about health in general rather than about one
   * person: "newsletter", "webinar", "all members", "formulary", "flu clinic".
   */
  readonly generalCues: readonly string[];
  /**
   * Word endings that make a word a medical term by its shape, for the terms
   * no list can hold ("bunionectomy", "cholangitis", "neuroblastoma"): a word
   * of at least `MIN_SHAPED_WORD` letters with one of these endings is a term
   * of the ending's category, unless listed in `notTerms`.
   */
  readonly endings: Readonly<Partial<Record<HealthCategory, readonly string[]>>>;
  /** Everyday words with a medical ending: "program", "nostalgia", "photography". */
  readonly notTerms: readonly string[];
}

/** The fewest letters a word needs before its ending alone makes it a medical term. */
export const MIN_SHAPED_WORD = 7;
