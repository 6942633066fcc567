/**
 * Runs dist/commands.js the way classic Outlook's JavaScript-only runtime
 * does: one script in a bare context with no window, document, location,
 * localStorage or module system, only Office, timers and fetch.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { createFakeOffice, type FakeMailbox, type FakeOffice } from '../../src/addin/office/fake-office';
import { configPrelude } from '../../src/server/routes/addin-files';

export const COMMANDS_BUNDLE = resolve(import.meta.dirname, '../../dist/commands.js');

export function commandsSource(): string {
  try {
    return readFileSync(COMMANDS_BUNDLE, 'utf8');
  } catch {
    throw new Error('dist/commands.js is missing: run `npm run build` first');
  }
}

export function runCommandsBundle(
  mailbox: FakeMailbox,
  fetchFn: typeof fetch,
  config: Record<string, unknown>,
): { fake: FakeOffice; globals: Record<string, unknown> } {
  const fake = createFakeOffice(mailbox);
  const globals: Record<string, unknown> = {
    Office: fake.office,
    setTimeout,
    clearTimeout,
    fetch: fetchFn,
    console,
  };
  createContext(globals);
  runInContext(configPrelude(config) + commandsSource(), globals, { filename: 'commands.js' });
  return { fake, globals };
}
