import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/stores';

describe.each(STORE_KINDS)('store on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('migrates to a schema with every table', async () => {
    const tables = (await store.db.introspection.getTables()).map((t) => t.name).sort();
    expect(tables).toEqual(
      expect.arrayContaining([
        'attachments',
        'audit_log',
        'envelope_recipients',
        'envelopes',
        'idempotency_keys',
        'outbox',
        'recipients',
        'secure_links',
      ]),
    );
  });

  it('keeps a row through a transaction', async () => {
    await store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('recipients')
        .values({ address: 'a@clinic.example', registered_at: null })
        .execute();
    });
    const row = await store.db.selectFrom('recipients').selectAll().executeTakeFirstOrThrow();
    expect(row.address).toBe('a@clinic.example');
  });
});
