/**
 * Key rotation: a new current key, then every stored content key rewrapped
 * under it. Only the small wrapped keys change; message bodies and
 * attachment blobs are never decrypted or rewritten.
 *
 * Everything the keyring encrypts is covered: message bodies, attachment data
 * keys and names, recipients' replies, the answers kept for idempotent
 * retries, and notices still waiting in the outbox. Once nothing names an old
 * key, `retireKey` removes it from the key file.
 *
 * Work goes in batches, each in its own transaction, so a rotation of a large
 * store never holds one long transaction, and an interrupted one leaves every
 * row either fully under the old key or fully under the new one. Running
 * `rewrapAll` again finishes the job; rows already under the key are skipped.
 */
import type { Db } from '../store/db';
import { contentKid, ContentCryptoError, rewrapContent } from './content-crypto';
import { KeyringError, type Keyring } from './keyring';

export interface RewrapFailure {
  /**
   * "envelope:<id>", "attachment:<id>", "portal-message:<id>",
   * "portal-attachment:<id>", "idempotency-response:<envelope id>" or "outbox:<id>".
   */
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
  /** Stored answers to envelope requests, replayed when a sender retries. */
  idempotencyResponses: number;
  /** Notices and relayed mail still waiting in the outbox (sent ones hold nothing encrypted). */
  notices: number;
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
  const idempotencyResponses = await rewrapIdempotency(db, keyring, kid, batchSize, failed);
  const notices = await rewrapOutbox(db, keyring, kid, batchSize, failed);
  return {
    kid,
    envelopes,
    attachments,
    portalMessages,
    portalAttachments,
    idempotencyResponses,
    notices,
    failed,
  };
}

