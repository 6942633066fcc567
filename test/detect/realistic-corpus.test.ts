/**
 * The engine on mail shaped the way health plans really send it (tables
 * pasted from Excel and Word, fixed-width reports, delimited rows, X12, HL7,
 * FHIR, Spanish, unusual spellings, look-alikes and attachments); see
 * scripts/corpus/generate.ts. These are the targets the engine is held to;
 * `npm run eval -- test/fixtures/corpus/realistic.jsonl --errors` shows
 * where it falls short, kind by kind.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  evaluateCorpus,
  f1,
  formatEvaluation,
  parseCorpus,
  precision,
  recall,
  type Evaluation,
} from '../../src/cli/evaluate';

const CORPUS = resolve(import.meta.dirname, '../fixtures/corpus/realistic.jsonl');

const KINDS = [
  'excel-table',
  'word-table',
  'fixed-width',
  'delimited',
  'key-value',
  'x12',
  'hl7',
  'fhir',
  'spanish',
  'surface',
  'lookalike',
  'attachment',
];

describe('engine on the realistic corpus', () => {
  const rows = existsSync(CORPUS) ? parseCorpus(readFileSync(CORPUS, 'utf8')) : [];
  let result: Evaluation;
  beforeAll(async () => {
    result = await evaluateCorpus(rows, { baseDir: dirname(CORPUS) });
  }, 120_000);

  it('holds at least 700 messages of every kind, about half of them sensitive', () => {
    expect(rows.length).toBeGreaterThanOrEqual(700);
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(KINDS));
    const share = rows.filter((r) => r.sensitive).length / rows.length;
    expect(share).toBeGreaterThan(0.4);
    expect(share).toBeLessThan(0.6);
  });

  it('labels consistently: sensitive exactly when there are entities, every attachment on disk', () => {
    for (const r of rows) {
      expect(r.sensitive, r.id).toBe(r.entities.length > 0);
      for (const a of r.attachments ?? [])
        expect(existsSync(resolve(dirname(CORPUS), a.path)), a.path).toBe(true);
    }
  });

  it('catches at least 98% of sensitive messages', () => {
    expect(recall(result.messages), formatEvaluation(result, false)).toBeGreaterThanOrEqual(0.98);
  });

  it('flags clean messages rarely: message precision at least 0.97', () => {
    expect(precision(result.messages), formatEvaluation(result, false)).toBeGreaterThanOrEqual(0.97);
  });

  it('reaches entity F1 of at least 0.92', () => {
    expect(f1(result.entities), formatEvaluation(result, false)).toBeGreaterThanOrEqual(0.92);
  });
});
