import { describe, expect, it } from 'vitest';
import { BitFilter, PhraseIndex, wordsOf } from '../../src/detect/prose/phrases';

describe('BitFilter', () => {
  it('never turns away a number it holds, and turns away most it does not', () => {
    const filter = new BitFilter();
    const held: number[] = [];
    for (let i = 0; i < 3000; i++) held.push(Math.imul(i, 2654435761) | 0);
    for (const n of held) filter.add(n);
    for (const n of held) expect(filter.mayHave(n)).toBe(true);
    let maybe = 0;
    for (let i = 0; i < 10000; i++) if (filter.mayHave(1_000_000 + i * 7919)) maybe++;
    expect(maybe).toBeLessThan(500);
  });
});

describe('wordsOf', () => {
  it('parts words at hyphens, underscores and slashes, and keeps joined ones whole', () => {
    const w = wordsOf("Self-harm/HIV_test o'brien a1c, t.b.");
    const words = w.starts.map((s, i) => w.folded.slice(s, w.ends[i]));
    expect(words).toEqual(['self', 'harm', 'hiv', 'test', "o'brien", 'a1c', 't.b']);
    expect(w.grams).toHaveLength(words.length);
  });
});

describe('PhraseIndex', () => {
  it('finds phrases written with hyphens or slashes for spaces, longest first', () => {
    const index = new PhraseIndex<string>();
    index.add('self harm', 'a');
    index.add('breast cancer', 'b');
    index.add('cancer', 'c');
    const text = 'History of self-harm; breast/cancer and cancers.';
    expect(index.find(text).map((h) => [text.slice(h.start, h.end), h.value])).toEqual([
      ['self-harm', 'a'],
      ['breast/cancer', 'b'],
      ['cancers', 'c'],
    ]);
  });
});
