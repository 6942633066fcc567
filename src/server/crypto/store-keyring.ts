/**
 * Keys kept in the database, wrapped by the operator's key-encryption key
 * (see kek.ts): what a fleet uses, so every instance reads the same keys and
 * one instance's rotation reaches the others (each reads the table again every
 * 10 s).
 *
 * Rows of `data_keys`: one 'audit' key (kid "audit") and the content keys;
 * the newest content key is current, so a rotation is one insert and two
 * instances rotating at once both succeed. The first instance to start with
 * an empty table creates the keys, or imports those of an existing key file
 * (or SECURE_ENVELOPE_KEYS), so data sealed before the move stays readable.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from '../store/db';
import type { KeyEncryptionKey } from './kek';
import { KeyringError, StaticKeyring, newKeyFile, type KeyFile, type Keyring } from './keyring';

const AUDIT_KID = 'audit';

export interface StoreKeyring extends Keyring {
  /** Reads the table again: keys another instance added or retired. */
  reload(): Promise<void>;
}

/** Context bound into each wrapped key: a wrapped key copied to another row does not open. */
const contextOf = (kid: string, purpose: string): string => `secure-envelope data key ${purpose}:${kid}`;

interface Row {
  kid: string;
  purpose: string;
  wrapped: string;
  created_at: string;
}

async function readKeys(db: Db, kek: KeyEncryptionKey): Promise<KeyFile | undefined> {
  const rows: Row[] = await db
    .selectFrom('data_keys')
    .selectAll()
    .orderBy('created_at')
    .orderBy('kid')
    .execute();
  const audit = rows.find((r) => r.purpose === 'audit');
  const content = rows.filter((r) => r.purpose === 'content');
  if (audit === undefined || content.length === 0) return undefined;
  const open = async (r: Row): Promise<string> => {
    try {
      return Buffer.from(await kek.unwrap(r.wrapped, contextOf(r.kid, r.purpose))).toString('base64url');
    } catch {
      throw new KeyringError(
        'KEK_MISMATCH',
        `${kek.source} does not open the keys stored in the database (key '${r.kid}'): every instance ` +
          'of a deployment needs the same key-encryption key',
      );
    }
  };
  const keys = [];
  for (const r of content) keys.push({ kid: r.kid, key: await open(r), createdAt: r.created_at });
  return { version: 1, current: keys[keys.length - 1]!.kid, keys, auditKey: await open(audit) };
}

async function insertKeys(db: Db, kek: KeyEncryptionKey, file: KeyFile): Promise<void> {
  const rows: Row[] = [
    {
      kid: AUDIT_KID,
      purpose: 'audit',
      wrapped: await kek.wrap(Buffer.from(file.auditKey, 'base64url'), contextOf(AUDIT_KID, 'audit')),
      created_at: file.keys[0]!.createdAt,
    },
  ];
  for (const k of file.keys) {
    rows.push({
      kid: k.kid,
      purpose: 'content',
      wrapped: await kek.wrap(Buffer.from(k.key, 'base64url'), contextOf(k.kid, 'content')),
      // The file's current key must come out newest: it is what wrote last.
      created_at: k.kid === file.current ? maxDate(file) : k.createdAt,
    });
  }
  // Two instances starting on an empty table: the first one's keys stay, the other reads them.
  await db
    .insertInto('data_keys')
    .values(rows)
    .onConflict((oc) => oc.column('kid').doNothing())
    .execute();
}

function maxDate(file: KeyFile): string {
  return file.keys.map((k) => k.createdAt).reduce((a, b) => (a > b ? a : b));
}

/**
 * Opens the keys in the database, creating them (or importing `existing`,
 * the key file of a deployment moving to a KEK) when the table is empty.
 */
export async function openStoreKeyring(
  db: Db,
  kek: KeyEncryptionKey,
  options: { existing?: KeyFile | undefined; anchorFile?: string | undefined } = {},
): Promise<StoreKeyring> {
  let contents = await readKeys(db, kek);
  if (contents === undefined) {
    // Content keys alone without an audit key (or the reverse) are never written: one insert holds both.
    await db.transaction().execute(async (trx) => {
      const again = await trx.selectFrom('data_keys').select('kid').limit(1).execute();
      if (again.length === 0) await insertKeys(trx, kek, options.existing ?? newKeyFile());
    });
    contents = await readKeys(db, kek);
    if (contents === undefined)
      throw new KeyringError('KEY_FILE_INVALID', 'the keys in the database are incomplete');
  }
  return new DbKeyring(db, kek, contents, options.anchorFile);
}

class DbKeyring extends StaticKeyring implements StoreKeyring {
  constructor(
    private readonly db: Db,
    private readonly kek: KeyEncryptionKey,
    contents: KeyFile,
    anchorFile?: string,
  ) {
    super(`the database (keys wrapped by ${kek.source})`, contents, anchorFile);
  }

  async reload(): Promise<void> {
    const contents = await readKeys(this.db, this.kek);
    if (contents !== undefined) this.load(contents);
  }

  override async rotate(): Promise<string> {
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const kid = `k${day}-${randomBytes(4).toString('hex')}`;
    const key = randomBytes(32);
    // Newer than every key there: the current one from now on, on every instance.
    const newest = this.list().reduce((a, k) => (k.createdAt > a ? k.createdAt : a), '');
    const now = new Date().toISOString();
    await this.db
      .insertInto('data_keys')
      .values({
        kid,
        purpose: 'content',
        wrapped: await this.kek.wrap(key, contextOf(kid, 'content')),
        created_at: now > newest ? now : new Date(Date.parse(newest) + 1).toISOString(),
      })
      .execute();
    await this.reload();
    return kid;
  }

  override async retire(kid: string): Promise<void> {
    await this.reload();
    const keys = this.list();
    if (!keys.some((k) => k.kid === kid))
      throw new KeyringError('UNKNOWN_KID', `no key '${kid}' in ${this.source}`);
    if (keys.find((k) => k.current)?.kid === kid)
      throw new KeyringError('CURRENT_KID', `'${kid}' is the current key; rotate before retiring it`);
    await this.db.deleteFrom('data_keys').where('kid', '=', kid).where('purpose', '=', 'content').execute();
    await this.reload();
  }
}
