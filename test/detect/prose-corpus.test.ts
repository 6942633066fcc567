/**
 * The engine on PHI written in prose: a named person (or one known by an
 * identifier) with something about their health, care or payment for care,
 * against hard negatives (health words with no individual, individuals with
 * no health information, clinicians named beside their specialty, names that
 * are places or words). See scripts/corpus/prose/generate.ts;
 * `npm run eval -- test/fixtures/corpus/prose-phi.jsonl --errors` shows the
 * misses and false alarms, per category and language.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  evaluateCorpus,
  formatEvaluation,
  parseCorpus,
  precision,
  recall,
  type EvaluateOptions,
  type Evaluation,
  type LabelledMessage,
} from '../../src/cli/evaluate';
import { HEALTH_CATEGORIES, type Finding } from '../../src/shared/entities';
import { buildProseCorpus, SEED } from '../../scripts/corpus/prose/generate';

const CORPUS = resolve(import.meta.dirname, '../fixtures/corpus/prose-phi.jsonl');
const text = existsSync(CORPUS) ? readFileSync(CORPUS, 'utf8') : '';
const rows = text === '' ? [] : parseCorpus(text);

/** A stand-in engine that reports exactly the labelled PHI (or nothing), plus any `extra` findings. */
function fakeEngine(
  corpus: readonly LabelledMessage[],
  how: 'labels' | 'nothing',
  extra: (row: LabelledMessage) => Finding[] = () => [],
): NonNullable<EvaluateOptions['scan']> {
  return (message) => {
    const row = corpus.find((r) => r.subject === message.subject && r.body === message.body);
    if (!row) throw new Error('message not in the corpus');
    if (how === 'nothing') return { findings: extra(row) };
    const spans = row.spans ?? [];
    const persons = spans.filter((s) => s.role === 'person');
    // One finding per health span and person, so every labelled half is covered.
    const findings: Finding[] = spans
      .filter((s) => s.role === 'health')
      .flatMap((s) =>
        persons.map((p) => ({
          type: 'PHI' as const,
          field: s.field,
          start: s.start,
          end: s.end,
          score: 0.9,
          rule: 'PHI/test',
          explanation: 'test',
          category: s.category,
          person: { field: p.field, start: p.start, end: p.end },
        })),
      );
    return { findings: [...findings, ...extra(row)] };
  };
}

describe('the prose PHI corpus', () => {
  it('holds at least 500 messages, half with PHI, about a quarter in Spanish, text and HTML', () => {
    expect(rows.length).toBeGreaterThanOrEqual(500);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['prose-en', 'prose-es']));
    const share = (f: (r: LabelledMessage) => boolean): number => rows.filter(f).length / rows.length;
    expect(share((r) => r.phi === true)).toBeGreaterThan(0.45);
    expect(share((r) => r.phi === true)).toBeLessThan(0.55);
    expect(share((r) => r.kind === 'prose-es')).toBeGreaterThan(0.2);
    expect(share((r) => r.kind === 'prose-es')).toBeLessThan(0.3);
    expect(share((r) => r.bodyType === 'html')).toBeGreaterThan(0.3);
    expect(share((r) => r.bodyType === 'text')).toBeGreaterThan(0.3);
  });

  it('covers every health category in both languages', () => {
    for (const c of HEALTH_CATEGORIES) {
      const withIt = (kind: string): number =>
        rows.filter((r) => r.kind === kind && r.phi && r.categories?.includes(c)).length;
      expect(withIt('prose-en'), c).toBeGreaterThanOrEqual(15);
      expect(withIt('prose-es'), c).toBeGreaterThanOrEqual(5);
    }
  });

  it('labels consistently: a person and health information in every positive, nothing in a negative', () => {
    for (const r of rows) {
      expect(r.sensitive, r.id).toBe(r.phi);
      const spans = r.spans ?? [];
      if (r.phi) {
        expect(
          spans.some((s) => s.role === 'person'),
          r.id,
        ).toBe(true);
        expect(
          spans.some((s) => s.role === 'health'),
          r.id,
        ).toBe(true);
      } else {
        expect(spans, r.id).toEqual([]);
        expect(r.entities, r.id).toEqual([]);
      }
      const cats = HEALTH_CATEGORIES.filter((c) => spans.some((s) => s.category === c));
      expect(r.categories, r.id).toEqual(cats);
      for (const s of spans) {
        const field = s.field === 'subject' ? r.subject : r.body;
        expect(s.start, r.id).toBeGreaterThanOrEqual(0);
        expect(s.end, r.id).toBeLessThanOrEqual(field.length);
        expect(s.end, r.id).toBeGreaterThan(s.start);
        if (s.role === 'health') expect(HEALTH_CATEGORIES, r.id).toContain(s.category);
      }
    }
  });

  it('is what the generator writes for its seed', () => {
    const { rows: built } = buildProseCorpus(SEED);
    expect(built.map((r) => JSON.stringify(r)).join('\n') + '\n').toBe(text);
  });
});

