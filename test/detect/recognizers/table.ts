/**
 * Table-driven recognizer tests: each row is one message body and the exact
 * raw substrings a recognizer must report in it (none for a hard negative).
 */
import { describe, expect, it } from 'vitest';
import { scanText } from '../../../src/detect/index';
import type { EntityType } from '../../../src/shared/entities';

export interface Row {
  readonly kind: 'text' | 'html';
  readonly input: string;
  /** Raw substrings expected with the type, in order of appearance; empty for a negative row. */
  readonly expected: readonly string[];
}

/** A plain-text row; give the expected substrings for a positive row, none for a negative one. */
export function t(input: string, ...expected: string[]): Row {
  return { kind: 'text', input, expected };
}

/** An HTML row; expected substrings are slices of the markup (tags and entities included). */
export function h(input: string, ...expected: string[]): Row {
  return { kind: 'html', input, expected };
}

/** The raw substrings the engine reports with `type` in `row`, in order of appearance. */
export function reported(type: EntityType, row: Row): string[] {
  return scanText(row.input, row.kind)
    .filter((f) => f.type === type)
    .sort((a, b) => a.start - b.start)
    .map((f) => row.input.slice(f.start, f.end));
}

function title(row: Row): string {
  const shown = JSON.stringify(row.input);
  return `${row.kind}: ${shown.length > 160 ? shown.slice(0, 157) + '...' : shown}`;
}

/**
 * Registers one test per row: positive rows must yield exactly their expected
 * substrings with `type`, negative rows no finding of `type` at all.
 */
export function recognizerTable(
  type: EntityType,
  tables: { readonly positives: readonly Row[]; readonly negatives: readonly Row[] },
): void {
  describe(`${type} recognizer`, () => {
    for (const row of tables.positives) {
      if (row.expected.length === 0) throw new Error(`positive row without an expected value: ${row.input}`);
    }
    for (const row of tables.negatives) {
      if (row.expected.length > 0) throw new Error(`negative row with an expected value: ${row.input}`);
    }
    describe('reports', () => {
      it.each(tables.positives.map((row) => [title(row), row] as const))('%s', (_name, row) => {
        expect(reported(type, row)).toEqual(row.expected);
      });
    });
    describe('does not report', () => {
      it.each(tables.negatives.map((row) => [title(row), row] as const))('%s', (_name, row) => {
        expect(reported(type, row)).toEqual([]);
      });
    });
  });
}
