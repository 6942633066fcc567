/**
 * `secure-envelope audit`: lets an admin check that nobody has edited or cut
 * the audit log (`verify`), take it away as JSON Lines (`export`), and see or
 * reset the anchor its end is checked against (`anchor`). It opens the same
 * store and key ring as the server, found from the server's configuration.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AnchorPoint, AuditAnchor, AuditAnchorRecord } from '../../server/audit/anchor';
import type { AuditVerification } from '../../server/audit/verify';
import type { Config } from '../../server/config';
import type { Keyring } from '../../server/crypto/keyring';
import type { Store } from '../../server/store/db';
import { SQLITE_FILE_NAME } from '../../server/store/sqlite-file';
import { parseFlags } from '../args';
import { CliError, UsageError, type Command, type CommandContext } from '../command';
import { loadServerConfig } from '../server-config';

const USAGE = `usage: secure-envelope audit verify [--json] [--anchor FILE] [--config FILE]
       secure-envelope audit export [--from TIME] [--to TIME] [--config FILE]
       secure-envelope audit anchor [--reset] [--config FILE]

verify   checks the audit log's hash chain from the first record to the last:
         every record present, in order, unedited, written with this
         installation's key; and that nothing was cut from its end, against
         the anchor (DATA_DIR/audit-anchor.json), which the server moves to
         each new record once it has committed. Prints
         "audit chain intact: N records, anchored through #S", or says what
         is wrong: an edited record, records missing from the end, or an end
         that cannot be checked (no anchor, or one that fails its check).
export   writes the records as JSON Lines to stdout, oldest first. On
         PostgreSQL it first chains the records servers have committed but
         not yet sealed (which needs the key ring), so an export taken while
         servers run holds every record committed before it started.
anchor   prints the anchor as one JSON line, the form the server logs it in.
         With --reset, accepts the log as it is now (after restoring a
         backup, say): the chain must verify, the anchor moves to its last
         record, and the reset itself is recorded in the log.

  --json         verify: print the result as one JSON object, with the head hash
  --anchor FILE  verify: also check the log against every anchor line in FILE
                 (the server's log, or what a log collector kept of it; other
                 lines are skipped). Repeatable checks need no local anchor.
  --from TIME    export: records at or after TIME (ISO 8601, e.g. 2025-01-31 or
                 2025-01-31T08:00:00Z)
  --to TIME      export: records before TIME
  --reset        anchor: move the anchor to the current end of the log
  --config FILE  the server's config file (or SECURE_ENVELOPE_CONFIG)
  -h, --help     show this help

The store is the one the server uses, configured as serve reads it: the
config file, then the environment. The data folder (dataDir, DATA_DIR;
default ./data) holds the key ring, the anchor and the embedded database;
databaseUrl or DATABASE_URL selects PostgreSQL.

Exit codes: 0 chain intact / export or anchor done, 1 chain broken (a record
edited, inserted or removed inside the chain) or store unusable, 2 bad
arguments, 3 records missing from the end of the log (truncated, or cut and
continued), 4 the end of the log cannot be checked (no anchor, or an anchor
that fails its check).`;

const FLAGS = {
  json: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
  anchor: { type: 'string' },
  reset: { type: 'boolean' },
  config: { type: 'string' },
} as const;

/** Exit codes a script can branch on. */
const EXIT = { intact: 0, broken: 1, truncated: 3, unanchored: 4 } as const;