interface BatchResult<C = string> {
  lastId: C | undefined;
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
  return pageThrough(batchSize, failed, '', (after) =>
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
  return pageThrough(batchSize, failed, '', (after) =>
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
 * The answers kept for idempotent retries. They name their key only inside
 * the JWE, so every row is read; rotation is rare and the rows are small.
 */
async function rewrapIdempotency(
  db: Db,
  keyring: Keyring,
  kid: string,
  batchSize: number,
  failed: RewrapFailure[],
): Promise<number> {
  return pageThrough<IdempotencyCursor>(batchSize, failed, { subject: '', key: '' }, (after) =>
    db.transaction().execute(async (trx): Promise<BatchResult<IdempotencyCursor>> => {
      const rows = await idempotencyPage(trx, after, batchSize);
      const last = rows.at(-1);
      const result: BatchResult<IdempotencyCursor> = {
        lastId: last === undefined ? undefined : { subject: last.sender_subject, key: last.key },
        rows: rows.length,
        rewrapped: 0,
        failed: [],
      };
      for (const row of rows) {
        // A "not sent" marker holds no sealed answer: nothing to rewrap.
        if (row.response_json === '') continue;
        const target = `idempotency-response:${row.envelope_id}`;
        if (attempt(() => contentKid(row.response_json), target, result) === kid) continue;
        const jwe = attempt(() => rewrapContent(keyring, row.response_json, kid), target, result);
        if (jwe === undefined) continue;
        // Conditional on the text read: a row changed (or deleted) meanwhile is left alone.
        const updated = await trx
          .updateTable('idempotency_keys')
          .set({ response_json: jwe })
          .where('sender_subject', '=', row.sender_subject)
          .where('key', '=', row.key)
          .where('response_json', '=', row.response_json)
          .executeTakeFirst();
        result.rewrapped += Number(updated.numUpdatedRows);
      }
      return result;
    }),
  );
}

/**
 * Outbox rows still holding their mail (pending and dead ones; a sent row's
 * text is scrubbed and holds nothing encrypted). The worker may send or
 * scrub a row meanwhile: the update is conditional on the text read.
 */
async function rewrapOutbox(
  db: Db,
  keyring: Keyring,
  kid: string,
  batchSize: number,
  failed: RewrapFailure[],
): Promise<number> {
  return pageThrough(batchSize, failed, '', (after) =>
    db.transaction().execute(async (trx): Promise<BatchResult> => {
      const rows = await trx
        .selectFrom('outbox')
        .select(['id', 'notice_json'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(batchSize)
        .execute();
      const result: BatchResult = { lastId: rows.at(-1)?.id, rows: rows.length, rewrapped: 0, failed: [] };
      for (const row of rows) {
        if (!looksLikeJwe(row.notice_json)) continue;
        const target = `outbox:${row.id}`;
        if (attempt(() => contentKid(row.notice_json), target, result) === kid) continue;
        const jwe = attempt(() => rewrapContent(keyring, row.notice_json, kid), target, result);
        if (jwe === undefined) continue;
        const updated = await trx
          .updateTable('outbox')
          .set({ notice_json: jwe })
          .where('id', '=', row.id)
          .where('notice_json', '=', row.notice_json)
          .executeTakeFirst();
        result.rewrapped += Number(updated.numUpdatedRows);
      }
      return result;
    }),
  );
}

/** What still needs a key: rows per kind whose stored JWEs name it. */
export interface KeyUsage {
  envelopes: number;
  attachments: number;
  portalMessages: number;
  portalAttachments: number;
  idempotencyResponses: number;
  notices: number;
}

/**
 * Counts every stored row that names `kid`, in any of its JWEs. It reads the
 * JWEs themselves, not only the kid columns, since a key must not leave while
 * a single ciphertext still needs it.
 */
export async function keyUsage(db: Db, kid: string, options: RotationOptions = {}): Promise<KeyUsage> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const names = (...jwes: string[]) => jwes.some((jwe) => looksLikeJwe(jwe) && kidOrNull(jwe) === kid);
  const usage: KeyUsage = {
    envelopes: 0,
    attachments: 0,
    portalMessages: 0,
    portalAttachments: 0,
    idempotencyResponses: 0,
    notices: 0,
  };
  for (const table of ['envelopes', 'portal_messages'] as const) {
    await scanById(batchSize, (after) =>
      db
        .selectFrom(table as 'envelopes')
        .select(['id', 'content_jwe', 'content_kid'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(batchSize)
        .execute()
        .then((rows) => {
          for (const r of rows) {
            if (r.content_kid === kid || names(r.content_jwe)) {
              if (table === 'envelopes') usage.envelopes += 1;
              else usage.portalMessages += 1;
            }
          }
          return rows;
        }),
    );
  }
  for (const table of ['attachments', 'portal_attachments'] as const) {
    await scanById(batchSize, (after) =>
      db
        .selectFrom(table as 'attachments')
        .select(['id', 'wrapped_key', 'wrapped_kid', 'meta_jwe'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(batchSize)
        .execute()
        .then((rows) => {
          for (const r of rows) {
            if (r.wrapped_kid === kid || names(r.wrapped_key, r.meta_jwe)) {
              if (table === 'attachments') usage.attachments += 1;
              else usage.portalAttachments += 1;
            }
          }
          return rows;
        }),
    );
  }
  await scanById(batchSize, (after) =>
    db
      .selectFrom('outbox')
      .select(['id', 'notice_json'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(batchSize)
      .execute()
      .then((rows) => {
        for (const r of rows) if (names(r.notice_json)) usage.notices += 1;
        return rows;
      }),
  );
  let after: IdempotencyCursor = { subject: '', key: '' };
  for (;;) {
    const rows = await idempotencyPage(db, after, batchSize);
    for (const r of rows) if (names(r.response_json)) usage.idempotencyResponses += 1;
    const last = rows.at(-1);
    if (rows.length < batchSize || last === undefined) break;
    after = { subject: last.sender_subject, key: last.key };
  }
  return usage;
}

export type RetireResult =
  | { retired: true; kid: string }
  /** Refused: what still names the key. */
  | { retired: false; kid: string; usage: KeyUsage };

/**
 * Removes `kid` from the key file once nothing stored names it; otherwise
 * leaves it and says what does. The current key is refused (KeyringError
 * `CURRENT_KID`) before anything is read, as is an unknown one (`UNKNOWN_KID`).
 *
 * Nothing new is written under a key that is not current, so "nothing uses
 * it" cannot stop being true between the count and the removal.
 */
export async function retireKey(db: Db, keyring: Keyring, kid: string): Promise<RetireResult> {
  if (keyring.current().kid === kid)
    throw new KeyringError('CURRENT_KID', `'${kid}' is the current key; rotate before retiring it`);
  // Throws UNKNOWN_KID for a key this keyring does not have.
  keyring.get(kid);
  const usage = await keyUsage(db, kid);
  if (Object.values(usage).some((n) => n > 0)) return { retired: false, kid, usage };
  await keyring.retire(kid);
  return { retired: true, kid };
}

interface IdempotencyCursor {
  subject: string;
  key: string;
}

/** One page of idempotency_keys in primary-key order, after `after`. */
function idempotencyPage(db: Pick<Db, 'selectFrom'>, after: IdempotencyCursor, batchSize: number) {
  return db
    .selectFrom('idempotency_keys')
    .select(['sender_subject', 'key', 'envelope_id', 'response_json'])
    .where((eb) =>
      eb.or([
        eb('sender_subject', '>', after.subject),
        eb.and([eb('sender_subject', '=', after.subject), eb('key', '>', after.key)]),
      ]),
    )
    .orderBy('sender_subject')
    .orderBy('key')
    .limit(batchSize)
    .execute();
}

/** Reads pages by id until a short one. */
async function scanById(
  batchSize: number,
  page: (after: string) => Promise<readonly { id: string }[]>,
): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await page(after);
    const last = rows.at(-1);
    if (rows.length < batchSize || last === undefined) return;
    after = last.id;
  }
}

/** A stored text that is a JWE at all (a delivered notice is scrubbed to plain JSON). */
function looksLikeJwe(text: string): boolean {
  return text.includes('"protected"') && text.includes('"encrypted_key"');
}

function kidOrNull(jwe: string): string | null {
  try {
    return contentKid(jwe);
  } catch {
    return null;
  }
}

/**
 * Runs `batch` (one transaction) page after page until a short page. Paging
 * by key, not "until none are left", so a row that cannot be rewrapped is
 * passed only once.
 */
async function pageThrough<C = string>(
  batchSize: number,
  failed: RewrapFailure[],
  start: C,
  batch: (after: C) => Promise<BatchResult<C>>,
): Promise<number> {
  let total = 0;
  let after = start;
  for (;;) {
    const page = await batch(after);
    total += page.rewrapped;
    failed.push(...page.failed);
    if (page.rows < batchSize || page.lastId === undefined) return total;
    after = page.lastId;
  }
}

/** Runs one row's rewrap; a crypto failure is recorded against the row, anything else propagates. */
function attempt<T>(work: () => T, target: string, result: { failed: RewrapFailure[] }): T | undefined {
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
