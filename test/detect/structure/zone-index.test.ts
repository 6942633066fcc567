import { describe, expect, it } from 'vitest';
import { ZoneIndex } from '../../../src/detect/structure/zone-index';
import type { Zone } from '../../../src/detect/structure/zone';

function zone(start: number, end: number): Zone {
  return { start, end, types: [], label: `${start}-${end}` };
}

function kept(length: number, batches: Zone[][]): string[] {
  const index = new ZoneIndex(length);
  for (const b of batches) index.addAll(b);
  return index
    .seal()
    .all()
    .map((z) => z.label);
}

describe('ZoneIndex', () => {
  it('keeps the first of overlapping zones, and drops empty ones and ones outside the text', () => {
    expect(
      kept(20, [
        [zone(5, 10), zone(8, 12), zone(3, 3)],
        [zone(10, 12), zone(0, 5), zone(18, 21)],
      ]),
    ).toEqual(['0-5', '5-10', '10-12']);
  });

  it('judges overlaps alike before and after it keeps flags for many zones', () => {
    // Forty zones of two characters with gaps, then zones that each overlap one of them or fit a gap.
    const many: Zone[] = [];
    for (let i = 0; i < 40; i++) many.push(zone(i * 3, i * 3 + 2));
    const later = [zone(1, 3), zone(2, 3), zone(59, 60), zone(62, 63), zone(119, 121), zone(116, 118)];
    const labels = kept(120, [many, later]);
    expect(labels).toHaveLength(43);
    expect(labels).toContain('2-3');
    expect(labels).toContain('59-60');
    expect(labels).toContain('62-63');
    expect(labels).not.toContain('1-3');
    expect(labels).not.toContain('116-118');
    expect(labels).not.toContain('119-121');
  });

  it('finds the zone holding a range', () => {
    const index = new ZoneIndex(30);
    index.addAll([zone(20, 25), zone(2, 8)]);
    index.seal();
    expect(index.containing(3, 7)?.label).toBe('2-8');
    expect(index.containing(7, 9)).toBeUndefined();
    expect(index.containing(20, 25)?.label).toBe('20-25');
  });
});
