import type {
  CreateEnvelopeRequest,
  CreateEnvelopeResponse,
  EnvelopeOutcomeResponse,
} from '../../shared/api';
import type { ServerContext } from '../context';
import { replayAad } from '../crypto/bindings';
import { decryptContentJson, encryptContent } from '../crypto/content-crypto';
import { HttpError } from '../errors';
import { sha256 } from '../ids';
import { auditRefusal, type SenderNames } from './authorise';

/**
 * A sender's Idempotency-Key: the same key with the same body answers as the
 * first time did; with another body, 409. The stored answer holds the
 * subject, so it is kept encrypted like the message.
 */

/**
 * The request hash of a key whose send was declared not sent (see
 * settleOutcome). No SHA-256 hex digest looks like it, so no request matches.
 */
const WITHDRAWN = 'withdrawn';

/** A sender's key as stored: the body it named and its sealed answer. */
function readKey(ctx: ServerContext, subject: string, key: string) {
  return ctx.store.db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'response_json'])
    .where('sender_subject', '=', subject)
    .where('key', '=', key)
    .executeTakeFirst();
}

/** What identifies "the same body" for a key. */
export function requestHash(request: CreateEnvelopeRequest): string {
  return sha256(JSON.stringify(request));
}

/** The first answer to this key, or undefined when the key is new; 409 when it named another body. */
export async function findReplay(
  ctx: ServerContext,
  sender: SenderNames,
  key: string,
  hash: string,
): Promise<CreateEnvelopeResponse | undefined> {
  const subject = sender.subject;
  const row = await readKey(ctx, subject, key);
  if (row === undefined) return undefined;
  if (row.request_hash === WITHDRAWN) {
    // Only a request that was still on its way when the sender was told
    // "not sent" meets this: making it now would make that answer false.
    await auditRefusal(ctx, sender, null, 'send arrived after it was reported not sent');
    throw new HttpError(
      'SEND_WITHDRAWN',
      'this message was reported as not sent while it was on its way, so it was not sent; send it again',
    );
  }
  if (row.request_hash !== hash) {
    await auditRefusal(ctx, sender, null, 'idempotency key reused for another message');
    throw new HttpError(
      'IDEMPOTENCY_CONFLICT',
      'this Idempotency-Key was already used for a different message; use a new key for a new message',
    );
  }
  return (await decryptContentJson(
    ctx.keyring,
    row.response_json,
    replayAad(subject, key),
  )) as CreateEnvelopeResponse;
}

/**
 * The answer to a key, sealed for the idempotency_keys row the envelope's
 * transaction writes. A second request racing with the same key fails on the
 * key's uniqueness, and then finds this answer.
 */
export async function sealedAnswer(
  ctx: ServerContext,
  subject: string,
  key: string,
  response: CreateEnvelopeResponse,
): Promise<string> {
  return (await encryptContent(ctx.keyring, response, replayAad(subject, key))).jwe;
}

/**
 * What became of the send `key` names, for a sender whose answer was lost.
 * When no envelope exists, the key is taken by a marker in the same unique
 * row an envelope would write: a create still in flight then fails on it
 * instead of committing, so "not sent" cannot turn out false later. If the
 * create commits first, the marker's insert is the one that fails, and the
 * answer is "sent". The add-in sends again under a new key.
 */
export async function settleOutcome(
  ctx: ServerContext,
  subject: string,
  key: string,
): Promise<EnvelopeOutcomeResponse> {
  const existing = await answerFor(ctx, subject, key);
  if (existing !== undefined) return existing;
  const inserted = await ctx.store.db
    .insertInto('idempotency_keys')
    .values({
      sender_subject: subject,
      key,
      request_hash: WITHDRAWN,
      envelope_id: '',
      response_json: '',
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.columns(['sender_subject', 'key']).doNothing())
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return { status: 'not-sent' };
  // The create committed between the look-up and the marker.
  return (await answerFor(ctx, subject, key)) ?? { status: 'not-sent' };
}

async function answerFor(
  ctx: ServerContext,
  subject: string,
  key: string,
): Promise<EnvelopeOutcomeResponse | undefined> {
  const row = await readKey(ctx, subject, key);
  if (row === undefined) return undefined;
  if (row.request_hash === WITHDRAWN) return { status: 'not-sent' };
  const envelope = (await decryptContentJson(
    ctx.keyring,
    row.response_json,
    replayAad(subject, key),
  )) as CreateEnvelopeResponse;
  return { status: 'sent', envelope };
}

/** Whether an idempotency row is a "not sent" marker, which holds no sealed answer. */
export function isWithdrawnMarker(row: { request_hash: string }): boolean {
  return row.request_hash === WITHDRAWN;
}
