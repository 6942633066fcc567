import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateCorpus, f1, parseCorpus, precision, recall, type Evaluation } from '../../src/cli/evaluate';

// The labelled development corpus lives beside the repository, in shared/.
const CORPUS = resolve(import.meta.dirname, '../../../shared/corpus/dev.jsonl');

describe('engine on the labelled development corpus', () => {
  it('finds the corpus', () => {
    expect(existsSync(CORPUS), `labelled corpus expected at ${CORPUS}`).toBe(true);
  });

  const rows = existsSync(CORPUS) ? parseCorpus(readFileSync(CORPUS, 'utf8')) : [];
  let result: Evaluation;
  beforeAll(async () => {
    result = await evaluateCorpus(rows);
  });

  it('holds 300 labelled messages', () => {
    expect(rows).toHaveLength(300);
  });

  it('catches at least 99% of sensitive messages', () => {
    expect(recall(result.messages)).toBeGreaterThanOrEqual(0.99);
  });

  it('flags clean messages rarely: message precision at least 0.98', () => {
    expect(precision(result.messages)).toBeGreaterThanOrEqual(0.98);
  });

  it('reaches entity F1 of at least 0.95', () => {
    expect(f1(result.entities)).toBeGreaterThanOrEqual(0.95);
  });
});
