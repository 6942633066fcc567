import { describe, expect, it } from 'vitest';
import { decodeBytes, decodeWindows1252 } from '../../src/cli/charset';

const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('decodeBytes', () => {
  it('decodes UTF-8 by default and drops a byte order mark', () => {
    expect(decodeBytes(bytes(0xef, 0xbb, 0xbf, 0x63, 0x61, 0x66, 0xc3, 0xa9))).toBe('café');
  });

  it('falls back to Windows-1252 when unnamed bytes are not UTF-8', () => {
    expect(decodeBytes(bytes(0x63, 0x61, 0x66, 0xe9, 0x20, 0x96, 0x20, 0x80))).toBe('café – €');
  });

  it('maps the latin1 family to Windows-1252, as mail readers do', () => {
    for (const label of ['iso-8859-1', 'latin1', 'windows-1252', 'cp1252']) {
      expect(decodeBytes(bytes(0x93, 0x41, 0x94), label)).toBe('“A”');
    }
  });

  it('honours other charsets and ignores unknown names', () => {
    expect(decodeBytes(bytes(0xa4), 'iso-8859-15')).toBe('€');
    expect(decodeBytes(bytes(0xc3, 0xa9), 'x-no-such-charset')).toBe('é');
    // An ASCII label over 8-bit bytes is wrong; the bytes decide.
    expect(decodeBytes(bytes(0xc3, 0xa9), 'us-ascii')).toBe('é');
  });

  it('decodes long input', () => {
    expect(decodeWindows1252(new Uint8Array(100_000).fill(0x41))).toHaveLength(100_000);
  });
});
