/**
 * Command-line flags through node:util parseArgs, with our own one-line
 * messages: parseArgs' own wording is long and suggests `--` tricks that
 * do not help here.
 */
import { parseArgs } from 'node:util';
import { UsageError } from './command';

export interface FlagSpec {
  type: 'boolean' | 'string';
}

export interface ParsedArgs {
  flags: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export function parseFlags(args: readonly string[], spec: Record<string, FlagSpec>): ParsedArgs {
  const { tokens } = parseArgs({
    args: [...args],
    options: spec,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const flags: ParsedArgs['flags'] = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
    } else if (token.kind === 'option') {
      const known = Object.hasOwn(spec, token.name) ? spec[token.name] : undefined;
      if (known === undefined) throw new UsageError(`unknown option '${token.rawName}'`, true);
      if (known.type === 'string') {
        // `--policy --json` means a forgotten value, not a file named "--json".
        const missing =
          token.value === undefined ||
          token.value === '' ||
          (!token.inlineValue && token.value.startsWith('-') && token.value !== '-');
        if (missing) {
          throw new UsageError(`option '${token.rawName}' needs a value`, true);
        }
        flags[token.name] = token.value;
      } else {
        if (token.inlineValue === true)
          throw new UsageError(`option '${token.rawName}' takes no value`, true);
        flags[token.name] = true;
      }
    }
  }
  return { flags, positionals };
}
