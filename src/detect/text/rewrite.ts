import type { MappedText } from './mapped-text';

/** Replace prepared text `[start, end)` with `text`. */
export interface Edit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * Prepared text with some ranges rewritten, still mapped to the raw field:
 * a finding inside a rewritten range points at the whole raw range it came
 * from. `edits` are sorted and do not overlap.
 */
export function rewrite(mapped: MappedText, edits: readonly Edit[]): MappedText {
  if (edits.length === 0) return mapped;
  const source = mapped.text;
  const parts: string[] = [];
  // Flattened pieces: newStart, oldStart, oldEnd, copied (1) or replaced (0).
  const pieces: number[] = [];
  let length = 0;
  let at = 0;
  const copy = (to: number): void => {
    if (to <= at) return;
    pieces.push(length, at, to, 1);
    parts.push(source.slice(at, to));
    length += to - at;
  };
  for (const e of edits) {
    copy(e.start);
    pieces.push(length, e.start, e.end, 0);
    parts.push(e.text);
    length += e.text.length;
    at = e.end;
  }
  copy(source.length);
  const text = parts.join('');
  const toOld = (pos: number, isEnd: boolean): number => {
    let lo = 0;
    let hi = pieces.length / 4 - 1;
    // The last piece starting at or before pos (before it, for an end offset).
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      const s = pieces[mid * 4]!;
      if (isEnd ? s < pos : s <= pos) lo = mid;
      else hi = mid - 1;
    }
    const i = lo * 4;
    if (pieces[i + 3] === 1) return pieces[i + 1]! + (pos - pieces[i]!);
    return isEnd ? pieces[i + 2]! : pieces[i + 1]!;
  };
  return { text, toRaw: (start, end) => mapped.toRaw(toOld(start, false), toOld(end, true)) };
}
