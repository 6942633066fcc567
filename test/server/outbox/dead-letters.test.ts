/**
 * Dead letters are kept, listed and put back in the queue by a person, with
 * an audit record each; health reports how many wait, how old the oldest is,
 * and how many are dead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOrCreateKeyring, type Keyring } from '../../../src/server/crypto/keyring';
import { listDeadLetters, outboxHealth, requeueDeadLetters } from '../../../src/server/outbox/dead-letters';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/stores';

const T0 = Date.parse('2026-03-01T09:00:00.000Z');

describe.each(STORE_KINDS)('dead letters on %s', (kind) => {
  let store: TestStore;
  let keyring: Keyring;

  beforeAll(async () => {
    store = await openTestStore(kind);
    keyring = await loadOrCreateKeyring(store.dataDir, {});
    const row = (id: string, status: 'pending' | 'dead' | 'sent', notice: string, minutesAgo: number) => ({
      id,
      envelope_id: `env-${id}`,
      recipient_id: `rcp-${id}`,
      message_id: `<${id}@secure.plan.example>`,
      to_address: `${id}@clinic.example`,
      notice_json: notice,
      status,
      attempts: status === 'dead' ? 30 : 1,
      next_attempt_at: new Date(T0).toISOString(),
      last_error: status === 'dead' ? 'EENVELOPE RCPT TO 550' : null,
      created_at: new Date(T0 - minutesAgo * 60_000).toISOString(),
      sent_at: null,
    });
    await store.db
      .insertInto('outbox')
      .values([
        row('kept', 'dead', 'eyJhbGciOiJkaXIifQ.sealed', 90),
        row('scrubbed', 'dead', JSON.stringify({ scrubbed: true }), 80),
        row('waiting', 'pending', 'eyJ.sealed', 45),
        row('gone', 'sent', JSON.stringify({ scrubbed: true }), 10),
      ])
      .execute();
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('health counts the queue, the dead letters and the oldest wait', async () => {
    expect(await outboxHealth(store.db, new Date(T0))).toEqual({
      pending: 1,
      dead: 2,
      oldestPendingSeconds: 45 * 60,
    });
  });

  it('lists dead letters with their error code and whether they can be sent again', async () => {
    const dead = await listDeadLetters(store.db);
    expect(dead.map((d) => [d.id, d.to, d.lastError, d.requeueable])).toEqual([
      ['kept', 'kept@clinic.example', 'EENVELOPE RCPT TO 550', true],
      ['scrubbed', 'scrubbed@clinic.example', 'EENVELOPE RCPT TO 550', false],
    ]);
  });

  it('requeues the ones it can, refuses the rest by name, and audits each', async () => {
    const result = await requeueDeadLetters(
      store,
      keyring,
      ['kept', 'scrubbed', 'waiting', 'nope'],
      'admin:cli',
      new Date(T0),
    );
    expect(result.requeued).toEqual(['kept']);
    expect(result.refused.map((r) => r.id).sort()).toEqual(['nope', 'scrubbed', 'waiting']);
    expect(result.refused.find((r) => r.id === 'scrubbed')!.reason).toContain('resend');
    const kept = await store.db
      .selectFrom('outbox')
      .selectAll()
      .where('id', '=', 'kept')
      .executeTakeFirstOrThrow();
    expect(kept).toMatchObject({
      status: 'pending',
      attempts: 0,
      last_error: null,
      notice_json: 'eyJhbGciOiJkaXIifQ.sealed',
    });
    const audit = await store.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'target'])
      .where('action', '=', 'notice.requeued')
      .execute();
    expect(audit).toEqual([{ actor: 'admin:cli', action: 'notice.requeued', target: 'outbox:kept' }]);
    expect(await outboxHealth(store.db, new Date(T0))).toMatchObject({ pending: 2, dead: 1 });
  });
});
