/**
 * `secure-envelope scan`: runs the detection engine the add-in runs, on a
 * file or stdin, so an admin can check a message or a policy from a shell and
 * a script can scan a batch.
 */
import { scanMessage } from '../../detect/index';
import { DEFAULT_DETECTION_POLICY, type DetectionPolicy } from '../../shared/detection-policy';
import { parseFlags } from '../args';
import { scanJsonl } from '../batch';
import { UsageError, type Command, type CommandContext } from '../command';
import { assertPipedStdin, openForStreaming, readFileBytes, readStreamBytes } from '../input';
import { formatOf, loadMessage } from '../message-file';
import { loadPolicyFile } from '../policy-file';
import { buildReport, formatReadable } from '../report';

const USAGE = `usage: secure-envelope scan [FILE|-] [--json | --jsonl] [--policy FILE]

Scans a message for sensitive data with the same engine as the Outlook add-in.
FILE is a .txt, .html/.htm or .eml file (attachments included: PDF, Word,
Excel, PowerPoint, OpenDocument, RTF, CSV, ZIP, attached e-mails), or one such
document on its own (report.pdf, roster.xlsx), scanned as an attachment;
without FILE, or with -, reads stdin (the format is then recognised from the
content).

  --json           print one JSON object: {sensitive, findings, counts,
                   unscannedAttachments, attachments}; values are masked
  --jsonl          batch mode: read one JSON object a line,
                   {id, subject, body, bodyType}, and write one line a message,
                   {id, sensitive, findings}; a bad line is reported on stderr
                   and skipped, and the exit code is then 1
  --policy FILE    apply this detection policy (JSON) instead of the default
  -h, --help       show this help

Exit codes: 0 scanned (whatever the verdict), 1 some --jsonl lines failed,
2 bad arguments or unreadable input.`;

const FLAGS = {
  json: { type: 'boolean' },
  jsonl: { type: 'boolean' },
  policy: { type: 'string' },
} as const;

export const scanCommand: Command = {
  name: 'scan',
  summary: 'scan a message (.txt, .html, .eml), a document (.pdf, .xlsx, ...) or a JSONL batch',
  usage: USAGE,
  async run(args, context) {
    const { flags, positionals } = parseFlags(args, FLAGS);
    if (flags.json === true && flags.jsonl === true)
      throw new UsageError('--json and --jsonl cannot be combined', true);
    if (positionals.length > 1)
      throw new UsageError(`expected at most one FILE, got ${positionals.length}`, true);
    const file = positionals[0] === '-' ? undefined : positionals[0];
    const policy =
      typeof flags.policy === 'string' ? await loadPolicyFile(flags.policy) : DEFAULT_DETECTION_POLICY;
    if (flags.jsonl === true) return runBatch(file, policy, context);
    return runSingle(file, policy, flags.json === true, context);
  },
};

async function runSingle(
  file: string | undefined,
  policy: DetectionPolicy,
  asJson: boolean,
  context: CommandContext,
): Promise<number> {
  if (file === undefined) assertPipedStdin(context.stdin);
  const bytes = file === undefined ? await readStreamBytes(context.stdin) : await readFileBytes(file);
  const loaded = await loadMessage(
    bytes,
    formatOf(file, bytes),
    file === undefined ? 'stdin' : baseName(file),
  );
  const report = buildReport(loaded.message, scanMessage(loaded.message, policy), loaded.attachments);
  if (asJson) {
    await context.stdout.line(JSON.stringify(report, null, 2));
  } else {
    for (const line of formatReadable(report)) await context.stdout.line(line);
  }
  return 0;
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}

async function runBatch(
  file: string | undefined,
  policy: DetectionPolicy,
  context: CommandContext,
): Promise<number> {
  let input: NodeJS.ReadableStream;
  if (file === undefined) {
    assertPipedStdin(context.stdin);
    input = context.stdin;
  } else {
    input = await openForStreaming(file);
  }
  const summary = await scanJsonl(input, policy, context.stdout, (message) =>
    context.stderr.line(`secure-envelope scan: ${message}`),
  );
  return summary.failed > 0 ? 1 : 0;
}
