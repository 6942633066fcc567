/**
 * `secure-envelope audit`: lets an admin check that nobody has edited the
 * audit log (`verify`) and take it away as JSON Lines (`export`). It opens the
 * same store and key ring as the server, from DATA_DIR and DATABASE_URL.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Store } from '../../server/store/db';
import { SQLITE_FILE_NAME } from '../../server/store/sqlite-file';
import { parseFlags } from '../args';
import { CliError, UsageError, type Command, type CommandContext } from '../command';

const USAGE = `usage: secure-envelope audit verify [--json]
       secure-envelope audit export [--from TIME] [--to TIME]

verify   checks the audit log's hash chain from the first record to the last:
         every record present, in order, unedited, written with this
         installation's key. Prints "audit chain intact: N records", or
         "audit chain broken at record #S: REASON" and exits 1.
         A chain cut short at its end is still a valid chain: compare the
         head (--json prints it) with a copy kept elsewhere to detect that.
export   writes the records as JSON Lines to stdout, oldest first.

  --json         verify: print the result as one JSON object, with the head hash
  --from TIME    export: records at or after TIME (ISO 8601, e.g. 2025-01-31 or
                 2025-01-31T08:00:00Z)
  --to TIME      export: records before TIME
  -h, --help     show this help

The store is the one the server uses: DATA_DIR (default ./data) holds the key
ring and the embedded database; DATABASE_URL selects PostgreSQL instead.

Exit codes: 0 chain intact / export done, 1 chain broken or store unusable,
2 bad arguments.`;

const FLAGS = {
  json: { type: 'boolean' },
  from: { type: 'string' },
  to: { type: 'string' },
} as const;

export const auditCommand: Command = {
  name: 'audit',
  summary: 'verify the audit log hash chain, or export it as JSON Lines',
  usage: USAGE,
  async run(args, context) {
    const { flags, positionals } = parseFlags(args, FLAGS);
    const [sub, ...extra] = positionals;
    if (sub === undefined) throw new UsageError("expected 'verify' or 'export'", true);
    if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]!}'`, true);
    if (sub === 'verify') {
      if (flags.from !== undefined || flags.to !== undefined)
        throw new UsageError('--from and --to apply to export only', true);
      return verify(flags.json === true, context);
    }
    if (sub === 'export') {
      if (flags.json !== undefined) throw new UsageError('--json applies to verify only', true);
      const from = parseTime('--from', flags.from);
      const to = parseTime('--to', flags.to);
      if (from !== undefined && to !== undefined && from.getTime() > to.getTime())
        throw new UsageError('--from is later than --to');
      return exportRecords(from, to, context);
    }
    throw new UsageError(`unknown subcommand '${sub}' (expected 'verify' or 'export')`, true);
  },
};

async function verify(asJson: boolean, context: CommandContext): Promise<number> {
  const { store, auditKey } = await open();
  try {
    const { verifyAuditChain } = await import('../../server/audit/verify');
    const result = await verifyAuditChain(store.db, auditKey);
    if (asJson) {
      await context.stdout.line(JSON.stringify(result));
    } else if (result.ok) {
      await context.stdout.line(`audit chain intact: ${result.records} records`);
    } else {
      await context.stdout.line(`audit chain broken at record #${result.brokenAt}: ${result.reason}`);
    }
    return result.ok ? 0 : 1;
  } finally {
    await store.close();
  }
}

async function exportRecords(
  from: Date | undefined,
  to: Date | undefined,
  context: CommandContext,
): Promise<number> {
  // Export needs no key: it reads the records as they are (verify checks them).
  const store = await openConfiguredStore();
  try {
    const { exportAudit } = await import('../../server/audit/verify');
    for await (const record of exportAudit(store.db, { from, to })) {
      await context.stdout.line(JSON.stringify(record));
    }
    return 0;
  } finally {
    await store.close();
  }
}

async function open(): Promise<{ store: Store; auditKey: Uint8Array }> {
  const dataDir = dataDirOf();
  const { KEY_FILE_NAME, KEYS_ENV, loadOrCreateKeyring } = await import('../../server/crypto/keyring');
  // A missing key file would be created afresh, and every record would then
  // "fail" verification: say what is wrong instead.
  const keysFromEnv = (process.env[KEYS_ENV] ?? '') !== '';
  if (!keysFromEnv && !existsSync(join(dataDir, KEY_FILE_NAME)))
    throw new CliError(`no key file at ${join(dataDir, KEY_FILE_NAME)} (set DATA_DIR or ${KEYS_ENV})`, 1);
  const store = await openConfiguredStore();
  try {
    const keyring = await loadOrCreateKeyring(dataDir);
    return { store, auditKey: keyring.auditKey };
  } catch (e) {
    await store.close();
    throw new CliError(`cannot load the key ring: ${messageOf(e)}`, 1);
  }
}

async function openConfiguredStore(): Promise<Store> {
  const dataDir = dataDirOf();
  const databaseUrl = process.env.DATABASE_URL === '' ? undefined : process.env.DATABASE_URL;
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

function dataDirOf(): string {
  const dir = process.env.DATA_DIR;
  return dir === undefined || dir === '' ? './data' : dir;
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
