/**
 * Measures the detection engine against a labelled corpus (one JSON object a
 * line: {id, kind?, subject, body, bodyType, sensitive, entities,
 * attachments?, phi?, categories?, spans?}) and prints precision, recall and
 * F1 per entity type and per kind of message, and message-level recall and
 * precision. When messages carry a `phi` label (PHI written in prose), a PHI
 * section follows: message-level recall and precision per kind (language),
 * recall per health category (that category reported, or any PHI reported),
 * false alarms per category on messages without PHI, and how many labelled
 * person and health spans the findings cover.
 *
 *   npm run eval -- ../shared/corpus/dev.jsonl [--errors]
 *   npm run eval -- test/fixtures/corpus/realistic.jsonl --kind x12 --errors
 *   npm run eval -- test/fixtures/corpus/prose-phi.jsonl --kind prose-es --errors
 *
 * Attachment paths are relative to the corpus file; their text is extracted
 * as the add-in would before the engine scans it.
 */
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { evaluateCorpus, formatEvaluation, parseCorpus } from '../src/cli/evaluate';

const USAGE = 'usage: npm run eval -- <corpus.jsonl> [--errors] [--kind KIND]';
const args = process.argv.slice(2);
let file: string | undefined;
let kind: string | undefined;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === '--kind') kind = args[++i];
  else if (a.startsWith('--kind=')) kind = a.slice('--kind='.length);
  else if (a === '--errors') continue;
  else if (a.startsWith('--')) {
    console.error(`unknown option ${a}\n${USAGE}`);
    process.exit(2);
  } else file = a;
}
if (file === undefined || (args.includes('--kind') && kind === undefined)) {
  console.error(USAGE);
  process.exit(2);
}
let rows = parseCorpus(readFileSync(file, 'utf8'));
if (kind !== undefined) {
  const k = kind;
  rows = rows.filter((r) => r.kind === k);
  if (rows.length === 0) {
    console.error(`no message of kind ${k} in ${file}`);
    process.exit(2);
  }
}
const result = await evaluateCorpus(rows, { baseDir: dirname(file) });
console.log(formatEvaluation(result, args.includes('--errors')));
