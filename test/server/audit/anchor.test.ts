/**
 * The audit anchor: it names only committed records, refuses to be moved by
 * someone without the key, and goes into the server's log.
 */
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import Fastify from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditAnchor } from '../../../src/server/audit/anchor';
import { logAuditAnchors } from '../../../src/server/audit/anchor-log';
import { appendAudit, AUDIT_GENESIS, type AuditEntry } from '../../../src/server/audit/audit-log';
import { verifyAuditChain } from '../../../src/server/audit/verify';
import { loadOrCreateKeyring, type Keyring } from '../../../src/server/crypto/keyring';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/stores';

const entry = (n: number): AuditEntry => ({
  actor: `recipient:r${n}@clinic.example`,
  action: 'message.read',
  target: `envelope:env-${n}`,
  outcome: 'ok',
});

describe.each(STORE_KINDS)('audit anchor on %s', (kind) => {
  let store: TestStore;
  let keyring: Keyring;
  let anchor: AuditAnchor;
  beforeAll(async () => {
    store = await openTestStore(kind);
    keyring = await loadOrCreateKeyring(store.dataDir, {});
    anchor = keyring.auditAnchor!;
  });
  afterAll(async () => {
    await store.cleanup();
  });
  beforeEach(async () => {
    await store.db.deleteFrom('audit_log').execute();
    await anchor.reset({ seq: 0, hash: AUDIT_GENESIS });
  });

  const onDisk = () => JSON.parse(readFileSync(anchor.file, 'utf8')) as { seq: number; hash: string };
  const head = () =>
    store.db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').executeTakeFirstOrThrow();
  const append = (trx: Parameters<Parameters<TestStore['transact']>[0]>[0], n: number) =>
    appendAudit(trx, keyring.auditKey, store.dialect, entry(n));

  it('is created with the key file, owner-only, at the empty chain', () => {
    if (process.platform !== 'win32') expect(statSync(anchor.file).mode & 0o777).toBe(0o600);
    expect(anchor.read()).toMatchObject({ status: 'valid', anchor: { seq: 0, hash: AUDIT_GENESIS } });
  });

  it('follows the head through the store, once each unit has committed', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => store.transact((trx) => append(trx, i + 1))));
    await anchor.flush();
    expect(onDisk()).toMatchObject(await head());
    expect(onDisk().seq).toBe(12);
  });

  it('never names a record that was rolled back, even when it shared a commit with others', async () => {
    await store.transact((trx) => append(trx, 1));
    const results = await Promise.allSettled([
      store.transact((trx) => append(trx, 2)),
      store.transact(async (trx) => {
        await append(trx, 3);
        throw new Error('the action failed after its record');
      }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected']);
    await store
      .transact(async (trx) => {
        await append(trx, 4);
        throw new Error('alone, and failed');
      })
      .catch(() => undefined);
    await anchor.flush();
    const last = await head();
    expect(last.seq).toBe(2);
    expect(onDisk()).toMatchObject(last);
    const state = anchor.read();
    expect(state.status).toBe('valid');
    expect(
      await verifyAuditChain(store.db, keyring.auditKey, {
        anchors: state.status === 'valid' ? [state.anchor] : [],
      }),
    ).toMatchObject({ ok: true, records: 2, anchored: { seq: 2 } });
  });

  it('stays at the anchored record once records are cut, and says so', async () => {
    const events: string[] = [];
    const stop = anchor.subscribe((e) => events.push(e.type));
    try {
      for (let n = 1; n <= 6; n++) await appendAudit(store.db, keyring.auditKey, store.dialect, entry(n));
      await store.db.deleteFrom('audit_log').where('seq', '>', 3).execute();
      for (let n = 4; n <= 9; n++) {
        await appendAudit(store.db, keyring.auditKey, store.dialect, { ...entry(n), actor: 'system' });
      }
      await anchor.flush();
    } finally {
      stop();
    }
    expect(onDisk().seq).toBe(6);
    expect(events.filter((t) => t === 'diverged')).toHaveLength(1);
    const state = anchor.read();
    expect(
      await verifyAuditChain(store.db, keyring.auditKey, {
        anchors: state.status === 'valid' ? [state.anchor] : [],
      }),
    ).toMatchObject({ ok: false, reason: 'rewound', brokenAt: 6, anchored: { seq: 6 } });
  });

  it('fails its check when edited, and appends then leave it for an operator', async () => {
    await appendAudit(store.db, keyring.auditKey, store.dialect, entry(1));
    await anchor.flush();
    const edited = JSON.stringify({ ...onDisk(), seq: 0 });
    writeFileSync(anchor.file, edited);
    expect(anchor.read()).toMatchObject({
      status: 'invalid',
      reason: expect.stringMatching(/fails its check/) as string,
    });
    await appendAudit(store.db, keyring.auditKey, store.dialect, entry(2));
    await anchor.flush().catch(() => undefined);
    expect(readFileSync(anchor.file, 'utf8')).toBe(edited);
    expect(anchor.invalid).toMatch(/fails its check/);
  });

  it('writes the anchor into the log, where it can be checked later', async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) {
          if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
        }
        done();
      },
    });
    const app = Fastify({ logger: { level: 'info', stream: sink } });
    logAuditAnchors(app, anchor, { intervalMs: 0 });
    await app.ready();
    for (let n = 1; n <= 3; n++) await appendAudit(store.db, keyring.auditKey, store.dialect, entry(n));
    await store.db.deleteFrom('audit_log').where('seq', '=', 3).execute();
    await appendAudit(store.db, keyring.auditKey, store.dialect, { ...entry(3), actor: 'system' });
    await app.close();
    const anchors = lines.filter((l) => l.auditAnchor !== undefined && l.level === 30);
    expect(anchors.length).toBeGreaterThanOrEqual(2);
    const last = anchor.check(anchors.at(-1)!.auditAnchor);
    expect(last.seq).toBe(3);
    expect(lines.find((l) => l.level === 50)).toMatchObject({
      auditAnchor: { seq: 3 },
      auditHead: 2,
      msg: expect.stringMatching(/records were cut from its end/) as string,
    });
    // Nothing but seqs, hashes, MACs and times.
    expect(Object.keys(last).sort()).toEqual(['at', 'hash', 'mac', 'seq', 'version']);
  });
});
