import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, bindAuditSealer, type AuditEntry } from '../../../src/server/audit/audit-log';
import { AuditSealer, sealPendingAudit } from '../../../src/server/audit/sealer';
import { verifyAuditChain } from '../../../src/server/audit/verify';
import { openStore, type Store } from '../../../src/server/store/db';
import { openTestStore, type TestStore } from '../helpers/stores';

/**
 * On PostgreSQL, actions write their audit records unchained (no lock held
 * until commit) and a sealer chains them. What must hold: a store-run
 * transaction resolves with its records already in the chain; records whose
 * writer never sealed them are sealed by any instance's sweep; a rolled-back
 * action leaves nothing; several sealers never fork or duplicate the chain.
 */
const entry = (n: number): AuditEntry => ({
  actor: `recipient:r${n}@clinic.example`,
  action: 'message.read',
  target: `envelope:env-${n}`,
  outcome: 'ok',
  detail: { n },
});

async function count(store: Store, table: 'audit_log' | 'audit_pending'): Promise<number> {
  const row = await store.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<string | number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describe('the audit sealer on postgres', () => {
  let store: TestStore;
  let key: Uint8Array;
  let sealer: AuditSealer | undefined;
  const logged: string[] = [];
  beforeAll(async () => {
    store = await openTestStore('postgres');
  });
  afterAll(async () => {
    await store.cleanup();
  });
  beforeEach(async () => {
    await sealer?.stop();
    key = randomBytes(32);
    const started = new AuditSealer(store.db, key, (line) => logged.push(line));
    started.start();
    sealer = started;
    await store.db.deleteFrom('audit_log').execute();
    await store.db.deleteFrom('audit_pending').execute();
  });

  it('answers a store transaction after its records are in the chain, with none left pending', async () => {
    await Promise.all(
      Array.from({ length: 60 }, (_, n) =>
        store.transact(async (trx) => {
          await appendAudit(trx, key, store.dialect, [entry(n), entry(n + 1000)]);
          // Each transaction's records are in the chain when its caller hears "done".
        }),
      ),
    );
    expect(await count(store, 'audit_log')).toBe(120);
    expect(await count(store, 'audit_pending')).toBe(0);
    expect(await verifyAuditChain(store.db, key)).toMatchObject({ ok: true, records: 120 });
    // Records of one action stay together and in their order.
    const rows = await store.db.selectFrom('audit_log').select(['seq', 'target']).orderBy('seq').execute();
    for (let i = 0; i < rows.length; i += 2) {
      const n = Number(rows[i]!.target.replace('envelope:env-', ''));
      expect(rows[i + 1]!.target).toBe(`envelope:env-${n + 1000}`);
    }
  });

  it('takes no lock while the action runs: another action commits while one is still open', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const slow = store.transact(async (trx) => {
      await appendAudit(trx, key, store.dialect, entry(1));
      await held;
    });
    // Under the chain's lock this would wait for the slow transaction.
    const quick = await Promise.race([
      store.transact((trx) => appendAudit(trx, key, store.dialect, entry(2))).then(() => 'committed'),
      new Promise((r) => {
        setTimeout(() => {
          r('waited');
        }, 3000);
      }),
    ]);
    release();
    await slow;
    expect(quick).toBe('committed');
    expect(await verifyAuditChain(store.db, key)).toMatchObject({ ok: true, records: 2 });
  });

  it('leaves nothing of a rolled-back action', async () => {
    await expect(
      store.transact(async (trx) => {
        await appendAudit(trx, key, store.dialect, entry(1));
        throw new Error('the action failed');
      }),
    ).rejects.toThrow('the action failed');
    expect(await count(store, 'audit_pending')).toBe(0);
    expect(await count(store, 'audit_log')).toBe(0);
  });

  it('seals, within the sweep, records whose writer never did (an untracked transaction, a crash)', async () => {
    // A transaction the store did not open: nobody tells the sealer it committed.
    await store.db.transaction().execute((trx) => appendAudit(trx, key, store.dialect, entry(7)));
    expect(await count(store, 'audit_pending')).toBe(1);
    const deadline = Date.now() + 5000;
    while ((await count(store, 'audit_log')) === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await count(store, 'audit_log')).toBe(1);
    expect(await count(store, 'audit_pending')).toBe(0);
    expect(await verifyAuditChain(store.db, key)).toMatchObject({ ok: true, records: 1 });
  });

  it('keeps one chain when two instances seal at once', async () => {
    // A second instance: its own connections, its own sealer for the same key.
    await sealer?.stop();
    const other = await openStore({ dataDir: store.dataDir, databaseUrl: store.databaseUrl });
    try {
      // Both write pending records without a sealer bound, then both seal.
      await Promise.all(
        Array.from({ length: 40 }, (_, n) =>
          (n % 2 === 0 ? store : other).db
            .insertInto('audit_pending')
            .values({
              id: `2026-01-01T00:00:00.000Z/${String(n).padStart(7, '0')}/test`,
              at: '2026-01-01T00:00:00.000Z',
              actor: 'system',
              action: 'message.read',
              target: `envelope:env-${n}`,
              outcome: 'ok',
              source_ip: null,
              detail: '{}',
            })
            .execute(),
        ),
      );
      const moved = await Promise.all([
        sealPendingAudit(store.db, key),
        sealPendingAudit(other.db, key),
        sealPendingAudit(store.db, key),
      ]);
      expect(moved.reduce((a, b) => a + b, 0)).toBe(40);
      expect(await verifyAuditChain(store.db, key)).toMatchObject({ ok: true, records: 40 });
      // Sealed in id order, whoever sealed them.
      const targets = (await store.db.selectFrom('audit_log').select('target').orderBy('seq').execute()).map(
        (r) => r.target,
      );
      expect(targets).toEqual(Array.from({ length: 40 }, (_, n) => `envelope:env-${n}`));
    } finally {
      await other.close();
    }
  });

  it('chains in the action itself where no sealer serves the key', async () => {
    await sealer?.stop();
    bindAuditSealer(key, undefined);
    const head = await appendAudit(store.db, key, store.dialect, entry(1));
    expect(head).toMatchObject({ seq: 1 });
    expect(await count(store, 'audit_pending')).toBe(0);
  });
});