/** The command, reading the server's configuration from `env` (tests pass their own). */
export function createAuditCommand(env: NodeJS.ProcessEnv = process.env): Command {
  return {
    name: 'audit',
    summary: 'verify the audit log hash chain, or export it as JSON Lines',
    usage: USAGE,
    async run(args, context) {
      const { flags, positionals } = parseFlags(args, FLAGS);
      const [sub, ...extra] = positionals;
      if (sub === undefined) throw new UsageError("expected 'verify', 'export' or 'anchor'", true);
      if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]!}'`, true);
      if (sub !== 'anchor' && flags.reset !== undefined)
        throw new UsageError('--reset applies to anchor only', true);
      if (sub !== 'verify' && flags.anchor !== undefined)
        throw new UsageError('--anchor applies to verify only', true);
      const configFile = typeof flags.config === 'string' ? flags.config : undefined;
      if (sub === 'verify') {
        if (flags.from !== undefined || flags.to !== undefined)
          throw new UsageError('--from and --to apply to export only', true);
        const anchorLog = typeof flags.anchor === 'string' ? flags.anchor : undefined;
        return verify(flags.json === true, anchorLog, await opener(env, configFile), context);
      }
      if (sub === 'anchor') {
        if (flags.json !== undefined || flags.from !== undefined || flags.to !== undefined)
          throw new UsageError('anchor takes only --reset', true);
        return anchorCommand(flags.reset === true, await opener(env, configFile), context);
      }
      if (sub === 'export') {
        if (flags.json !== undefined) throw new UsageError('--json applies to verify only', true);
        const from = parseTime('--from', flags.from);
        const to = parseTime('--to', flags.to);
        if (from !== undefined && to !== undefined && from.getTime() > to.getTime())
          throw new UsageError('--from is later than --to');
        return exportRecords(from, to, await opener(env, configFile), context);
      }
      throw new UsageError(`unknown subcommand '${sub}' (expected 'verify', 'export' or 'anchor')`, true);
    },
  };
}

export const auditCommand: Command = createAuditCommand();

/** Opens the server's store, and its key ring with it, as configured. */
interface Opener {
  /** The configured store is PostgreSQL (audit records may be pending there). */
  readonly postgres: boolean;
  open(): Promise<{ store: Store; keyring: Keyring }>;
  openStore(): Promise<Store>;
}

async function opener(env: NodeJS.ProcessEnv, configFile: string | undefined): Promise<Opener> {
  const config = await loadServerConfig(env, configFile);
  return {
    postgres: config.databaseUrl !== undefined,
    open: () => open(config, env),
    openStore: () => openConfiguredStore(config),
  };
}

type Status = keyof typeof EXIT;

async function verify(
  asJson: boolean,
  anchorLog: string | undefined,
  stores: Opener,
  context: CommandContext,
): Promise<number> {
  const { store, keyring } = await stores.open();
  try {
    const anchor = anchorOf(keyring);
    const local = anchor.read();
    const anchors: AuditAnchorRecord[] = local.status === 'valid' ? [local.anchor] : [];
    // Read before the chain: a bad file is a usage problem, reported before any verdict.
    if (anchorLog !== undefined) anchors.push(...readAnchorLines(anchor, anchorLog));
    const { verifyAuditChain } = await import('../../server/audit/verify');
    if (store.dialect === 'postgres') {
      // Records a server wrote but had not yet chained (it stopped first) are checked too.
      const { sealPendingAudit } = await import('../../server/audit/sealer');
      await sealPendingAudit(store.db, keyring.auditKey);
    }
    const result = await verifyAuditChain(store.db, keyring.auditKey, { anchors });
    // Unchecked only when nothing else is wrong, and no anchor at all could be used.
    const unanchored =
      result.ok && (local.status === 'invalid' || (local.status === 'missing' && anchors.length === 0));
    const status: Status = !result.ok
      ? result.reason === 'truncated' || result.reason === 'rewound'
        ? 'truncated'
        : 'broken'
      : unanchored
        ? 'unanchored'
        : 'intact';
    if (asJson) {
      const problem =
        local.status === 'invalid' ? local.reason : local.status === 'missing' ? 'no anchor' : undefined;
      await context.stdout.line(
        JSON.stringify({
          status,
          ...result,
          anchorFile: anchor.file,
          ...(problem !== undefined ? { anchorProblem: problem } : {}),
        }),
      );
    } else {
      await context.stdout.line(describe(result, status, anchor.file, local));
    }
    return EXIT[status];
  } finally {
    await store.close();
  }
}

