/**
 * The representative hears when a notice of theirs could not be delivered:
 * a short mail to the envelope's sender, queued through the outbox in the
 * transaction that records the dead letter. It names the recipient's address
 * and the relay's reply code, never the message's subject or content.
 */
import type { Transaction } from 'kysely';
import type { Keyring } from '../crypto/keyring';
import { escapeHtml } from '../../shared/html';
import type { Database } from '../store/schema';
import { insertOutboxRows, prepareOutboxRow } from './enqueue';

/** recipient_id of these mails: a dead one of them tells no one (no loop). */
export const SENDER_NOTICE = 'sender-notice';

export async function tellSenderUndeliverable(
  trx: Transaction<Database>,
  keyring: Keyring,
  input: {
    outboxId: string;
    envelopeId: string;
    recipientId: string;
    error?: string | undefined;
    host: string;
  },
  now = new Date(),
): Promise<boolean> {
  if (input.recipientId === SENDER_NOTICE) return false;
  const row = await trx
    .selectFrom('outbox')
    .innerJoin('envelopes', 'envelopes.id', 'outbox.envelope_id')
    .select(['outbox.to_address as to', 'envelopes.sender as sender', 'envelopes.created_at as sentAt'])
    .where('outbox.id', '=', input.outboxId)
    .executeTakeFirst();
  // Portal mail (a recipient's reply, a password link) has no envelope sender to tell.
  if (row === undefined) return false;
  const reply = input.error === undefined ? 'no answer' : input.error;
  const when = row.sentAt.slice(0, 16).replace('T', ' ') + ' UTC';
  const text =
    `The secure message you sent on ${when} could not be announced to ${row.to}: ` +
    `their mail system did not accept the notice with its link (${reply}).\n\n` +
    'Nothing of the message was sent in the clear. Check the address; your administrator can send the ' +
    'notice again once the cause is fixed (secure-envelope outbox requeue), or you can send the message again.\n';
  const html =
    `<p>The secure message you sent on ${escapeHtml(when)} could not be announced to <b>${escapeHtml(row.to)}</b>: ` +
    `their mail system did not accept the notice with its link (${escapeHtml(reply)}).</p>` +
    '<p>Nothing of the message was sent in the clear. Check the address; your administrator can send the ' +
    'notice again once the cause is fixed, or you can send the message again.</p>';
  const prepared = await prepareOutboxRow(
    keyring,
    {
      to: row.sender,
      mail: { subject: 'A secure message could not be delivered', text, html },
      messageId: `<undeliverable.${input.outboxId}@${input.host}>`,
      envelopeId: input.envelopeId,
      recipientId: SENDER_NOTICE,
    },
    now,
  );
  await insertOutboxRows(trx, [prepared]);
  return true;
}
