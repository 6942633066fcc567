/**
 * The command table: one module a command. Adding a command is writing its
 * module and listing it here; the dispatcher and the help text follow.
 */
import type { Command } from '../command';
import { auditCommand } from './audit';
import { backupCommand } from './backup';
import { checkTlsCommand } from './check-tls';
import { keysCommand } from './keys';
import { manifestCommand } from './manifest';
import { outboxCommand } from './outbox';
import { restoreCommand } from './restore';
import { scanCommand } from './scan';
import { serveCommand } from './serve';

export const COMMANDS: readonly Command[] = [
  serveCommand,
  scanCommand,
  checkTlsCommand,
  manifestCommand,
  keysCommand,
  auditCommand,
  outboxCommand,
  backupCommand,
  restoreCommand,
];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
