import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTogether } from '../../../src/server/store/write-together';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/stores';

/** Counts the statements a Kysely instance sends (begin and commit are not statements here). */
function counter(): { plugin: KyselyPlugin; count: () => number } {
  let n = 0;
  return {
    plugin: {
      transformQuery: (args) => args.node,
      transformResult: (args) => {
        n++;
        return Promise.resolve(args.result);
      },
    },
    count: () => n,
  };
}

describe.each(STORE_KINDS)('writeTogether on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('runs every write; on PostgreSQL as one statement, with foreign keys to rows of the same batch', async () => {
    const c = counter();
    const db = store.db.withPlugin(c.plugin);
    await db.transaction().execute((trx) =>
      writeTogether(trx, store.dialect, [
        trx.insertInto('envelopes').values({
          id: 'env-1',
          sender: 'rep@plan.example',
          sender_name: null,
          sender_subject: 'oid-1',
          tenant_id: 't',
          content_jwe: 'x',
          content_kid: 'k',
          created_at: '2026-01-01T00:00:00.000Z',
          expires_at: '2026-02-01T00:00:00.000Z',
          revoked_at: null,
        }),
        // References the envelope inserted by the write before it.
        trx
          .insertInto('envelope_recipients')
          .values({ id: 'r-1', envelope_id: 'env-1', address: 'a@clinic.example', kind: 'to' }),
        trx.insertInto('recipients').values({ address: 'a@clinic.example', registered_at: null }),
      ]),
    );
    expect(c.count()).toBe(kind === 'postgres' ? 1 : 3);
    const rows = await store.db.selectFrom('envelope_recipients').select(['id', 'envelope_id']).execute();
    expect(rows).toEqual([{ id: 'r-1', envelope_id: 'env-1' }]);
    expect(await store.db.selectFrom('recipients').select('address').execute()).toEqual([
      { address: 'a@clinic.example' },
    ]);
  });

  it('writes nothing of the batch when one write fails', async () => {
    await expect(
      store.db.transaction().execute((trx) =>
        writeTogether(trx, store.dialect, [
          trx.insertInto('recipients').values({ address: 'b@clinic.example', registered_at: null }),
          // Already there: a primary-key clash.
          trx.insertInto('recipients').values({ address: 'a@clinic.example', registered_at: null }),
        ]),
      ),
    ).rejects.toThrow();
    const addresses = await store.db.selectFrom('recipients').select('address').orderBy('address').execute();
    expect(addresses).toEqual([{ address: 'a@clinic.example' }]);
  });

  it('updates and inserts in one batch', async () => {
    await store.db
      .transaction()
      .execute((trx) =>
        writeTogether(trx, store.dialect, [
          trx
            .updateTable('recipients')
            .set({ registered_at: '2026-01-02T00:00:00.000Z' })
            .where('address', '=', 'a@clinic.example'),
          trx.insertInto('recipients').values({ address: 'c@clinic.example', registered_at: null }),
        ]),
      );
    const rows = await store.db
      .selectFrom('recipients')
      .select(['address', 'registered_at'])
      .orderBy('address')
      .execute();
    expect(rows).toEqual([
      { address: 'a@clinic.example', registered_at: '2026-01-02T00:00:00.000Z' },
      { address: 'c@clinic.example', registered_at: null },
    ]);
  });
});
