import type { Command } from '../command';
import { UsageError } from '../command';

/** `secure-envelope check-tls [--json] <domain>...`: the verdicts the API gives. */
export const checkTlsCommand: Command = {
  name: 'check-tls',
  summary: 'check whether mail domains take mail over verified TLS',
  usage: 'usage: secure-envelope check-tls [--json] <domain>...',
  run: () => Promise.reject(new UsageError('not available yet')),
};
