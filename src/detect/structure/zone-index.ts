import type { Zone } from './zone';

/**
 * The zones of one text, at most one claiming any character: readers are
 * asked in order of how much their structure says (an X12 qualifier before a
 * table header before a "Key: value" line), and a later zone that overlaps an
 * earlier one is dropped.
 */
/** Past this many zones, claimed characters are kept as flags. */
const FLAGS_FROM = 16;

export class ZoneIndex {
  // Fields are declared and set in the constructor: the ES2016 bundle turns
  // initialised fields into defineProperty calls, a cost on every field scanned.
  declare private readonly zones: Zone[];
  /**
   * One flag per character claimed, made once the zones are many: until
   * then a zone is checked against each taken one, which spares most texts
   * (a few "Key: value" lines) the array.
   */
  declare private claimed: Uint8Array | undefined;
  declare private readonly length: number;

  constructor(length: number) {
    this.zones = [];
    this.claimed = undefined;
    this.length = length;
  }

  /** Adds the zones that overlap none already taken. */
  addAll(zones: readonly Zone[]): void {
    for (const z of zones) {
      if (z.end <= z.start) continue;
      // Only characters of the text can be claimed.
      if (z.start < 0 || z.end > this.length) continue;
      if (this.claimed === undefined && this.zones.length >= FLAGS_FROM) {
        this.claimed = new Uint8Array(this.length);
        for (const taken of this.zones) this.claimed.fill(1, taken.start, taken.end);
      }
      if (!this.isFree(z.start, z.end)) continue;
      if (this.claimed !== undefined) this.claimed.fill(1, z.start, z.end);
      this.zones.push(z);
    }
  }

  private isFree(start: number, end: number): boolean {
    const claimed = this.claimed;
    if (claimed !== undefined) {
      for (let i = start; i < end; i++) if (claimed[i] !== 0) return false;
      return true;
    }
    for (const taken of this.zones) if (taken.start < end && start < taken.end) return false;
    return true;
  }

  /** Sorts the zones by position; call once after the last `addAll`. */
  seal(): this {
    this.zones.sort((a, b) => a.start - b.start);
    return this;
  }

  get size(): number {
    return this.zones.length;
  }

  all(): readonly Zone[] {
    return this.zones;
  }

  /** The zone holding all of `[start, end)`, if one does. */
  containing(start: number, end: number): Zone | undefined {
    const zones = this.zones;
    let lo = 0;
    let hi = zones.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (zones[mid]!.start <= start) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    const z = found >= 0 ? zones[found] : undefined;
    return z !== undefined && end <= z.end ? z : undefined;
  }
}
