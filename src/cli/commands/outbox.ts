/**
 * `secure-envelope outbox`: the notices the server gave up on (dead letters),
 * listed and put back in the queue once the cause is fixed. Prints ids,
 * recipients' addresses, attempt counts and error codes; never a notice.
 */
import type { DeadLetter, RequeueResult } from '../../server/outbox/dead-letters';
import { parseFlags } from '../args';
import { CliError, UsageError, type Command, type CommandContext } from '../command';
import { loadServerConfig } from '../server-config';

const USAGE = `usage: secure-envelope outbox dead [--json] [--config FILE]
       secure-envelope outbox requeue <id ...|--all> [--json] [--config FILE]

The notice queue's dead letters: notices the relay refused for good (a 5xx
to the recipient or the message) or that failed every retry (about a day by
default). Each keeps its sealed notice until retention deletes its message.

  dead         list them: id, recipient, attempts, last error code, queued at
  requeue      put the named ones (or --all) back in the queue, due now with
               a fresh count of attempts; each is on the audit record
  --json       print the result as JSON
  --config F   the server's config file (or SECURE_ENVELOPE_CONFIG)

Health (GET /healthz) reports how many notices wait, how old the oldest is,
and how many are dead. The data folder and database are the server's, read
as serve reads them.

Exit codes: 0 done, 1 store or keys unusable or some ids refused (listed), 2
bad arguments.`;

const FLAGS = {
  json: { type: 'boolean' },
  all: { type: 'boolean' },
  config: { type: 'string' },
} as const;

export function createOutboxCommand(env: NodeJS.ProcessEnv = process.env): Command {
  return {
    name: 'outbox',
    summary: 'list the notices the server gave up on, and requeue them',
    usage: USAGE,
    async run(args, context) {
      const { flags, positionals } = parseFlags(args, FLAGS);
      const [action, ...ids] = positionals;
      if (action !== 'dead' && action !== 'requeue')
        throw new UsageError(
          action === undefined ? 'expected dead or requeue' : `unknown action '${action}'`,
          true,
        );
      if (action === 'dead' && ids.length > 0) throw new UsageError(`unexpected argument '${ids[0]!}'`, true);
      if (action === 'requeue' && ids.length === 0 && flags.all !== true)
        throw new UsageError('requeue needs the ids of the notices (see outbox dead), or --all', true);
      const config = await loadServerConfig(env, typeof flags.config === 'string' ? flags.config : undefined);
      // The server's modules load only when a command needs them, so other commands start fast.
      const { openStore } = await import('../../server/store/db');
      const { listDeadLetters, requeueDeadLetters } = await import('../../server/outbox/dead-letters');
      const store = await guard(
        () => openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, maxConnections: 2 }),
        'cannot open the store: ',
      );
      try {
        if (action === 'dead')
          return await printDead(await listDeadLetters(store.db), flags.json === true, context);
        const { openKeyring } = await import('../../server/crypto/open-keyring');
        const keyring = await guard(() => openKeyring(store, config.dataDir, env), 'cannot load the keys: ');
        const result = await requeueDeadLetters(
          store,
          keyring,
          flags.all === true ? 'all' : ids,
          'admin:cli',
        );
        await keyring.auditAnchor?.flush();
        return await printRequeue(result, flags.json === true, context);
      } finally {
        await store.close().catch(() => undefined);
      }
    },
  };
}

export const outboxCommand: Command = createOutboxCommand();

async function printDead(
  letters: readonly DeadLetter[],
  asJson: boolean,
  context: CommandContext,
): Promise<number> {
  if (asJson) {
    await context.stdout.line(JSON.stringify({ dead: letters }, null, 2));
    return 0;
  }
  if (letters.length === 0) {
    await context.stdout.line('no dead letters');
    return 0;
  }
  for (const d of letters) {
    await context.stdout.line(
      `${d.id}  ${d.to}  ${d.attempts} attempt(s)  ${d.lastError ?? '-'}  queued ${d.createdAt}` +
        (d.requeueable ? '' : '  (notice not kept: resend its link)'),
    );
  }
  return 0;
}

async function printRequeue(
  result: RequeueResult,
  asJson: boolean,
  context: CommandContext,
): Promise<number> {
  if (asJson) await context.stdout.line(JSON.stringify(result, null, 2));
  else {
    await context.stdout.line(`requeued ${result.requeued.length} notice(s)`);
    for (const r of result.refused) await context.stderr.line(`not requeued: ${r.id}: ${r.reason}`);
  }
  return result.refused.length === 0 ? 0 : 1;
}

async function guard<T>(work: () => Promise<T>, prefix: string): Promise<T> {
  try {
    return await work();
  } catch (e) {
    throw new CliError(prefix + (e instanceof Error ? e.message : String(e)), 1);
  }
}
