/**
 * Text prepared for scanning, with a map back to the raw field it came from.
 *
 * Recognizers run over `text`; findings must point into the raw field (the
 * subject, the HTML source, the attachment text), so every piece of `text`
 * remembers the raw range it came from. The map is a list of segments rather
 * than one entry per character: a run of characters that map one-to-one (the
 * common case) is a single segment, so building it costs little and a lookup
 * is a binary search.
 */
export interface MappedText {
  readonly text: string;
  /** Raw range `[start, end)` covering normalised range `[start, end)`. */
  toRaw(start: number, end: number): [number, number];
}

/** Segment flag: each normalised character stands for exactly one raw code unit. */
const ONE_TO_ONE = 1;
/** Segment flag: the whole normalised run stands for the whole raw range. */
const BLOCK = 0;

export class MappedTextBuilder {
  // Fields are declared and set in the constructor: the ES2016 bundle turns
  // initialised fields into defineProperty calls, a cost on every field scanned.
  declare private readonly parts: string[];
  declare private length: number;
  declare private last: string;
  // Flattened segments: normStart, rawStart, rawEnd, kind.
  declare private readonly segs: number[];

  constructor() {
    this.parts = [];
    this.length = 0;
    this.last = '';
    this.segs = [];
  }

  /** Appends `text` where each code unit stands for the raw unit at the same position from `rawStart`. */
  appendOneToOne(text: string, rawStart: number): void {
    if (text.length === 0) return;
    const segs = this.segs;
    const n = segs.length;
    // Extend the previous segment when this run continues it exactly.
    if (
      n > 0 &&
      segs[n - 1] === ONE_TO_ONE &&
      segs[n - 2] === rawStart &&
      segs[n - 4]! + (segs[n - 2]! - segs[n - 3]!) === this.length
    ) {
      segs[n - 2] = rawStart + text.length;
    } else {
      segs.push(this.length, rawStart, rawStart + text.length, ONE_TO_ONE);
    }
    this.parts.push(text);
    this.length += text.length;
    this.last = text.charAt(text.length - 1);
  }

  /** Appends `text` standing as a whole for raw range `[rawStart, rawEnd)` (an entity, an expansion). */
  appendBlock(text: string, rawStart: number, rawEnd: number): void {
    if (text.length === 0) return;
    if (text.length === rawEnd - rawStart) {
      this.appendOneToOne(text, rawStart);
      return;
    }
    this.segs.push(this.length, rawStart, rawEnd, BLOCK);
    this.parts.push(text);
    this.length += text.length;
    this.last = text.charAt(text.length - 1);
  }

  /** The last character appended, or '' when nothing was. */
  lastChar(): string {
    return this.last;
  }

  build(): MappedText {
    const text = this.parts.join('');
    const segs = this.segs.slice();
    return { text, toRaw: (start, end) => toRaw(segs, start, end) };
  }
}

/** The identity map, for raw text that needed no change. */
export function identityText(text: string): MappedText {
  return { text, toRaw: (start, end) => [start, end] };
}

function toRaw(segs: number[], start: number, end: number): [number, number] {
  const first = segmentAt(segs, start);
  const last = segmentAt(segs, end - 1);
  const rawStart =
    segs[first + 3] === ONE_TO_ONE ? segs[first + 1]! + (start - segs[first]!) : segs[first + 1]!;
  const rawEnd = segs[last + 3] === ONE_TO_ONE ? segs[last + 1]! + (end - segs[last]!) : segs[last + 2]!;
  return [rawStart, rawEnd];
}

/** Index (into the flattened array) of the segment holding normalised offset `pos`. */
function segmentAt(segs: number[], pos: number): number {
  let lo = 0;
  let hi = segs.length / 4 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segs[mid * 4]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo * 4;
}
