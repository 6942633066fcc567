/**
 * `secure-envelope check-tls`: the TLS verdicts the API gives, from a shell.
 * Same checker, same code path; it waits for each probe to finish (the API
 * answers at its deadline) and keeps nothing once it exits.
 */
import type { MxEvidence, TlsVerdict } from '../../shared/tls-verdict';
import { parseFlags } from '../args';
import { CliError, UsageError, type Command } from '../command';

const USAGE = `usage: secure-envelope check-tls [--json] <domain>...

Checks whether each mail domain takes mail over verified TLS: looks up its MX
hosts, connects to each on port 25, asks for STARTTLS and checks the
certificate (never sends a message), and reads its MTA-STS policy.

Levels, weakest first: unknown (could not tell: timeout, DNS failure), no-mail,
none (no STARTTLS or a failing handshake), opportunistic (TLS, but the
certificate is not trusted or does not name the host), verified (every
reachable MX: TLS 1.2+, trusted certificate naming it), mta-sts (verified and
enforced by an MTA-STS policy).

  --json       print {"results": [...]}, exactly as POST /v1/tls/check does
  -h, --help   show this help

Environment: SECURE_ENVELOPE_DNS_SERVERS (resolvers, host:port, comma-separated),
SECURE_ENVELOPE_EXTRA_CA (PEM file of extra trusted roots), SECURE_ENVELOPE_CONFIG
(config file: tlsCheck settings and the policy's TLS minimum and overrides).

Exit codes: 0 every domain got a verdict, 1 some are unknown, 2 bad arguments
or a name that is not a mail domain.`;

const FLAGS = {
  json: { type: 'boolean' },
} as const;

export function createCheckTlsCommand(env: NodeJS.ProcessEnv = process.env): Command {
  return {
    name: 'check-tls',
    summary: 'check whether mail domains take mail over verified TLS',
    usage: USAGE,
    async run(args, context) {
      const { flags, positionals } = parseFlags(args, FLAGS);
      if (positionals.length === 0) throw new UsageError('expected at least one domain', true);
      // The server's modules load only when a command needs them, so other commands start fast.
      const { loadConfig } = await import('../../server/config');
      const { normalizeDomains } = await import('../../server/tls-check/routes');
      const { createTlsChecker } = await import('../../server/tls-check/index');
      let config;
      try {
        config = loadConfig(env);
      } catch (e) {
        throw new CliError(e instanceof Error ? e.message : 'invalid configuration', 1);
      }
      let domains: string[];
      try {
        domains = normalizeDomains(positionals, config.tlsCheck.maxDomainsPerRequest);
      } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : 'not a mail domain');
      }
      let checker;
      try {
        checker = createTlsChecker(config, undefined);
      } catch (e) {
        throw new CliError(e instanceof Error ? e.message : 'cannot start the checker', 1);
      }
      try {
        const results = await checker.check(domains, { wait: true });
        if (flags.json === true) {
          await context.stdout.line(JSON.stringify({ results }, null, 2));
        } else {
          for (const [i, result] of results.entries()) {
            if (i > 0) await context.stdout.line('');
            for (const line of formatVerdict(result)) await context.stdout.line(line);
          }
        }
        return results.some((r) => r.level === 'unknown') ? 1 : 0;
      } finally {
        await checker.close();
      }
    },
  };
}

export const checkTlsCommand: Command = createCheckTlsCommand();

/** A verdict as a person reads it: the level first, then what each MX showed. */
export function formatVerdict(v: TlsVerdict): string[] {
  const lines = [`${v.domain}: ${v.level}`, `  ${v.detail.message}`];
  for (const mx of v.mx) lines.push(...formatMx(mx));
  const sts = v.detail.mtaSts;
  if (sts !== null) {
    const what =
      sts.status === 'valid'
        ? `policy ${sts.id ?? ''}, mode ${sts.mode ?? ''}, mx ${sts.mx.join(' ')}, max_age ${sts.maxAge ?? 0}` +
          (sts.coversMx === true ? ', covers every MX' : ', does NOT cover every MX')
        : sts.status;
    lines.push(`  MTA-STS      ${what}${sts.error !== null ? ` (${sts.error})` : ''}`);
  }
  const p = v.policy;
  const override = p.override !== null ? `, override: ${p.override}` : '';
  lines.push(
    `  policy       ${p.protected ? 'protected' : 'NOT protected'} (minimum ${p.minimumLevel}${override})`,
    `  checked      ${v.checkedAt}, holds until ${v.expiresAt}${v.detail.cached ? ' (cached)' : ''}`,
  );
  return lines;
}

function formatMx(mx: MxEvidence): string[] {
  const pref = mx.priority === null ? 'implicit' : `MX ${mx.priority}`;
  const lines = [`  ${pref} ${mx.host}${mx.address !== null ? ` [${mx.address}]` : ''}: ${mx.level}`];
  const row = (label: string, value: string): void => {
    lines.push(`      ${label.padEnd(12)} ${value}`);
  };
  if (mx.status !== 'probed') row('status', mx.status);
  if (mx.greeting !== null) row('greeting', mx.greeting);
  if (mx.starttls !== null) row('STARTTLS', mx.starttls ? 'offered' : 'not offered');
  if (mx.protocol !== null) row('TLS', `${mx.protocol}${mx.cipher !== null ? ` ${mx.cipher}` : ''}`);
  if (mx.certificate !== null) {
    row('subject', mx.certificate.subject);
    row('issuer', mx.certificate.issuer);
    if (mx.certificate.altNames.length > 0) row('names', mx.certificate.altNames.join(', '));
    row('valid', `${mx.certificate.validFrom} to ${mx.certificate.validTo}`);
  }
  if (mx.trusted !== null) {
    row(
      'trust',
      `${mx.trusted ? 'chains to a trusted CA' : 'not trusted'}, ` +
        (mx.nameMatches === true ? 'names the host' : 'does not name the host'),
    );
  }
  if (mx.validationError !== null) row('problem', mx.validationError);
  if (mx.error !== null) row('error', mx.error);
  row('time', `${mx.elapsedMs} ms`);
  return lines;
}
