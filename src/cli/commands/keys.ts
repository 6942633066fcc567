/**
 * `secure-envelope keys`: lists the keys that protect stored messages,
 * rotates them, and retires old ones. It prints key ids and dates, never key
 * material.
 */
import type { Keyring } from '../../server/crypto/keyring';
import type { KeyUsage, RotationResult } from '../../server/crypto/rotate';
import type { Store } from '../../server/store/db';
import { parseFlags } from '../args';
import { CliError, UsageError, type Command, type CommandContext } from '../command';
import { loadServerConfig } from '../server-config';

const USAGE = `usage: secure-envelope keys <list | rotate | rewrap> [--json] [--config FILE]
       secure-envelope keys retire <kid> [--json] [--config FILE]

Manages the keys that wrap every stored message's content key: the key file
DATA_DIR/keys.json, or SECURE_ENVELOPE_KEYS when that is set (read-only then).

  list         print each key's id, creation date and which one is current
  rotate       add a new key, make it current and rewrap everything stored
               under it: messages, attachments, replies, the answers kept for
               retried requests and queued notices; bodies are not
               re-encrypted, and old keys stay in the key file until retired
  rewrap       rewrap everything not yet under the current key, without a new
               key: finishes a rotation that was interrupted
  retire KID   remove an old key from the key file for good, once nothing
               stored needs it; while something does, it is refused with what
               still uses it (run rewrap, then retire again)
  --json       print the result as one JSON object
  --config F   the server's config file (or SECURE_ENVELOPE_CONFIG)
  -h, --help   show this help

The data folder and database are the server's, read as serve reads them: the
config file's dataDir and databaseUrl, overridden by DATA_DIR (default ./data)
and DATABASE_URL (unset: the embedded database in the data folder). A running
server picks up a rotated key file by itself.

Exit codes: 0 done, 1 keys or store unusable, some records could not be
rewrapped (listed on stderr), or the key to retire is still in use, 2 bad
arguments.`;

const FLAGS = {
  json: { type: 'boolean' },
  config: { type: 'string' },
} as const;

const ACTIONS = ['list', 'rotate', 'rewrap', 'retire'] as const;
type Action = (typeof ACTIONS)[number];

/** How `retire` names what still uses a key. */
const USAGE_NAMES: Record<keyof KeyUsage, string> = {
  envelopes: 'message(s)',
  attachments: 'attachment(s)',
  portalMessages: 'portal message(s)',
  portalAttachments: 'portal attachment(s)',
  idempotencyResponses: 'stored idempotency response(s)',
  notices: 'queued notice(s)',
};

/** The command, reading the server's configuration from `env` (tests pass their own). */
export function createKeysCommand(env: NodeJS.ProcessEnv = process.env): Command {
  return {
    name: 'keys',
    summary: 'list the encryption keys, or rotate them and rewrap stored messages',
    usage: USAGE,
    async run(args, context) {
      const { flags, positionals } = parseFlags(args, FLAGS);
      const [action, ...extra] = positionals;
      if (action === undefined) throw new UsageError(`expected an action: ${ACTIONS.join(', ')}`, true);
      if (!isAction(action)) throw new UsageError(`unknown action '${action}'`, true);
      const kid = action === 'retire' ? extra.shift() : undefined;
      if (action === 'retire' && kid === undefined)
        throw new UsageError('retire needs the id of the key (see keys list)', true);
      if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]!}'`, true);
      const config = await loadServerConfig(env, typeof flags.config === 'string' ? flags.config : undefined);
      const { dataDir, databaseUrl } = config;
      // The server's modules load only when a command needs them, so other commands start fast.
      const { openKeyring } = await import('../../server/crypto/open-keyring');
      const { retireKey, rewrapAll, rotateKeys } = await import('../../server/crypto/rotate');
      const { openStore } = await import('../../server/store/db');
      const { appendAudit } = await import('../../server/audit/audit-log');
      // The store first: with a key-encryption key, the keys live in it.
      const store = await guard(() => openStore({ dataDir, databaseUrl }), 'cannot open the store: ');
      try {
        const keyring = await guard(() => openKeyring(store, dataDir, env));
        if (action === 'list') return await list(keyring, flags.json === true, context);
        if (action === 'retire') {
          const retired = await guard(() => retireKey(store.db, keyring, kid!));
          await appendAudit(store.db, keyring.auditKey, store.dialect, {
            actor: 'admin:cli',
            action: 'keys.retired',
            target: `key:${retired.kid}`,
            outcome: retired.retired ? 'ok' : 'denied',
            detail: retired.retired ? {} : { ...retired.usage },
          });
          // The process ends soon after: the anchor must be on disk first.
          await keyring.auditAnchor?.flush();
          return await reportRetire(retired, flags.json === true, context);
        }
        const result = await guard(() =>
          action === 'rotate' ? rotateKeys(store.db, keyring) : rewrapAll(store.db, keyring),
        );
        await appendAudit(store.db, keyring.auditKey, store.dialect, {
          actor: 'admin:cli',
          action: 'keys.rotated',
          target: `key:${result.kid}`,
          outcome: result.failed.length === 0 ? 'ok' : 'failed',
          detail: {
            rewrap: action === 'rewrap',
            envelopes: result.envelopes,
            attachments: result.attachments,
            portalMessages: result.portalMessages,
            portalAttachments: result.portalAttachments,
            idempotencyResponses: result.idempotencyResponses,
            notices: result.notices,
            failures: result.failed.length,
          },
        });
        await keyring.auditAnchor?.flush();
        return await report(action, result, flags.json === true, context);
      } finally {
        await closeQuietly(store);
      }
    },
  };
}

