import type { Insertable, Transaction } from 'kysely';
import { noticeAad } from '../crypto/bindings';
import { encryptContent } from '../crypto/content-crypto';
import type { Keyring } from '../crypto/keyring';
import { newId } from '../ids';
import type { Write } from '../store/write-together';
import type { Database, OutboxTable } from '../store/schema';
import type { OutboundMail } from './outbound-mail';

/**
 * The one writer of outbox rows: envelope notices, resent links and portal
 * mail all queue through here, so every row is encrypted and bound to its id
 * the same way, and the worker can open any of them.
 */

export interface MailToQueue {
  to: string;
  mail: OutboundMail;
  /** Stable Message-ID of the e-mail, angle brackets included. */
  messageId: string;
  /** What the row belongs to, for the audit records of its delivery. */
  envelopeId: string;
  recipientId: string;
}

/** A fresh outbox row id, for a caller whose Message-ID names the row. */
export function newOutboxId(): string {
  return newId();
}

/**
 * An outbox row for one e-mail, its JSON encrypted and bound to the row (it
 * may hold a secure link, a reply's text and attachments). Prepared outside
 * the transaction; the caller inserts it with the action it belongs to.
 */
export async function prepareOutboxRow(
  keyring: Keyring,
  item: MailToQueue,
  now: Date,
  id: string = newOutboxId(),
): Promise<Insertable<OutboxTable>> {
  const at = now.toISOString();
  return {
    id,
    envelope_id: item.envelopeId,
    recipient_id: item.recipientId,
    message_id: item.messageId,
    to_address: item.to,
    notice_json: (await encryptContent(keyring, item.mail, noticeAad(id))).jwe,
    status: 'pending',
    next_attempt_at: at,
    last_error: null,
    created_at: at,
    sent_at: null,
  };
}

export async function insertOutboxRows(
  trx: Transaction<Database>,
  rows: readonly Insertable<OutboxTable>[],
): Promise<void> {
  if (rows.length > 0) await outboxInsert(trx, rows).execute();
}

/** The same insert, unexecuted, for a caller that sends it with others (see writeTogether). */
export function outboxInsert(trx: Transaction<Database>, rows: readonly Insertable<OutboxTable>[]): Write {
  return trx.insertInto('outbox').values(rows);
}
