/**
 * What the structure readers' tests compare: each zone as the exact text it
 * covers and the types it states, and a timer for the hostile inputs.
 */
import { expect } from 'vitest';
import type { EntityType } from '../../../src/shared/entities';
import type { Zone } from '../../../src/detect/structure/zone';

/** A zone as `[covered text, types]`. */
export type Seen = readonly [string, readonly EntityType[]];

export function seen(text: string, zones: readonly Zone[]): Seen[] {
  return zones.map((z) => [text.slice(z.start, z.end), z.types] as const);
}

/** The zones that name a type, in order of appearance. */
export function typed(text: string, zones: readonly Zone[]): Seen[] {
  return seen(
    text,
    [...zones].sort((a, b) => a.start - b.start).filter((z) => z.types.length > 0),
  );
}

/** Asserts that every value is covered by a zone that says it is not an identifier. */
export function expectUntyped(text: string, zones: readonly Zone[], values: readonly string[]): void {
  const untyped = seen(text, zones)
    .filter(([, types]) => types.length === 0)
    .map(([value]) => value);
  for (const v of values) expect(untyped, `untyped zone over '${v}'`).toContain(v);
}

/** The zone over exactly `value` (its first occurrence after `from`). */
export function zoneOver(text: string, zones: readonly Zone[], value: string, from = 0): Zone | undefined {
  const at = text.indexOf(value, from);
  return zones.find((z) => z.start === at && z.end === at + value.length);
}

/**
 * Milliseconds of the fastest of three runs: a busy machine slows a run now
 * and then, a super-linear reader slows all of them.
 */
export function bestOfThree(run: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    run();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export { ONE_MB, fill } from '../adversarial';
