/**
 * Measures the detection engine against a labelled corpus (one JSON object a
 * line: {id, subject, body, bodyType, sensitive, entities}) and prints
 * per-type precision, recall and F1 and message-level figures.
 *
 *   npm run eval -- ../shared/corpus/dev.jsonl [--errors]
 */
import { readFileSync } from 'node:fs';
import { evaluateCorpus, formatEvaluation, parseCorpus } from '../src/cli/evaluate';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (file === undefined) {
  console.error('usage: npm run eval -- <corpus.jsonl> [--errors]');
  process.exit(2);
}
const rows = parseCorpus(readFileSync(file, 'utf8'));
const result = evaluateCorpus(rows);
console.log(formatEvaluation(result, args.includes('--errors')));
