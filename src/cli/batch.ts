/**
 * The batch contract of `scan --jsonl`: one message a line in,
 * `{id, sensitive, findings}` a line out, in the same order. Read line by line
 * so a corpus of any size streams through in constant memory. A bad line is
 * reported on stderr with its number and skipped; the rest still runs.
 */
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { scanMessage, type ScanResult } from '../detect/index';
import type { DetectionPolicy } from '../shared/detection-policy';
import type { Output } from './output';
import { describeIssues } from './issues';

const batchLineSchema = z.object({
  id: z.union([z.string(), z.number()], {
    error: (issue) => (issue.input === undefined ? 'missing' : 'expected a string or a number'),
  }),
  subject: z.string().nullish(),
  body: z.string().nullish(),
  bodyType: z.enum(['text', 'html']).default('text'),
  attachments: z
    .array(z.object({ name: z.string(), contentType: z.string().optional(), text: z.string().optional() }))
    .optional(),
});

export interface BatchSummary {
  scanned: number;
  failed: number;
}

export async function scanJsonl(
  input: NodeJS.ReadableStream,
  policy: DetectionPolicy,
  stdout: Output,
  reportError: (message: string) => Promise<void>,
): Promise<BatchSummary> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  const summary: BatchSummary = { scanned: 0, failed: 0 };
  let lineNumber = 0;
  for await (const raw of lines) {
    lineNumber++;
    // Windows tools often start a UTF-8 file with a byte order mark.
    const line = lineNumber === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
    if (line.trim() === '') continue;
    const problem = await scanLine(line, policy, stdout);
    if (problem === undefined) {
      summary.scanned++;
    } else {
      summary.failed++;
      await reportError(`line ${lineNumber}: ${problem}`);
    }
  }
  return summary;
}

/** Scans one line and writes its result; returns what was wrong with the line, if anything. */
async function scanLine(line: string, policy: DetectionPolicy, stdout: Output): Promise<string | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch (err) {
    // Not the parser's message: recent V8 quotes the input in it, and the input may be PHI.
    const at = err instanceof Error ? /position (\d+)/.exec(err.message)?.[1] : undefined;
    return `not valid JSON${at === undefined ? '' : ` (at column ${Number(at) + 1})`}`;
  }
  const parsed = batchLineSchema.safeParse(data);
  if (!parsed.success) return describeIssues(parsed.error.issues);
  const { id, subject, body, bodyType, attachments } = parsed.data;
  let result: ScanResult;
  try {
    result = scanMessage(
      { subject: subject ?? undefined, body: body ?? undefined, bodyType, attachments },
      policy,
    );
  } catch (err) {
    // An engine bug on one message should not cost the rest of the batch its results.
    return `scan failed for id ${JSON.stringify(id)}: ${err instanceof Error ? err.message : String(err)}`;
  }
  await stdout.line(JSON.stringify({ id, sensitive: result.sensitive, findings: result.findings }));
  return undefined;
}