function describe(
  result: AuditVerification,
  status: Status,
  file: string,
  local: ReturnType<AuditAnchor['read']>,
): string {
  const when = (at: string | undefined) => (at === undefined ? '' : ` of ${at}`);
  if (!result.ok) {
    if (result.reason === 'truncated') {
      const last = result.anchored!.seq;
      const missing =
        last === result.brokenAt ? `record #${last} is` : `records #${result.brokenAt} to #${last} are`;
      return (
        `audit log truncated: ${missing} missing from its end ` +
        `(the anchor${when(result.anchored?.at)} vouches for #${last}; the log holds ${result.records})`
      );
    }
    if (result.reason === 'rewound') {
      return (
        `audit log cut and continued: record #${result.brokenAt} is not the one anchored` +
        `${when(result.anchored?.at)}; records were removed from its end and others written since`
      );
    }
    return `audit chain broken at record #${result.brokenAt}: ${result.reason}`;
  }
  const intact = `audit chain intact: ${result.records} records`;
  if (status === 'unanchored') {
    const why =
      local.status === 'invalid'
        ? `${local.reason} (${file}); if the log is known good, ` +
          `'secure-envelope audit anchor --reset' starts anew`
        : `there is no anchor at ${file} (a log not written to since an upgrade has none yet)`;
    return `${intact}, but records cut from its end would not show: ${why}`;
  }
  return result.anchored !== undefined && result.anchored.seq > 0
    ? `${intact}, anchored through #${result.anchored.seq}`
    : intact;
}

/**
 * Anchors from a log file: every line holding an `auditAnchor` (the server's
 * log line) or being one (`audit anchor` output). Other lines are skipped;
 * an anchor line that fails its check is an error, since someone made it.
 */
function readAnchorLines(anchor: AuditAnchor, file: string): AuditAnchorRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${messageOf(e)}`, 2);
  }
  const found: AuditAnchorRecord[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (!line.includes('"mac"')) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      continue;
    }
    const candidate =
      typeof value === 'object' && value !== null && 'auditAnchor' in value ? value.auditAnchor : value;
    if (typeof candidate !== 'object' || candidate === null || !('mac' in candidate)) continue;
    try {
      found.push(anchor.check(candidate));
    } catch (e) {
      throw new CliError(`${file}, line ${i + 1}: ${messageOf(e)}`, EXIT.unanchored);
    }
  }
  if (found.length === 0) throw new CliError(`no audit anchor lines in ${file}`, 2);
  return found;
}

async function anchorCommand(reset: boolean, stores: Opener, context: CommandContext): Promise<number> {
  const { store, keyring } = await stores.open();
  try {
    const anchor = anchorOf(keyring);
    if (reset) {
      const { verifyAuditChain } = await import('../../server/audit/verify');
      const { appendAudit, readHead } = await import('../../server/audit/audit-log');
      const result = await verifyAuditChain(store.db, keyring.auditKey);
      if (!result.ok) {
        throw new CliError(
          `the chain is broken at record #${result.brokenAt} (${result.reason}): ` +
            `an anchor is never moved onto a broken chain`,
          EXIT.broken,
        );
      }
      const before = anchor.read();
      const head: AnchorPoint = (await readHead(store.db)) ?? { seq: 0, hash: '0'.repeat(64) };
      await anchor.reset(head);
      // The reset is on the record, chained after the records it vouches for.
      await appendAudit(store.db, keyring.auditKey, store.dialect, {
        actor: 'admin:cli',
        action: 'audit.anchor.reset',
        target: 'audit:anchor',
        outcome: 'ok',
        detail: {
          previousSeq: before.status === 'valid' ? before.anchor.seq : null,
          previousState: before.status,
          seq: head.seq,
        },
      });
      await anchor.flush();
    }
    const state = anchor.read();
    if (state.status !== 'valid') {
      await context.stderr.line(
        `secure-envelope audit: ${state.status === 'missing' ? `no anchor at ${anchor.file}` : state.reason}`,
      );
      return EXIT.unanchored;
    }
    await context.stdout.line(JSON.stringify({ auditAnchor: state.anchor }));
    return 0;
  } finally {
    await store.close();
  }
}

