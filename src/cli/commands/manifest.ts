import type { Command } from '../command';
import { UsageError } from '../command';

/** `secure-envelope manifest --url <https-origin> [--id <guid>] --out <dir>`. */
export const manifestCommand: Command = {
  name: 'manifest',
  summary: "write the add-in manifest (XML and unified JSON) for an admin's host",
  usage: 'usage: secure-envelope manifest --url https://addin.example.org [--id <guid>] --out <dir>',
  run: () => Promise.reject(new UsageError('not available yet')),
};
