/**
 * `secure-envelope serve`: the secure-envelope service with embedded defaults
 * (SQLite store, key file, development token issuer and mail catcher in
 * development), configured from a file and environment variables.
 */
import { parseFlags } from '../args';
import { CliError, UsageError, type Command, type CommandContext } from '../command';

const USAGE = `usage: secure-envelope serve [--config FILE]

Starts the secure-envelope service. Configuration comes from FILE (JSON; or
SECURE_ENVELOPE_CONFIG), then from the environment: PORT (3000), HOST,
DATA_DIR (./data), DATABASE_URL (unset: embedded SQLite), SMTP_URL (unset in
development: the built-in mail catcher), PUBLIC_URL, REDIS_URL,
SECURE_ENVELOPE_TLS (local-certificate | files | off), SECURE_ENVELOPE_MODE
(development | production; NODE_ENV=production also selects production).

Stops gracefully on SIGINT or SIGTERM: no new requests, in-flight ones finish,
the outbox stays consistent.`;

const FLAGS = { config: { type: 'string' } } as const;

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the secure-envelope service (API, add-in files, portal, dev mail catcher)',
  usage: USAGE,
  async run(args: readonly string[], context: CommandContext): Promise<number> {
    const flags = parseFlags(args, FLAGS);
    if (flags.positionals.length > 0)
      throw new UsageError(`unexpected argument '${flags.positionals[0]!}'`, true);
    // The server's modules load only when it starts, so other commands start fast.
    const { ConfigError, loadConfig } = await import('../../server/config');
    const { startServer } = await import('../../server/server');
    let config;
    try {
      const file = flags.flags.config;
      config = loadConfig(process.env, typeof file === 'string' ? file : process.env.SECURE_ENVELOPE_CONFIG);
    } catch (e) {
      if (e instanceof ConfigError) throw new CliError(e.message, 2);
      throw e;
    }
    // Everything the server writes (database, keys, blobs, certificates) is for its own user only.
    process.umask(0o077);
    let server;
    try {
      server = await startServer(config, { logger: process.env.SECURE_ENVELOPE_LOG !== 'off' });
    } catch (e) {
      // Keys that cannot read the store: the message says what to restore or copy.
      if (e instanceof Error && e.name === 'KeyringError') throw new CliError(e.message, 1);
      // A setting the start-up checks refused (a blob store's bucket): as a bad config file.
      if (e instanceof ConfigError) throw new CliError(e.message, 2);
      throw e;
    }
    const base = config.publicUrl;
    const lines = [
      `Secure Envelope is running (${config.mode}, store: ${server.ctx.store.dialect}, data: ${config.dataDir})`,
      `  listening      ${server.url}`,
      `  API            ${base}/v1/   health: ${base}/healthz`,
      `  manifest       ${base}/addin/manifest.xml`,
      // Which recipients count as colleagues decides what is checked at all: said at every start.
      config.policy.orgDomains.length > 0
        ? `  internal       ${config.policy.orgDomains.join(', ')}   (policy.orgDomains)`
        : "  internal       each sender's own domain   (policy.orgDomains is not set)",
    ];
    if (server.ctx.catcher !== undefined)
      lines.push(`  mail catcher   ${base}/dev/mail   (every notice the server sends)`);
    lines.push(`  portal         ${base}/portal/   (recipients; secure links are ${base}/r/...)`);
    if (server.ctx.devIssuer !== undefined) {
      lines.push(`  dev token      ${base}/dev/token?address=rep@plan.example`);
      lines.push(`  Outlook demo   ${base}/dev/outlook   (a compose window running the real add-in)`);
    }
    lines.push(
      '',
      'Sideload: in Outlook on the web, Get add-ins > My add-ins > Add a custom add-in > Add from URL,',
      `with ${base}/addin/manifest.xml; admins deploy it from the Microsoft 365 admin center`,
      '(Settings > Integrated apps > Upload custom apps), after `secure-envelope manifest --url <their host>`.',
    );
    for (const line of lines) await context.stdout.line(line);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        void context.stderr
          .line('shutting down: finishing requests in flight and the outbox')
          .then(() => server.close())
          .then(resolve);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  },
};