function anchorOf(keyring: Keyring): AuditAnchor {
  const anchor = keyring.auditAnchor;
  // loadOrCreateKeyring always names the anchor file; this is a guard for the types.
  if (anchor === undefined) throw new CliError('the key ring has no audit anchor', 1);
  return anchor;
}

async function exportRecords(
  from: Date | undefined,
  to: Date | undefined,
  stores: Opener,
  context: CommandContext,
): Promise<number> {
  // On SQLite every committed record is already chained, and export needs no
  // key: it reads the records as they are (verify checks them). On PostgreSQL
  // records wait in audit_pending until a sealer chains them; an export that
  // skipped them would silently miss the newest actions.
  const postgres = stores.postgres;
  const { store, keyring } = postgres ? await stores.open() : { store: await stores.openStore() };
  try {
    if (keyring !== undefined) {
      const { sealPendingAudit } = await import('../../server/audit/sealer');
      await sealPendingAudit(store.db, keyring.auditKey);
    }
    const { exportAudit } = await import('../../server/audit/verify');
    for await (const record of exportAudit(store.db, { from, to })) {
      await context.stdout.line(JSON.stringify(record));
    }
    return 0;
  } finally {
    await store.close();
  }
}

async function open(config: Config, env: NodeJS.ProcessEnv): Promise<{ store: Store; keyring: Keyring }> {
  const { dataDir } = config;
  const { KEY_FILE_NAME, KEYS_ENV } = await import('../../server/crypto/keyring');
  const { KEK_ENV, KEK_FILE_ENV } = await import('../../server/crypto/kek');
  const { openKeyring } = await import('../../server/crypto/open-keyring');
  // A missing key file would be created afresh, and every record would then
  // "fail" verification: say what is wrong instead. (With a key-encryption
  // key, the keys are in the store.)
  const keysElsewhere = [KEYS_ENV, KEK_ENV, KEK_FILE_ENV].some((name) => (env[name] ?? '') !== '');
  if (!keysElsewhere && !existsSync(join(dataDir, KEY_FILE_NAME)))
    throw new CliError(`no key file at ${join(dataDir, KEY_FILE_NAME)} (set DATA_DIR or ${KEYS_ENV})`, 1);
  const store = await openConfiguredStore(config);
  try {
    const keyring = await openKeyring(store, dataDir, env);
    return { store, keyring };
  } catch (e) {
    await store.close();
    throw new CliError(`cannot load the key ring: ${messageOf(e)}`, 1);
  }
}

async function openConfiguredStore(config: Config): Promise<Store> {
  const { dataDir, databaseUrl } = config;
  // Opening the embedded store creates it: an admin who mistyped DATA_DIR
  // would get a fresh, empty and "intact" log, so a missing file is an error.
  if (databaseUrl === undefined && !existsSync(join(dataDir, SQLITE_FILE_NAME)))
    throw new CliError(
      `no database in ${dataDir} (set DATA_DIR to the server's data folder, or DATABASE_URL)`,
      1,
    );
  try {
    const { openStore } = await import('../../server/store/db');
    return await openStore({ dataDir, databaseUrl, maxConnections: 2 });
  } catch (e) {
    throw new CliError(`cannot open the store: ${messageOf(e)}`, 1);
  }
}

function parseTime(flag: string, value: string | boolean | undefined): Date | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw new UsageError(`option '${flag}' needs a value`, true);
  // A date and time, or a bare date (taken as midnight UTC); nothing looser.
  if (!/^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/.test(value))
    throw new UsageError(
      `option '${flag}' needs an ISO 8601 time such as 2025-01-31T08:00:00Z, got '${value}'`,
    );
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new UsageError(`option '${flag}': '${value}' is not a valid time`);
  return time;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