describe('PHI scoring', () => {
  it('gives full marks to an engine that reports exactly the labelled PHI', async () => {
    const e = await evaluateCorpus(rows, { scan: fakeEngine(rows, 'labels') });
    expect(e.phi).toBeDefined();
    const phi = e.phi!;
    expect(recall(phi.messages)).toBe(1);
    expect(precision(phi.messages)).toBe(1);
    expect(phi.spans.health.found).toBe(phi.spans.health.labelled);
    expect(phi.spans.person.found).toBe(phi.spans.person.labelled);
    for (const c of HEALTH_CATEGORIES) {
      expect(phi.categories[c].found, c).toBe(phi.categories[c].positives);
      expect(phi.categories[c].falseAlarmMessages, c).toBe(0);
    }
    expect(Object.keys(phi.perKind).sort()).toEqual(['prose-en', 'prose-es']);
    expect(e.messages).toEqual(phi.messages);
    expect(formatEvaluation(e, false)).toContain('PHI IN PROSE');
  });

  it('counts a miss, a category found under another name, and a false alarm', async () => {
    const positive = rows.find((r) => r.phi && r.categories?.length === 1)!;
    const negative = rows.find((r) => !r.phi)!;
    const cat = positive.categories![0]!;
    const other = HEALTH_CATEGORIES.find((c) => c !== cat)!;
    const some = [positive, negative];
    const wrongCategory = fakeEngine(some, 'nothing', (row) =>
      row === positive
        ? [
            {
              type: 'PHI',
              field: 'body',
              start: 0,
              end: 1,
              score: 0.9,
              rule: 'PHI/test',
              explanation: '',
              category: other,
            },
          ]
        : [
            {
              type: 'PHI',
              field: 'body',
              start: 0,
              end: 1,
              score: 0.9,
              rule: 'PHI/test',
              explanation: '',
              category: cat,
            },
          ],
    );
    const e = await evaluateCorpus(some, { scan: wrongCategory });
    expect(e.phi!.messages).toEqual({ tp: 1, fp: 1, fn: 0, tn: 0 });
    expect(e.phi!.categories[cat]).toMatchObject({
      positives: 1,
      found: 0,
      foundAny: 1,
      falseAlarmMessages: 1,
    });
    const none = await evaluateCorpus(some, { scan: fakeEngine(some, 'nothing') });
    expect(none.phi!.messages).toEqual({ tp: 0, fp: 0, fn: 1, tn: 1 });
    expect(none.errors.some((l) => l.startsWith(`${positive.id} missed PHI`))).toBe(true);
  });

  it('leaves identifier corpora alone: PHI findings there count for nothing', async () => {
    const plain: LabelledMessage = {
      id: 'plain-1',
      subject: 'Hello',
      body: 'Maria Gonzalez will cover the phones on Friday.',
      bodyType: 'text',
      sensitive: false,
      entities: [],
    };
    const e = await evaluateCorpus([plain], {
      scan: () => ({
        findings: [
          {
            type: 'PHI',
            field: 'body',
            start: 0,
            end: 5,
            score: 0.9,
            rule: 'PHI/test',
            explanation: '',
            category: 'care',
          },
        ],
      }),
    });
    expect(e.phi).toBeUndefined();
    expect(e.messages).toEqual({ tp: 0, fp: 0, fn: 0, tn: 1 });
    expect(e.entities).toEqual({ tp: 0, fp: 0, fn: 0 });
    expect(e.errors).toEqual([]);
  });
});

describe('engine on the prose PHI corpus', () => {
  let result: Evaluation;
  beforeAll(async () => {
    result = await evaluateCorpus(rows);
  }, 120_000);

  it('catches at least 95% of messages with PHI in prose', () => {
    expect(recall(result.phi!.messages), formatEvaluation(result, false)).toBeGreaterThanOrEqual(0.95);
  });

  it('flags messages without PHI rarely: PHI message precision at least 0.95', () => {
    expect(precision(result.phi!.messages), formatEvaluation(result, false)).toBeGreaterThanOrEqual(0.95);
  });
});
