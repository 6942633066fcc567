import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadSummary } from '../../src/shared/portal-api';
import { verifyAuditChain } from '../../src/server/audit/verify';
import { listThreads } from '../../src/server/portal/content';
import { sweepRetention } from '../../src/server/retention';
import type { TestServer } from './helpers/context';
import { STORE_KINDS } from './helpers/stores';
import { openPortalServer, registered, sendEnvelope } from './portal/helpers';

const DAY = 86_400_000;
const b64 = (s: string) => Buffer.from(s).toString('base64');

/**
 * Nothing is kept forever: a message's content, attachments and replies go
 * a set time after it expired or was revoked, and short-lived rows go once
 * they no longer matter. Time is moved by giving the sweep a later "now".
 */
describe.each(STORE_KINDS)('retention on %s', (kind) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await openPortalServer(kind);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const count = async (
    table: 'envelopes' | 'attachments' | 'portal_messages' | 'portal_attachments' | 'secure_links' | 'outbox',
    envelopeId: string,
  ) => {
    const db = t.ctx.store.db;
    if (table === 'portal_attachments') {
      const rows = await db
        .selectFrom('portal_attachments as a')
        .innerJoin('portal_messages as m', 'm.id', 'a.message_id')
        .select('a.id')
        .where('m.envelope_id', '=', envelopeId)
        .execute();
      return rows.length;
    }
    const column = table === 'envelopes' ? 'id' : 'envelope_id';
    return (await db.selectFrom(table).select(column).where(column, '=', envelopeId).execute()).length;
  };

  it('deletes a message, its attachments, links, notices and replies, blobs too, only once its time is up', async () => {
    const env = await sendEnvelope(t, {
      to: ['keep@clinic.example'],
      subject: 'Claim 7001',
      attachments: [{ name: 'eob.pdf', contentType: 'application/pdf', contentBase64: b64('%PDF-1.7 eob') }],
    });
    const b = await registered(t, env, 'keep@clinic.example');
    const threadId = (await b.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads[0]!.id;
    const reply = await b.post(`/portal/api/threads/${threadId}/reply`, {
      text: 'Thanks',
      attachments: [
        { name: 'note.pdf', contentType: 'application/pdf', contentBase64: b64('%PDF-1.7 note') },
      ],
    });
    expect(reply.statusCode).toBe(201);
    const blobKeys = [
      ...(await t.ctx.store.db
        .selectFrom('attachments')
        .select('blob_key')
        .where('envelope_id', '=', env.id)
        .execute()),
      ...(await t.ctx.store.db
        .selectFrom('portal_attachments as a')
        .innerJoin('portal_messages as m', 'm.id', 'a.message_id')
        .select('a.blob_key')
        .where('m.envelope_id', '=', env.id)
        .execute()),
    ].map((r) => r.blob_key);
    expect(blobKeys).toHaveLength(2);

    // Readable for its 30 days, then kept for the retention period (30 days): nothing goes before.
    await sweepRetention(t.ctx, new Date(Date.now() + 45 * DAY));
    expect(await count('envelopes', env.id)).toBe(1);

    const counts = await sweepRetention(t.ctx, new Date(Date.now() + 61 * DAY));
    expect(counts.envelopes).toBeGreaterThanOrEqual(1);
    for (const table of [
      'envelopes',
      'attachments',
      'portal_messages',
      'portal_attachments',
      'secure_links',
      'outbox',
    ] as const) {
      expect(await count(table, env.id), table).toBe(0);
    }
    for (const key of blobKeys) expect(await t.ctx.blobs.exists(key)).toBe(false);
    expect(await listThreads(t.ctx, 'keep@clinic.example')).toEqual([]);

    // The purge is audited, without content, and the chain still holds.
    const audit = await t.ctx.store.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', '=', 'retention.purged')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(1);
    expect(audit.map((a) => a.detail).join()).not.toContain('Claim 7001');
    const verdict = await verifyAuditChain(t.ctx.store.db, t.ctx.keyring.auditKey);
    expect(verdict).toMatchObject({ ok: true });
  });

  it('deletes a revoked message after the period from its revocation, and hides its subject at once', async () => {
    const env = await sendEnvelope(t, { to: ['gone@clinic.example'], subject: 'HIV results for J. Doe' });
    const b = await registered(t, env, 'gone@clinic.example');
    const revoked = await t.app.inject({
      method: 'POST',
      url: `/v1/envelopes/${env.id}/revoke`,
      headers: { authorization: `Bearer ${await t.token()}` },
    });
    expect(revoked.statusCode).toBeLessThan(300);
    const inbox = (await b.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads;
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ revoked: true, subject: 'Withdrawn by the sender' });
    expect(JSON.stringify(inbox)).not.toContain('HIV');

    await sweepRetention(t.ctx, new Date(Date.now() + 29 * DAY));
    expect(await count('envelopes', env.id)).toBe(1);
    await sweepRetention(t.ctx, new Date(Date.now() + 31 * DAY));
    expect(await count('envelopes', env.id)).toBe(0);
  });

  it('forgets ended sessions, old throttle counts and expired TLS verdicts, and keeps live ones', async () => {
    const db = t.ctx.store.db;
    const now = Date.now();
    const iso = (ms: number) => new Date(ms).toISOString();
    await db
      .insertInto('portal_throttle')
      .values([
        {
          key: 'addr:old@clinic.example',
          failures: 3,
          first_failure_at: iso(now - 3 * 3_600_000),
          blocked_until: null,
        },
        {
          key: 'addr:live@clinic.example',
          failures: 3,
          first_failure_at: iso(now - 60_000),
          blocked_until: null,
        },
      ])
      .execute();
    await db
      .insertInto('tls_domain_verdicts')
      .values([
        {
          domain: 'old.example',
          level: 'none',
          verdict_json: '{}',
          checked_at: iso(now - 3 * DAY),
          expires_at: iso(now - 2 * DAY),
        },
        {
          domain: 'live.example',
          level: 'none',
          verdict_json: '{}',
          checked_at: iso(now),
          expires_at: iso(now + DAY),
        },
      ])
      .execute();
    await sweepRetention(t.ctx, new Date(now));
    const keys = (await db.selectFrom('portal_throttle').select('key').execute()).map((r) => r.key);
    expect(keys).not.toContain('addr:old@clinic.example');
    expect(keys).toContain('addr:live@clinic.example');
    const domains = (await db.selectFrom('tls_domain_verdicts').select('domain').execute()).map(
      (r) => r.domain,
    );
    expect(domains).not.toContain('old.example');
    expect(domains).toContain('live.example');

    await registered(t, await sendEnvelope(t, { to: ['live@clinic.example'] }), 'live@clinic.example');
    const sessions = async () => (await db.selectFrom('portal_sessions').select('id_hash').execute()).length;
    expect(await sessions()).toBeGreaterThan(0);
    await sweepRetention(t.ctx, new Date(now + 2 * DAY));
    expect(await sessions()).toBe(0);
  });
});
