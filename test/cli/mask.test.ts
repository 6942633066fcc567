import { describe, expect, it } from 'vitest';
import { maskValue } from '../../src/cli/mask';

describe('maskValue', () => {
  it.each([
    ['123-45-6789', '***-**-6789'],
    ['123456789', '*****6789'],
    ['4111 1111 1111 1111', '**** **** **** 1111'],
    ['03/14/1985', '**/**/1985'],
    ['1EG4-TE5-MK73', '****-***-MK73'],
    ['GB66 BARC 2051 83', '**** **** **51 83'],
    ['AB1234567', '*****4567'],
    // Short values keep at most half, so nothing is shown whole.
    ['E11.9', '**1.9'],
    ['E11', '**1'],
    ['7', '*'],
    ['', ''],
    // Letters and digits of any script count; separators stay.
    ['１２３-４５-６７８９', '***-**-６７８９'],
  ])('%s → %s', (value, masked) => {
    expect(maskValue(value)).toBe(masked);
  });

  it('never returns a value with more than 4 letters or digits unmasked', () => {
    for (const value of ['123-45-6789', 'XYZ123456789', '1234567890123456']) {
      const visible = maskValue(value).replace(/[^0-9A-Z]/gi, '');
      expect(visible.length).toBeLessThanOrEqual(4);
      expect(maskValue(value)).not.toContain(value);
    }
  });
});
