import { describe, expect, it } from 'vitest';
import { DigitRuns, matcher, type Matcher } from '../../src/detect/candidates';
import { RECOGNIZERS } from '../../src/detect/recognizers/index';

/** Every match of `m` in `text`, as the engine walks them: each search from the end of the last match. */
function matches(text: string, next: (from: number) => RegExpExecArray | null): string[] {
  const out: string[] = [];
  let from = 0;
  for (let m = next(from); m !== null; m = next(from)) {
    out.push(`${m.index}:${m[0]}`);
    from = m.index + m[0].length;
  }
  return out;
}

/** A sticky expression that counts its tries. */
class CountingRegExp extends RegExp {
  calls = 0;

  override exec(s: string): RegExpExecArray | null {
    this.calls++;
    return super.exec(s);
  }
}

function scanned(m: Matcher, text: string): string[] {
  return matches(text, (from) => {
    m.global.lastIndex = from;
    return m.global.exec(text);
  });
}

function tried(m: Matcher, text: string): string[] {
  const runs = new DigitRuns(text);
  return matches(text, (from) => runs.next(m, from));
}

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32;
  };
}

// Pieces identifiers are made of, and the words and signs around them.
const PIECES = [
  '0', '1', '2', '9', '12', '123', '4111', '1234567', '19800312', '536', '22', '1874', '-', '-', ' ', '  ',
  '.', '/', ':', '#', '_', 'A', 'b', 'MRN', 'GB', 'XY', 'AB', 'Z', 'U07', 'March', 'septiembre', 'de', 'x',
  '\n', '(', ')', ',', 'é', '1EG4', 'TE5', 'MK',
]; // prettier-ignore

function fuzzText(next: () => number, length: number): string {
  let out = '';
  while (out.length < length) out += PIECES[Math.floor(next() * PIECES.length)]!;
  return out;
}

describe('DigitRuns', () => {
  it('records where each run of digits starts', () => {
    expect(new DigitRuns('a12 3-45 x6').starts).toEqual([1, 4, 6, 10]);
    // Short texts are scanned whole, so a lead declared too short goes unnoticed there.
    expect(tried(matcher(/\bMRN\d{5}\b/g, 1), 'x MRN12345')).toEqual(['2:MRN12345']);
    expect(new DigitRuns('no digits').starts).toEqual([]);
  });

  it('finds the matches a scan of the whole text finds, for every pattern of every recognizer', () => {
    const next = random(7);
    const texts: string[] = [];
    for (let i = 0; i < 400; i++) texts.push(fuzzText(next, 20 + Math.floor(next() * 200)));
    // Long texts with few digits, so the tries (not the fallback scan) are what is compared.
    for (let i = 0; i < 100; i++)
      texts.push('word '.repeat(1200) + fuzzText(next, 16) + ' text '.repeat(1000) + fuzzText(next, 16));
    let compared = 0;
    for (const r of RECOGNIZERS) {
      for (const p of r.patterns) {
        expect(p.lead, `${r.type}/${p.name} declares its lead`).toBeTypeOf('number');
        const made = matcher(p.regex, p.lead);
        const sticky = new CountingRegExp(made.sticky);
        const m: Matcher = { ...made, sticky };
        for (const text of texts) {
          const want = scanned(m, text);
          expect(tried(m, text), `${r.type}/${p.name} in ${JSON.stringify(text)}`).toEqual(want);
          compared += want.length;
        }
        expect(sticky.calls, `${r.type}/${p.name} was tried`).toBeGreaterThan(50);
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('misses a match whose lead is declared too short', () => {
    const m = matcher(/\bMRN\d{5}\b/g, 1);
    const text = 'x '.repeat(1500) + 'MRN12345';
    expect(scanned(m, text)).toEqual(['3000:MRN12345']);
    expect(tried(m, text)).toEqual([]);
  });

  it('scans the whole text for a pattern with no lead or no leading word boundary', () => {
    const text = 'x '.repeat(1500) + 'MRN12345';
    expect(tried(matcher(/\bMRN\d{5}\b/g, undefined), text)).toEqual(['3000:MRN12345']);
    expect(tried(matcher(/MRN\d{5}\b/g, 0), text)).toEqual(['3000:MRN12345']);
  });
});
