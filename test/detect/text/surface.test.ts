/**
 * Surface forms: values broken across lines, spaced or grouped unusually,
 * or written out in words; each reported at its raw range.
 */
import { describe, expect, it } from 'vitest';
import { scanText } from '../../../src/detect/index';
import { prepareText } from '../../../src/detect/text/prepare';
import { rewrite } from '../../../src/detect/text/rewrite';

function found(input: string, kind: 'text' | 'html' = 'text'): [string, string][] {
  return scanText(input, kind)
    .filter((f) => f.type !== 'KEYWORD')
    .map((f) => [f.type, input.slice(f.start, f.end)]);
}

describe('values broken across a line', () => {
  it.each([
    ['an SSN broken after its dash', 'SSN: 536-22-\n1874 on file', 'US_SSN', '536-22-\n1874'],
    ['an SSN broken by <br>', '<p>SSN 536-22-<br>1874</p>', 'US_SSN', '536-22-<br>1874'],
    [
      'an NPI broken mid-number',
      '<p>Please use NPI 124<br>5319599 for the group</p>',
      'NPI',
      '124<br>5319599',
    ],
    ['an MBI broken by a letter group', 'Medicare # 1EG4TE5\nMK73 thanks', 'MEDICARE_MBI', '1EG4TE5\nMK73'],
    [
      'a card broken at a group',
      'Card number 4111 1111 1111 \n 1111.',
      'CREDIT_CARD',
      '4111 1111 1111 \n 1111',
    ],
  ])('%s', (_name, input, type, raw) => {
    expect(found(input, input.startsWith('<') ? 'html' : 'text')).toEqual([[type, raw]]);
  });

  it('does not join the last cell of a table row to the next row', () => {
    const table =
      'Measure\tThis quarter\tLast quarter\nMembers in care\t141\t236\n30-day readmission rate\t35.6%\t4.6%\n';
    expect(found(table)).toEqual([]);
  });

  it('leaves the rows of a report whole', () => {
    const rows = 'SSN\n536-22-1874\n442-73-9745\n';
    expect(found(rows).map(([, raw]) => raw)).toEqual(['536-22-1874', '442-73-9745']);
  });
});

describe('digits spaced or grouped unusually', () => {
  it.each([
    ['SSN: 5 3 6 2 2 1 8 7 4', 'US_SSN'],
    ['Routing # 0711-0130-7', 'ABA_ROUTING'],
    ['NPI 1245-319-599', 'NPI'],
    ['ITIN: 911-701234', 'US_ITIN'],
  ])('%s', (input, type) => {
    expect(found(input).map(([t]) => t)).toEqual([type]);
  });

  it('mixed separators are not one number', () => {
    expect(found('SSN: 693-09.4444')).toEqual([]);
  });
});

describe('numbers written out in words', () => {
  it('reads an SSN in English words, with dashes between groups', () => {
    const input = 'Their social is five three six - two two - one eight seven four.';
    expect(found(input)).toEqual([['US_SSN', 'five three six - two two - one eight seven four']]);
  });

  it('reads an SSN in Spanish words', () => {
    const input = 'Número de seguro social: cinco tres seis dos dos uno ocho siete cuatro';
    expect(found(input)).toEqual([['US_SSN', 'cinco tres seis dos dos uno ocho siete cuatro']]);
  });

  it('a few number words are not a number', () => {
    expect(found('SSN to follow: one or two days, three at most.')).toEqual([]);
  });
});

describe('rewrite keeps the map to the raw field', () => {
  it('maps a range inside and around a rewritten piece', () => {
    const mapped = rewrite(prepareText('ab--cd'), [{ start: 2, end: 4, text: 'X' }]);
    expect(mapped.text).toBe('abXcd');
    expect(mapped.toRaw(0, 2)).toEqual([0, 2]);
    expect(mapped.toRaw(2, 3)).toEqual([2, 4]);
    expect(mapped.toRaw(1, 4)).toEqual([1, 5]);
  });
});
