/**
 * Key rotation: a new current key, then every stored content key rewrapped
 * under it. Only the small wrapped keys change; message bodies and
 * attachment blobs are never decrypted or rewritten.
 *
 * Work goes in batches, each in its own transaction, so a rotation of a large
 * store never holds one long transaction, and an interrupted one leaves every
 * row either fully under the old key or fully under the new one. Running
 * `rewrapAll` again finishes the job; rows already under the key are skipped.
 */
import type { Db } from '../store/db';
import { ContentCryptoError, rewrapContent } from './content-crypto';
import { KeyringError, type Keyring } from './keyring';

export interface RewrapFailure {
  /** "envelope:<id>", "attachment:<id>", "portal-message:<id>" or "portal-attachment:<id>". */
  target: string;
  reason: string;
}

export interface RotationResult {
  /** The key everything is now wrapped under. */
  kid: string;
  /** Rows rewrapped by this run. */
  envelopes: number;
  attachments: number;
  /** Recipients' replies and new messages, and their attachments. */
  portalMessages: number;
  portalAttachments: number;
  /** Rows that could not be rewrapped; they are left exactly as they were. */
  failed: RewrapFailure[];
}

export interface RotationOptions {
  /** Rows a transaction; envelopes carry whole message JWEs, so keep this modest. */
  batchSize?: number;
}

const DEFAULT_BATCH = 100;

/** Adds a new current key and rewraps every envelope and attachment under it. */
export async function rotateKeys(
  db: Db,
  keyring: Keyring,
  options: RotationOptions = {},
): Promise<RotationResult> {
  const kid = await keyring.rotate();
  return rewrapAll(db, keyring, kid, options);
}

/** Rewraps everything not yet under `kid` (by default the current key): resumes an interrupted rotation. */
export async function rewrapAll(
  db: Db,
  keyring: Keyring,
  kid: string = keyring.current().kid,
  options: RotationOptions = {},
): Promise<RotationResult> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  // Fail before touching any row if the target key is unknown.
  keyring.get(kid);
  const failed: RewrapFailure[] = [];
  const envelopes = await rewrapBodies(db, 'envelopes', keyring, kid, batchSize, failed);
  const attachments = await rewrapAttachments(db, 'attachments', keyring, kid, batchSize, failed);
  const portalMessages = await rewrapBodies(db, 'portal_messages', keyring, kid, batchSize, failed);
  const portalAttachments = await rewrapAttachments(
    db,
    'portal_attachments',
    keyring,
    kid,
    batchSize,
    failed,
  );
  return { kid, envelopes, attachments, portalMessages, portalAttachments, failed };
}

interface BatchResult {
  lastId: string | undefined;
  rows: number;
  rewrapped: number;
  failed: RewrapFailure[];
}

/**
 * Tables whose rows hold a message body and its kid. The portal's tables have
 * the same columns as the envelope tables; the queries are typed against the
 * envelope tables and run on either.
 */
type BodyTable = 'envelopes' | 'portal_messages';
type AttachmentTable = 'attachments' | 'portal_attachments';

/** How a failure names its row: "envelope:<id>", "portal-attachment:<id>"… */
const ROW_NAME: Record<BodyTable | AttachmentTable, string> = {
  envelopes: 'envelope',
  attachments: 'attachment',
  portal_messages: 'portal-message',
  portal_attachments: 'portal-attachment',
};

async function rewrapBodies(
  db: Db,
  table: BodyTable,
  keyring: Keyring,
  kid: string,
  batchSize: number,
  failed: RewrapFailure[],
): Promise<number> {
  return pageThrough(batchSize, failed, (after) =>
    db.transaction().execute(async (trx): Promise<BatchResult> => {
      const rows = await trx
        .selectFrom(table as 'envelopes')
        .select(['id', 'content_jwe', 'content_kid'])
        .where('content_kid', '<>', kid)
        .where('id', '>', after)
        .orderBy('id')
        .limit(batchSize)
        .execute();
      const result: BatchResult = { lastId: rows.at(-1)?.id, rows: rows.length, rewrapped: 0, failed: [] };
      for (const row of rows) {
        const jwe = attempt(
          () => rewrapContent(keyring, row.content_jwe, kid),
          `${ROW_NAME[table]}:${row.id}`,
          result,
        );
        if (jwe === undefined) continue;
        // Conditional on the kid read: a row changed meanwhile is left to the next run.
        const updated = await trx
          .updateTable(table as 'envelopes')
          .set({ content_jwe: jwe, content_kid: kid })
          .where('id', '=', row.id)
          .where('content_kid', '=', row.content_kid)
          .executeTakeFirst();
        result.rewrapped += Number(updated.numUpdatedRows);
      }
      return result;
    }),
  );
}

async function rewrapAttachments(
  db: Db,
  table: AttachmentTable,
  keyring: Keyring,
  kid: string,
  batchSize: number,
  failed: RewrapFailure[],
): Promise<number> {
  return pageThrough(batchSize, failed, (after) =>
    db.transaction().execute(async (trx): Promise<BatchResult> => {
      const rows = await trx
        .selectFrom(table as 'attachments')
        .select(['id', 'meta_jwe', 'wrapped_key', 'wrapped_kid'])
        .where('wrapped_kid', '<>', kid)
        .where('id', '>', after)
        .orderBy('id')
        .limit(batchSize)
        .execute();
      const result: BatchResult = { lastId: rows.at(-1)?.id, rows: rows.length, rewrapped: 0, failed: [] };
      for (const row of rows) {
        const rewrapped = attempt(
          () => ({
            wrappedKey: rewrapContent(keyring, row.wrapped_key, kid),
            meta: rewrapContent(keyring, row.meta_jwe, kid),
          }),
          `${ROW_NAME[table]}:${row.id}`,
          result,
        );
        if (rewrapped === undefined) continue;
        const updated = await trx
          .updateTable(table as 'attachments')
          .set({ wrapped_key: rewrapped.wrappedKey, wrapped_kid: kid, meta_jwe: rewrapped.meta })
          .where('id', '=', row.id)
          .where('wrapped_kid', '=', row.wrapped_kid)
          .executeTakeFirst();
        result.rewrapped += Number(updated.numUpdatedRows);
      }
      return result;
    }),
  );
}

/**
 * Runs `batch` (one transaction) page after page until a short page. Paging
 * by id, not "until none are left", so a row that cannot be rewrapped is
 * passed only once.
 */
async function pageThrough(
  batchSize: number,
  failed: RewrapFailure[],
  batch: (after: string) => Promise<BatchResult>,
): Promise<number> {
  let total = 0;
  let after = '';
  for (;;) {
    const page = await batch(after);
    total += page.rewrapped;
    failed.push(...page.failed);
    if (page.rows < batchSize || page.lastId === undefined) return total;
    after = page.lastId;
  }
}

/** Runs one row's rewrap; a crypto failure is recorded against the row, anything else propagates. */
function attempt<T>(work: () => T, target: string, result: BatchResult): T | undefined {
  try {
    return work();
  } catch (e) {
    if (e instanceof ContentCryptoError || e instanceof KeyringError) {
      result.failed.push({ target, reason: e.message });
      return undefined;
    }
    throw e;
  }
}
