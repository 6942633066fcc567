import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_ACTIONS,
  AUDIT_GENESIS,
  AuditError,
  appendAudit,
  assertSafeDetail,
  type AuditAction,
  type AuditDetail,
  type AuditEntry,
} from '../../../src/server/audit/audit-log';
import { exportAudit, verifyAuditChain } from '../../../src/server/audit/verify';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/stores';

const key = randomBytes(32);

function entry(n: number, action: AuditAction = 'message.read'): AuditEntry {
  return {
    actor: `recipient:r${n}@clinic.example`,
    action,
    target: `envelope:env-${n}`,
    outcome: 'ok',
    sourceIp: '203.0.113.7',
    detail: { attempt: n, first: n === 1, note: null },
  };
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe.each(STORE_KINDS)('audit log on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store.cleanup();
  });
  beforeEach(async () => {
    await store.db.deleteFrom('audit_log').execute();
  });

  const rows = () => store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();

  it('verifies an empty log', async () => {
    expect(await verifyAuditChain(store.db, key)).toEqual({ ok: true, records: 0 });
  });

  it('chains records appended in transactions, from the genesis value', async () => {
    const results = [];
    for (let n = 1; n <= 5; n++) {
      results.push(
        await store.db.transaction().execute(async (trx) => {
          await trx
            .insertInto('recipients')
            .values({ address: `r${n}@clinic.example`, registered_at: null })
            .execute();
          return (await appendAudit(trx, key, store.dialect, entry(n)))!;
        }),
      );
    }
    expect(results.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    const stored = await rows();
    expect(stored.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(stored[0]!.prev_hash).toBe(AUDIT_GENESIS);
    for (let i = 1; i < stored.length; i++) expect(stored[i]!.prev_hash).toBe(stored[i - 1]!.hash);
    expect(stored.map((r) => r.hash)).toEqual(results.map((r) => r.hash));
    expect(stored[0]).toMatchObject({
      actor: 'recipient:r1@clinic.example',
      action: 'message.read',
      target: 'envelope:env-1',
      outcome: 'ok',
      source_ip: '203.0.113.7',
      // Canonical: keys sorted.
      detail: '{"attempt":1,"first":true,"note":null}',
    });
    expect(new Date(stored[0]!.at).toISOString()).toBe(stored[0]!.at);

    expect(await verifyAuditChain(store.db, key)).toEqual({ ok: true, records: 5, head: results[4]!.hash });
    // Batches smaller than the log, and not dividing it, give the same answer.
    expect(await verifyAuditChain(store.db, key, { batch: 2 })).toEqual({
      ok: true,
      records: 5,
      head: results[4]!.hash,
    });
  });

  it('appends in a transaction of its own when given the database', async () => {
    await appendAudit(store.db, key, store.dialect, entry(1, 'signin.ok'));
    await appendAudit(store.db, key, store.dialect, { ...entry(2, 'signin.failed'), outcome: 'denied' });
    expect(await verifyAuditChain(store.db, key)).toMatchObject({ ok: true, records: 2 });
  });

  it('leaves no record and no gap when the transaction rolls back', async () => {
    await appendAudit(store.db, key, store.dialect, entry(1));
    await expect(
      store.db.transaction().execute(async (trx) => {
        await appendAudit(trx, key, store.dialect, entry(2, 'envelope.revoked'));
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect((await rows()).map((r) => r.seq)).toEqual([1]);
    const next = (await appendAudit(store.db, key, store.dialect, entry(3)))!;
    expect(next.seq).toBe(2);
    expect(await verifyAuditChain(store.db, key)).toMatchObject({ ok: true, records: 2 });
  });

  it('keeps one unbroken chain under 50 concurrent transactions', async () => {
    const settled = await Promise.allSettled(
      Array.from({ length: 50 }, (_, n) =>
        store.db.transaction().execute(async (trx) => {
          // Work before and after the append widens the window a fork would need.
          await trx.selectFrom('recipients').select('address').limit(1).execute();
          const result = (await appendAudit(trx, key, store.dialect, entry(n + 1, 'link.opened')))!;
          await trx.selectFrom('audit_log').select('seq').where('seq', '=', result.seq).execute();
          return result;
        }),
      ),
    );
    const failed = settled.filter((s) => s.status === 'rejected');
    expect(failed).toEqual([]);
    const stored = await rows();
    expect(stored.map((r) => r.seq)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(stored.map((r) => r.prev_hash)).size).toBe(50);
    expect(await verifyAuditChain(store.db, key, { batch: 7 })).toMatchObject({ ok: true, records: 50 });
  });

  it('exports records in order, filtered by time', async () => {
    const base = Date.parse('2025-03-01T00:00:00.000Z');
    for (let n = 1; n <= 6; n++) {
      await appendAudit(store.db, key, store.dialect, { ...entry(n), at: new Date(base + n * 3_600_000) });
    }
    const all = await collect(exportAudit(store.db, { batch: 4 }));
    expect(all.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(all[1]).toEqual({
      seq: 2,
      at: '2025-03-01T02:00:00.000Z',
      actor: 'recipient:r2@clinic.example',
      action: 'message.read',
      target: 'envelope:env-2',
      outcome: 'ok',
      sourceIp: '203.0.113.7',
      detail: { attempt: 2, first: false, note: null },
      prevHash: all[0]!.hash,
      hash: all[1]!.hash,
    });
    const window = await collect(
      exportAudit(store.db, {
        from: new Date('2025-03-01T02:00:00Z'),
        to: new Date('2025-03-01T05:00:00Z'),
        batch: 2,
      }),
    );
    expect(window.map((r) => r.seq)).toEqual([2, 3, 4]);
  });

  it('refuses content and secrets in detail, and writes nothing then', async () => {
    const refused: AuditDetail[] = [
      { body: 'Dear Dr. Smith' },
      { password: 'hunter2' },
      { bodyHtml: '<p>x</p>' },
      { reset_token: 'abc' },
      { 'X-Subject': 'Lab results' },
      { accessToken: 'eyJ' },
      { attachmentFilename: 'labs.pdf' },
    ];
    for (const detail of refused) {
      await expect(appendAudit(store.db, key, store.dialect, { ...entry(1), detail })).rejects.toThrow(
        AuditError,
      );
    }
    await expect(
      appendAudit(store.db, key, store.dialect, { ...entry(1), detail: { reason: 'x'.repeat(257) } }),
    ).rejects.toThrow(/longer than/);
    await expect(
      appendAudit(store.db, key, store.dialect, {
        ...entry(1),
        detail: { nested: { a: 1 } as unknown as string },
      }),
    ).rejects.toThrow(/string, number, boolean or null/);
    await expect(
      appendAudit(store.db, key, store.dialect, { ...entry(1), action: 'message.printed' as AuditAction }),
    ).rejects.toThrow(/unknown audit action/);
    expect(await rows()).toEqual([]);
  });
});

describe('audit vocabulary and detail guard', () => {
  it('has the actions the server records', () => {
    for (const action of [
      'envelope.created',
      'notice.queued',
      'notice.sent',
      'notice.retry',
      'notice.failed',
      'link.opened',
      'message.read',
      'attachment.downloaded',
      'signin.ok',
      'signin.failed',
      'password.reset',
      'envelope.revoked',
      'keys.rotated',
    ]) {
      expect(AUDIT_ACTIONS).toContain(action);
    }
  });

  it('accepts ids, counts and reasons', () => {
    expect(() => {
      assertSafeDetail({
        envelope: 'env-1',
        recipient: 'rcp-1',
        recipients: 3,
        attachments: 0,
        attempts: 2,
        kid: 'k-2025',
        reason: 'expired',
        registered: true,
      });
    }).not.toThrow();
  });

  it.each(['body', 'html', 'text', 'subject', 'password', 'token', 'secret', 'cookie', 'Authorization'])(
    "refuses the key '%s'",
    (k) => {
      expect(() => {
        assertSafeDetail({ [k]: 'x' });
      }).toThrow(AuditError);
    },
  );
});
