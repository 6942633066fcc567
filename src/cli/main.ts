/**
 * `secure-envelope <command>`: finds the command in the table and runs it.
 * Results go to stdout, errors to stderr as one line each; a stack trace is
 * never shown, because the person reading it is an admin, not a developer.
 */
import { readFileSync } from 'node:fs';
import { CliError, UsageError, type CommandContext } from './command';
import { COMMANDS, findCommand } from './commands/index';
import { streamOutput } from './output';

/** Exit code for bad usage, as is usual for command-line tools. */
const USAGE_EXIT = 2;

function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: secure-envelope <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "Run 'secure-envelope help <command>' or 'secure-envelope <command> --help' for a command's options.",
    "'secure-envelope --version' prints the version.",
  ].join('\n');
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

export async function main(argv: readonly string[], context: CommandContext): Promise<number> {
  const [first, ...rest] = argv;
  const fail = async (message: string): Promise<number> => {
    await context.stderr.line(`secure-envelope: ${message}`);
    return USAGE_EXIT;
  };
  if (first === undefined) {
    await context.stderr.line(generalHelp());
    return USAGE_EXIT;
  }
  if (first === '--version' || first === '-V') {
    await context.stdout.line(`secure-envelope ${version()}`);
    return 0;
  }
  if (first === 'help' || first === '--help' || first === '-h') {
    if (rest[0] === undefined) {
      await context.stdout.line(generalHelp());
      return 0;
    }
    const command = findCommand(rest[0]);
    if (command === undefined)
      return fail(`unknown command '${rest[0]}' (run 'secure-envelope help' for the list)`);
    await context.stdout.line(command.usage);
    return 0;
  }
  if (first.startsWith('-')) return fail(`unknown option '${first}' (run 'secure-envelope help' for usage)`);
  const command = findCommand(first);
  if (command === undefined)
    return fail(`unknown command '${first}' (run 'secure-envelope help' for the list)`);
  // Every command's help is its usage text, shown here: the commands need not handle the flag.
  if (rest.includes('--help') || rest.includes('-h')) {
    await context.stdout.line(command.usage);
    return 0;
  }
  try {
    return await command.run(rest, context);
  } catch (err) {
    if (err instanceof CliError) {
      const hint =
        err instanceof UsageError && err.hintUsage
          ? ` (run 'secure-envelope ${command.name} --help' for usage)`
          : '';
      await context.stderr.line(`secure-envelope ${command.name}: ${err.message}${hint}`);
      return err.exitCode;
    }
    // A bug, not a usage problem: one line still, but say so.
    const message = err instanceof Error ? err.message : String(err);
    await context.stderr.line(`secure-envelope ${command.name}: internal error: ${message}`);
    return 1;
  }
}

// A reader that goes away (`| head`) is not an error worth a trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});

process.exitCode = await main(process.argv.slice(2), {
  stdout: streamOutput(process.stdout),
  stderr: streamOutput(process.stderr),
  stdin: process.stdin,
});
