import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/stores';

/**
 * `store.transact`: on SQLite concurrent units share one commit (group
 * commit); on both stores each unit is still all-or-nothing and its caller
 * hears only about its own unit.
 */
describe.each(STORE_KINDS)('store.transact on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store.cleanup();
  });

  const insert = (address: string) => (trx: Parameters<Parameters<TestStore['transact']>[0]>[0]) =>
    trx.insertInto('recipients').values({ address, registered_at: null }).execute();

  async function addresses(): Promise<string[]> {
    const rows = await store.db.selectFrom('recipients').select('address').orderBy('address').execute();
    return rows.map((r) => r.address);
  }

  it('commits concurrent units, and a failing unit alone is rolled back', async () => {
    const results = await Promise.allSettled([
      store.transact(insert('a@x.example')),
      store.transact(async (trx) => {
        // Half of this unit is written, then it fails: none of it may stay.
        await insert('half@x.example')(trx);
        throw new Error('unit failed');
      }),
      store.transact(insert('b@x.example')),
      // A primary-key clash fails in the database itself.
      store.transact(insert('a@x.example')),
      store.transact(async (trx) => {
        await insert('c@x.example')(trx);
        return 'value of c';
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'unit failed' });
    expect((results[4] as PromiseFulfilledResult<string>).value).toBe('value of c');
    expect(await addresses()).toEqual(['a@x.example', 'b@x.example', 'c@x.example']);
  });

  it('answers only after the commit: what a caller was told is there is readable at once', async () => {
    const many = Array.from({ length: 150 }, (_, i) => `r${String(i).padStart(3, '0')}@y.example`);
    await Promise.all(
      many.map(async (a) => {
        await store.transact(insert(a));
        const row = await store.db
          .selectFrom('recipients')
          .select('address')
          .where('address', '=', a)
          .executeTakeFirst();
        expect(row?.address).toBe(a);
      }),
    );
    expect((await addresses()).filter((a) => a.endsWith('@y.example'))).toEqual(many);
  });
});
