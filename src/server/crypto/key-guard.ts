/**
 * Start-up refuses keys that cannot read the store. A data folder restored
 * without its key file, or a second instance given keys of its own, would
 * otherwise make a fresh key, after which nothing stored decrypts and the
 * audit chain reads as broken; worse, its outbox would treat every notice as
 * unreadable. Better not to start, and to say what is missing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../store/db';
import { KEY_FILE_NAME, KEYS_ENV, KeyringError, type Keyring } from './keyring';

/** What the store holds that needs keys, by the key ids that sealed it. */
interface Sealed {
  envelopes: number;
  auditRecords: number;
  /** Key ids of stored envelopes, a few at most (for the message). */
  kids: string[];
}

async function sealedData(db: Db): Promise<Sealed> {
  const byKid = await db
    .selectFrom('envelopes')
    .select((eb) => ['content_kid', eb.fn.countAll<number | string | bigint>().as('n')])
    .groupBy('content_kid')
    .execute();
  const audit = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('n'))
    .executeTakeFirst();
  return {
    envelopes: byKid.reduce((sum, r) => sum + Number(r.n), 0),
    auditRecords: Number(audit?.n ?? 0),
    kids: byKid.map((r) => r.content_kid),
  };
}

/** Before any key is made: refuses when the key file is missing but the store holds what it sealed. */
export async function refuseMissingKeys(db: Db, dataDir: string, env: NodeJS.ProcessEnv): Promise<void> {
  const fromEnv = env[KEYS_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return;
  const file = join(dataDir, KEY_FILE_NAME);
  if (existsSync(file)) return;
  const sealed = await sealedData(db);
  if (sealed.envelopes === 0 && sealed.auditRecords === 0) return;
  throw new KeyringError(
    'KEY_FILE_MISSING',
    `the key file ${file} is missing, but the store holds ${sealed.envelopes} envelope(s)` +
      (sealed.kids.length > 0 ? ` sealed with key(s) ${listed(sealed.kids)}` : '') +
      ` and ${sealed.auditRecords} audit record(s): restore the key file from its backup ` +
      `(or give the keys in ${KEYS_ENV}); starting with a new key would leave all of it unreadable`,
  );
}

/**
 * With a key-encryption key and no keys in the database yet: refuses when the
 * store already holds sealed data (its keys were somewhere else: import them
 * by starting once with the key file beside, or SECURE_ENVELOPE_KEYS set).
 */
export async function refuseKeylessData(db: Db, kekSource: string): Promise<void> {
  const sealed = await sealedData(db);
  if (sealed.envelopes === 0 && sealed.auditRecords === 0) return;
  throw new KeyringError(
    'KEY_FILE_MISSING',
    `the database holds ${sealed.envelopes} envelope(s)` +
      (sealed.kids.length > 0 ? ` sealed with key(s) ${listed(sealed.kids)}` : '') +
      ` and ${sealed.auditRecords} audit record(s), but no keys for ${kekSource} to open: start once with ` +
      `the key file that sealed them in the data folder (or ${KEYS_ENV} set), and its keys are imported`,
  );
}

/** With the keys loaded: refuses when stored envelopes were sealed with keys the keyring does not have. */
export async function refuseForeignKeys(db: Db, keyring: Keyring): Promise<void> {
  const have = new Set(keyring.list().map((k) => k.kid));
  const sealed = await sealedData(db);
  const lacking = sealed.kids.filter((kid) => !have.has(kid));
  if (lacking.length === 0) return;
  throw new KeyringError(
    'KEYS_DO_NOT_MATCH',
    `the store holds envelopes sealed with key(s) ${listed(lacking)}, which the keys in ${keyring.source} ` +
      'do not have: every instance of a deployment needs the same keys (copy the key file to each, or give ' +
      `them all the same ${KEYS_ENV})`,
  );
}

function listed(kids: readonly string[]): string {
  return kids.length <= 3 ? kids.join(', ') : `${kids.slice(0, 3).join(', ')} and ${kids.length - 3} more`;
}
