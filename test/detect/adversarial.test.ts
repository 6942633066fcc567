/**
 * The engine on 1 MB hostile inputs (see adversarial.ts): it must not crash,
 * must report offsets inside the raw input, must give the same answer twice,
 * and must still find a planted identifier at its exact raw range.
 *
 * How fast it is belongs to `npm run bench:detect`. These tests only guard
 * against catastrophic growth: before the 1 MB scan, each input is scanned at
 * 128 KB and 256 KB, and the test fails at once when the time grows well
 * beyond twice, or when even linear growth would put 1 MB past Outlook's 5 s.
 * That check stands in for the test timeout, which cannot stop a synchronous
 * scan: a quadratic scan of 1 MB would run for minutes before being reported.
 * The 1 MB scan itself must also finish inside those 5 s.
 */
import { describe, expect, it } from 'vitest';
import { scanMessage, scanText } from '../../src/detect/index';
import { ENTITY_TYPES, KEYWORD_TYPE, PHI_TYPE, type Finding } from '../../src/shared/entities';
import { ADVERSARIAL_INPUTS, ONE_MB, type AdversarialInput, type InputKind } from './adversarial';

/** Last-resort limit per test; the growth check normally fails long before it. */
const TEST_TIMEOUT_MS = 20_000;
/** Outlook's limit for the whole on-send decision: a scan past it is catastrophic, not merely slow. */
const OUTLOOK_LIMIT_MS = 5000;
/** Doubling the input should about double the time; more than this ratio is super-linear. */
const MAX_GROWTH = 3;
/** Below this, timings are too small and noisy to judge growth by. */
const NOISE_FLOOR_MS = 50;
/** A quarter of the input must take under a quarter of Outlook's limit. */
const QUARTER_LIMIT_MS = OUTLOOK_LIMIT_MS / 4;

const KNOWN_TYPES = new Set<string>([...ENTITY_TYPES, KEYWORD_TYPE, PHI_TYPE]);

function timeScan(raw: string, kind: InputKind): number {
  const t0 = performance.now();
  scanText(raw, kind);
  return performance.now() - t0;
}

/** Why scanning 1 MB of this input would be catastrophic, or undefined. */
function catastrophe(small: number, large: number): string | undefined {
  const figures = `${small.toFixed(0)} ms at 128 KB, ${large.toFixed(0)} ms at 256 KB`;
  if (large > QUARTER_LIMIT_MS) return `1 MB would take over 5 s: ${figures}`;
  if (large > NOISE_FLOOR_MS && large / small > MAX_GROWTH) return `super-linear: ${figures}`;
  return undefined;
}

/**
 * Scans at 128 KB and 256 KB, the faster of two runs each after a warm-up run.
 * A busy machine can stretch one measurement, so a problem must show in each
 * of three rounds: real super-linear growth does, a stalled moment does not.
 */
function growthProblem(input: AdversarialInput, kind: InputKind): string | undefined {
  const smallRaw = input.build(ONE_MB / 8);
  const largeRaw = input.build(ONE_MB / 4);
  scanText(smallRaw, kind);
  let problem: string | undefined;
  for (let round = 0; round < 3; round++) {
    const small = Math.min(timeScan(smallRaw, kind), timeScan(smallRaw, kind));
    const large = Math.min(timeScan(largeRaw, kind), timeScan(largeRaw, kind));
    problem = catastrophe(small, large);
    if (problem === undefined) return undefined;
  }
  return problem;
}

/** What is wrong with a finding's shape, or undefined. */
function badShape(f: Finding, length: number): string | undefined {
  if (!Number.isInteger(f.start) || !Number.isInteger(f.end)) return 'non-integer offsets';
  if (f.start < 0 || f.end > length) return `outside [0, ${length}]`;
  if (f.start >= f.end) return 'start not before end';
  if (f.field !== 'body') return `field ${f.field}`;
  if (!KNOWN_TYPES.has(f.type)) return `unknown type ${f.type}`;
  if (!(f.score >= 0 && f.score <= 1)) return `score ${f.score}`;
  const p = f.person;
  if (p !== undefined && (p.start < 0 || p.end > length || p.start >= p.end))
    return 'person outside the field';
  return undefined;
}

describe('engine on 1 MB adversarial inputs', () => {
  for (const input of ADVERSARIAL_INPUTS) {
    describe(input.name, () => {
      for (const kind of input.kinds) {
        it(
          `as ${kind}`,
          async () => {
            // Each test is seconds of synchronous work: let the worker's event
            // loop turn first, so its messages to the runner are answered in
            // time (a minute of tests chained without a turn times them out).
            await new Promise((resolve) => setImmediate(resolve));
            expect(growthProblem(input, kind)).toBeUndefined();

            const raw = input.build(ONE_MB);
            expect(raw).toHaveLength(ONE_MB);
            const t0 = performance.now();
            const first = scanMessage({ body: raw, bodyType: kind }).findings;
            const ms = performance.now() - t0;
            expect(ms, `1 MB took ${ms.toFixed(0)} ms, past Outlook's 5 s`).toBeLessThan(OUTLOOK_LIMIT_MS);
            const second = scanText(raw, kind);
            expect(second, 'the same answer on a second run').toEqual(first);

            const problems = first
              .map((f) => ({ f, problem: badShape(f, raw.length) }))
              .filter((p) => p.problem !== undefined);
            expect(problems.slice(0, 5)).toEqual([]);

            const planted = input.planted;
            if (planted?.kinds.includes(kind)) {
              const start = raw.indexOf(planted.raw);
              expect(start, 'the planted identifier occurs once').toBe(raw.lastIndexOf(planted.raw));
              expect(first).toContainEqual(
                expect.objectContaining({ type: planted.type, start, end: start + planted.raw.length }),
              );
            }
          },
          TEST_TIMEOUT_MS,
        );
      }
    });
  }
});
