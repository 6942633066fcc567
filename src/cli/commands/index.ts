/**
 * The command table: one module a command. Adding a command is writing its
 * module and listing it here; the dispatcher and the help text follow.
 */
import type { Command } from '../command';
import { scanCommand } from './scan';

export const COMMANDS: readonly Command[] = [scanCommand];

export function findCommand(name: string): Command | undefined {
  return COMMANDS.find((c) => c.name === name);
}
