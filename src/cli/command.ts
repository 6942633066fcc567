/**
 * What every `secure-envelope` command shares: its entry in the command table
 * and the errors it may throw. A thrown CliError becomes one line on stderr
 * and an exit code; anything else is a bug and is reported as one.
 */
import type { Output } from './output';

export interface CommandContext {
  /** Results go here, so they can be piped. */
  stdout: Output;
  /** Errors and diagnostics go here, one line each. */
  stderr: Output;
  stdin: NodeJS.ReadableStream;
}

export interface Command {
  name: string;
  /** One line for the command list in `secure-envelope help`. */
  summary: string;
  /** The full help text of the command. */
  usage: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: readonly string[], context: CommandContext): Promise<number>;
}

/** A failure the user can fix; the message is shown as is, prefixed with the command. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** Wrong arguments or unusable input: exit code 2, as is usual for command-line tools. */
export class UsageError extends CliError {
  constructor(
    message: string,
    /** Whether to point at `--help`: right for a wrong flag, noise for a missing file. */
    readonly hintUsage = false,
  ) {
    super(message, 2);
    this.name = 'UsageError';
  }
}
