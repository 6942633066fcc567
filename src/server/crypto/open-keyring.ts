/**
 * The one way the server and its commands get their keys. With a
 * key-encryption key (SECURE_ENVELOPE_KEK or SECURE_ENVELOPE_KEK_FILE), keys
 * live in the database wrapped by it, shared by every instance; without one,
 * in the key file (or SECURE_ENVELOPE_KEYS) of a single machine. Either way,
 * keys that cannot read what the store holds are refused before anything is
 * written with them (see key-guard.ts).
 */
import { join } from 'node:path';
import { AUDIT_ANCHOR_FILE_NAME } from '../audit/anchor';
import type { Store } from '../store/db';
import { kekFromEnvironment, KekError } from './kek';
import { refuseForeignKeys, refuseKeylessData, refuseMissingKeys } from './key-guard';
import { KeyringError, loadOrCreateKeyring, readExistingKeys, type Keyring } from './keyring';
import { openStoreKeyring, type StoreKeyring } from './store-keyring';

export async function openKeyring(
  store: Store,
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Keyring | StoreKeyring> {
  let kek;
  try {
    kek = kekFromEnvironment(env);
  } catch (e) {
    throw new KeyringError(
      'KEY_FILE_INVALID',
      e instanceof KekError ? e.message : 'the key-encryption key is unusable',
    );
  }
  if (kek === undefined) {
    await refuseMissingKeys(store.db, dataDir, env);
    const keyring = await loadOrCreateKeyring(dataDir, env);
    await refuseForeignKeys(store.db, keyring);
    return keyring;
  }
  const stored = await store.db.selectFrom('data_keys').select('kid').limit(1).execute();
  // Moving to a KEK: the keys the deployment had are imported, so what they sealed stays readable.
  const existing = stored.length === 0 ? readExistingKeys(dataDir, env) : undefined;
  if (stored.length === 0 && existing === undefined) await refuseKeylessData(store.db, kek.source);
  const keyring = await openStoreKeyring(store.db, kek, {
    existing,
    anchorFile: join(dataDir, AUDIT_ANCHOR_FILE_NAME),
  });
  await refuseForeignKeys(store.db, keyring);
  return keyring;
}

/** Whether the keys come from the database, and so can change under a running instance. */
export function isStoreKeyring(keyring: Keyring): keyring is StoreKeyring {
  return typeof (keyring as Partial<StoreKeyring>).reload === 'function';
}
