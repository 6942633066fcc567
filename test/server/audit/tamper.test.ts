/**
 * Tampering behind the API's back, with plain SQL, as someone with database
 * access but without the audit key would. Every edit must be found, at the
 * record where it was made.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { appendAudit, computeAuditHash } from '../../../src/server/audit/audit-log';
import { verifyAuditChain } from '../../../src/server/audit/verify';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/stores';

const key = randomBytes(32);
const wrongKey = randomBytes(32);

describe.each(STORE_KINDS)('audit chain tampering on %s', (kind) => {
  let store: TestStore;
  let head: string;
  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store.cleanup();
  });
  beforeEach(async () => {
    await store.db.deleteFrom('audit_log').execute();
    for (let n = 1; n <= 5; n++) {
      await store.db.transaction().execute(async (trx) => {
        ({ hash: head } = (await appendAudit(trx, key, store.dialect, {
          actor: `sender:oid-${n}`,
          action: 'envelope.created',
          target: `envelope:env-${n}`,
          outcome: 'ok',
          sourceIp: n % 2 === 0 ? null : '198.51.100.4',
          detail: { recipients: n },
        }))!);
      });
    }
    expect(await verifyAuditChain(store.db, key)).toEqual({ ok: true, records: 5, head });
  });

  const verify = () => verifyAuditChain(store.db, key, { batch: 2 });

  it.each([
    ['actor', 'sender:someone-else'],
    ['action', 'envelope.revoked'],
    ['target', 'envelope:env-99'],
    ['outcome', 'denied'],
    ['source_ip', '192.0.2.1'],
    ['detail', '{"recipients":30}'],
    ['at', '2020-01-01T00:00:00.000Z'],
    ['hash', 'f'.repeat(64)],
  ] as const)('finds an edited %s in a middle record', async (column, value) => {
    await store.db
      .updateTable('audit_log')
      .set({ [column]: value })
      .where('seq', '=', 3)
      .execute();
    expect(await verify()).toEqual({ ok: false, records: 2, brokenAt: 3, reason: 'hash mismatch' });
  });

  it('finds an edited prev_hash', async () => {
    await store.db
      .updateTable('audit_log')
      .set({ prev_hash: '0'.repeat(64) })
      .where('seq', '=', 4)
      .execute();
    expect(await verify()).toEqual({ ok: false, records: 3, brokenAt: 4, reason: 'prev_hash mismatch' });
  });

  it('finds a deleted middle record as a sequence gap', async () => {
    await store.db.deleteFrom('audit_log').where('seq', '=', 3).execute();
    expect(await verify()).toEqual({ ok: false, records: 2, brokenAt: 3, reason: 'sequence gap' });
  });

  it('finds a deleted first record', async () => {
    await store.db.deleteFrom('audit_log').where('seq', '=', 1).execute();
    expect(await verify()).toEqual({ ok: false, records: 0, brokenAt: 1, reason: 'sequence gap' });
  });

  it('finds a deleted record whose successors were renumbered', async () => {
    await store.db.deleteFrom('audit_log').where('seq', '=', 3).execute();
    // Renumber one at a time, upwards, so the primary key never collides.
    for (const seq of [4, 5]) {
      await sql`update audit_log set seq = ${seq - 1} where seq = ${seq}`.execute(store.db);
    }
    expect(await verify()).toEqual({ ok: false, records: 2, brokenAt: 3, reason: 'prev_hash mismatch' });
  });

  it('finds a record forged with the wrong key, even with the rest of the chain re-linked', async () => {
    const rows = await store.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    let prev = rows[1]!.hash;
    for (const row of rows.slice(2)) {
      const forged = {
        ...row,
        prev_hash: prev,
        actor: row.seq === 3 ? 'sender:someone-else' : row.actor,
      };
      const hash = computeAuditHash(wrongKey, forged);
      await store.db
        .updateTable('audit_log')
        .set({ actor: forged.actor, prev_hash: prev, hash })
        .where('seq', '=', row.seq)
        .execute();
      prev = hash;
    }
    expect(await verify()).toEqual({ ok: false, records: 2, brokenAt: 3, reason: 'hash mismatch' });
  });

  it('finds a record appended without the key', async () => {
    const row = {
      seq: 6,
      at: new Date().toISOString(),
      actor: 'system',
      action: 'keys.rotated',
      target: 'keyring',
      outcome: 'ok' as const,
      source_ip: null,
      detail: '{}',
      prev_hash: head,
    };
    await store.db
      .insertInto('audit_log')
      .values({ ...row, hash: computeAuditHash(wrongKey, row) })
      .execute();
    expect(await verify()).toEqual({ ok: false, records: 5, brokenAt: 6, reason: 'hash mismatch' });
  });

  it('fails every record under another key', async () => {
    expect(await verifyAuditChain(store.db, wrongKey)).toEqual({
      ok: false,
      records: 0,
      brokenAt: 1,
      reason: 'hash mismatch',
    });
  });

  // A limit of any hash chain, kept here so nobody mistakes it for coverage:
  // records cut off the end leave a shorter chain that is still valid. Only a
  // copy of the head kept outside the database (what verify returns as `head`)
  // shows the cut.
  it('cannot see a truncated tail by itself; the head kept elsewhere can', async () => {
    await store.db.deleteFrom('audit_log').where('seq', '>=', 4).execute();
    const result = await verify();
    expect(result).toMatchObject({ ok: true, records: 3 });
    expect(result.ok && result.head).not.toBe(head);
  });

  it('finds a truncated tail, or one cut and re-grown, against an anchor of the head', async () => {
    const anchors = [{ seq: 5, hash: head, at: '2026-01-01T00:00:00.000Z' }];
    expect(await verifyAuditChain(store.db, key, { anchors })).toEqual({
      ok: true,
      records: 5,
      head,
      anchored: { seq: 5, at: '2026-01-01T00:00:00.000Z' },
    });
    await store.db.deleteFrom('audit_log').where('seq', '>=', 4).execute();
    expect(await verifyAuditChain(store.db, key, { anchors, batch: 2 })).toEqual({
      ok: false,
      records: 3,
      brokenAt: 4,
      reason: 'truncated',
      anchored: { seq: 5, at: '2026-01-01T00:00:00.000Z' },
    });
    for (let n = 4; n <= 6; n++) {
      await appendAudit(store.db, key, store.dialect, {
        actor: 'system',
        action: 'envelope.expired',
        target: `envelope:env-${n}`,
        outcome: 'ok',
      });
    }
    expect(await verifyAuditChain(store.db, key, { anchors, batch: 2 })).toMatchObject({
      ok: false,
      records: 6,
      brokenAt: 5,
      reason: 'rewound',
    });
  });

  it('reports an edit inside the chain before a cut at its end', async () => {
    await store.db.updateTable('audit_log').set({ actor: 'system' }).where('seq', '=', 2).execute();
    await store.db.deleteFrom('audit_log').where('seq', '=', 5).execute();
    expect(await verifyAuditChain(store.db, key, { anchors: [{ seq: 5, hash: head }] })).toMatchObject({
      ok: false,
      brokenAt: 2,
      reason: 'hash mismatch',
    });
  });
});
