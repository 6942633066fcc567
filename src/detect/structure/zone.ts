import type { EntityType } from '../../shared/entities';

/**
 * A stretch of prepared text whose meaning the message's own structure states:
 * the cell under a table's "SSN" header, X12's NM109 after the qualifier MI,
 * HL7's PID-7, a FHIR Patient's `birthDate`. Structure says more than words
 * nearby: a value inside a zone is judged by the zone, not by labels elsewhere.
 */
export interface Zone {
  /** Range `[start, end)` in the prepared text holding the value (one cell, one element). */
  readonly start: number;
  readonly end: number;
  /**
   * What the structure says the value is. Empty: the structure says it is
   * something that is not an identifier (a claim number, an amount, a trace
   * number, a procedure code), so nothing found inside it counts. The first
   * type is the one the structure names most directly (a header's head word).
   */
  readonly types: readonly EntityType[];
  /**
   * The structure names the field but not as any kind of value the engine
   * knows ("Received Date ______"): labels elsewhere do not speak for what is
   * in it, and it is no decoy either. Only with no types.
   */
  readonly unlabelled?: boolean;
  /** Names the structure for the person reading a finding ("X12 NM1 member ID (MI)", "column 'SSN'"). */
  readonly label: string;
  /**
   * Dates in this zone are written day first (a Spanish header), or as
   * CCYYMMDD (X12 D8): how a date value in it is read.
   */
  readonly dateOrder?: 'month-first' | 'day-first' | 'year-first';
}

/** Reads one kind of structure out of prepared text. Linear in the text; ES2016 only. */
export type StructureReader = (text: string) => Zone[];