export const keysCommand: Command = createKeysCommand();

function isAction(value: string): value is Action {
  return (ACTIONS as readonly string[]).includes(value);
}

async function list(keyring: Keyring, asJson: boolean, context: CommandContext): Promise<number> {
  const keys = keyring.list();
  if (asJson) {
    await context.stdout.line(JSON.stringify({ source: keyring.source, keys }, null, 2));
    return 0;
  }
  const width = Math.max(3, ...keys.map((k) => k.kid.length));
  await context.stdout.line(`${'kid'.padEnd(width)}  ${'created'.padEnd(24)}  current`);
  for (const k of keys) {
    await context.stdout.line(
      `${k.kid.padEnd(width)}  ${k.createdAt.padEnd(24)}  ${k.current ? 'yes' : ''}`.trimEnd(),
    );
  }
  return 0;
}

async function reportRetire(
  result: Awaited<ReturnType<typeof import('../../server/crypto/rotate').retireKey>>,
  asJson: boolean,
  context: CommandContext,
): Promise<number> {
  if (asJson) {
    await context.stdout.line(JSON.stringify(result, null, 2));
    return result.retired ? 0 : 1;
  }
  if (result.retired) {
    await context.stdout.line(`retired key ${result.kid}: it is no longer in the key file`);
    return 0;
  }
  const uses = (Object.keys(USAGE_NAMES) as (keyof KeyUsage)[])
    .filter((k) => result.usage[k] > 0)
    .map((k) => `${result.usage[k]} ${USAGE_NAMES[k]}`);
  await context.stderr.line(
    `secure-envelope keys: key ${result.kid} is still used by ${uses.join(', ')}; ` +
      `it stays. Run 'secure-envelope keys rewrap' (and look at what it cannot rewrap), then retire again`,
  );
  return 1;
}

async function report(
  action: Exclude<Action, 'list' | 'retire'>,
  result: RotationResult,
  asJson: boolean,
  context: CommandContext,
): Promise<number> {
  if (asJson) {
    await context.stdout.line(JSON.stringify(result, null, 2));
  } else {
    const lead = action === 'rotate' ? `new current key ${result.kid}` : `current key ${result.kid}`;
    await context.stdout.line(
      `${lead}: rewrapped ${result.envelopes} envelope(s), ${result.attachments} attachment(s), ` +
        `${result.portalMessages} portal message(s), ${result.portalAttachments} portal attachment(s), ` +
        `${result.idempotencyResponses} stored idempotency response(s) and ${result.notices} queued notice(s)`,
    );
  }
  for (const f of result.failed) {
    await context.stderr.line(`secure-envelope keys: could not rewrap ${f.target}: ${f.reason}`);
  }
  if (result.failed.length > 0 && !asJson) {
    await context.stderr.line(
      `secure-envelope keys: ${result.failed.length} record(s) left under their old key; ` +
        `'secure-envelope keys rewrap' retries them`,
    );
  }
  return result.failed.length > 0 ? 1 : 0;
}

/** Turns an expected failure (key file, store) into a one-line CliError. */
async function guard<T>(work: () => Promise<T>, prefix = ''): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof Error && e.name === 'KeyringError') throw new CliError(e.message, 1);
    if (prefix !== '' && e instanceof Error) throw new CliError(prefix + e.message, 1);
    throw e;
  }
}

async function closeQuietly(store: Store): Promise<void> {
  try {
    await store.close();
  } catch {
    // The work is done; a failing close changes nothing the user can act on.
  }
}
