import type { CreateEnvelopeRequest, CreateEnvelopeResponse } from '../../shared/api';
import type { ServerContext } from '../context';
import { replayAad } from '../crypto/bindings';
import { decryptContentJson, encryptContent } from '../crypto/content-crypto';
import { HttpError } from '../errors';
import { sha256 } from '../ids';
import { auditRefusal } from './authorise';

/**
 * A sender's Idempotency-Key: the same key with the same body answers as the
 * first time did; with another body, 409. The stored answer holds the
 * subject, so it is kept encrypted like the message.
 */

/** What identifies "the same body" for a key. */
export function requestHash(request: CreateEnvelopeRequest): string {
  return sha256(JSON.stringify(request));
}

/** The first answer to this key, or undefined when the key is new; 409 when it named another body. */
export async function findReplay(
  ctx: ServerContext,
  subject: string,
  key: string,
  hash: string,
): Promise<CreateEnvelopeResponse | undefined> {
  const row = await ctx.store.db
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'response_json'])
    .where('sender_subject', '=', subject)
    .where('key', '=', key)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  if (row.request_hash !== hash) {
    await auditRefusal(ctx, subject, null, 'idempotency key reused for another message');
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
