import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkState, ThreadSummary } from '../../../src/shared/portal-api';
import { verifyAuditChain } from '../../../src/server/audit/verify';
import type { TestServer } from '../helpers/context';
import { STORE_KINDS } from '../helpers/stores';
import { Browser, openPortalServer, PASSWORD, registered, sendEnvelope } from './helpers';

const SECRET = 'Lifecycle-marker-c0de: SSN 536-22-1874';

describe.each(STORE_KINDS)('revocation, expiry and the audit trail on %s', (kind) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await openPortalServer(kind);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('lets only the envelope’s own sender revoke it, and then says so plainly', async () => {
    const env = await sendEnvelope(t, { to: ['r1@clinic.example'], text: SECRET });
    const b = await registered(t, env, 'r1@clinic.example');
    const threadId = (await b.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads[0]!.id;

    const revoke = (token: string, id = env.id) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/envelopes/${id}/revoke`,
        headers: { authorization: `Bearer ${token}` },
      });
    expect((await t.app.inject({ method: 'POST', url: `/v1/envelopes/${env.id}/revoke` })).statusCode).toBe(
      401,
    );
    const stranger = await revoke(await t.token('someone.else@plan.example'));
    const missing = await revoke(await t.token('someone.else@plan.example'), 'AAAAAAAAAAAAAAAAAAAAAA');
    expect(stranger.statusCode).toBe(404);
    expect(stranger.body).toBe(missing.body);
    const own = await revoke(await t.token());
    expect(own.statusCode).toBe(200);
    expect(own.json()).toMatchObject({ id: env.id, revokedAt: expect.any(String) as string });
    // On the record, naming the sender by address.
    const revoked = await t.ctx.store.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'envelope.revoked')
      .where('target', '=', `envelope:${env.id}`)
      .execute();
    expect(revoked).toEqual([{ actor: 'sender:rep@plan.example' }]);

    const view = await b.get(`/portal/api/threads/${threadId}`);
    expect(view.statusCode).toBe(410);
    expect(view.json()).toMatchObject({ code: 'REVOKED' });
    expect(view.json<{ message: string }>().message).toContain('rep@plan.example');
    expect(view.body).not.toContain('Lifecycle-marker');
    expect((await b.post(`/portal/api/threads/${threadId}/reply`, { text: 'hello?' })).json()).toMatchObject({
      code: 'REVOKED',
    });
    const list = (await b.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads;
    expect(list[0]).toMatchObject({ id: threadId, revoked: true });

    const fresh = new Browser(t);
    await fresh.open(env.tokens.get('r1@clinic.example')!);
    expect((await fresh.get('/portal/api/link')).json<LinkState>()).toEqual({
      state: 'revoked',
      senderName: 'Rita Rep',
      senderAddress: 'rep@plan.example',
      supportContact: 'Provider Services, 1-800-555-0100',
    });
  });

  it('says an expired message has expired, with whom to contact, on the link and in the portal', async () => {
    const env = await sendEnvelope(t, { to: ['r2@clinic.example'], text: SECRET });
    const b = await registered(t, env, 'r2@clinic.example');
    const threadId = (await b.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads[0]!.id;
    await t.ctx.store.db
      .updateTable('envelopes')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', env.id)
      .execute();
    const view = await b.get(`/portal/api/threads/${threadId}`);
    expect(view.statusCode).toBe(410);
    expect(view.json()).toMatchObject({ code: 'EXPIRED' });
    expect(view.json<{ message: string }>().message).toContain('rep@plan.example');
    const link = (await b.get('/portal/api/link')).json<LinkState>();
    expect(link).toMatchObject({ state: 'expired', senderAddress: 'rep@plan.example' });
    // A recipient who never registered cannot register through an expired link.
    const env2 = await sendEnvelope(t, { to: ['r3@clinic.example'] });
    await t.ctx.store.db
      .updateTable('secure_links')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('envelope_id', '=', env2.id)
      .execute();
    const c = new Browser(t);
    await c.open(env2.tokens.get('r3@clinic.example')!);
    expect((await c.get('/portal/api/link')).json<LinkState>()).toMatchObject({ state: 'expired' });
    expect((await c.register()).json()).toMatchObject({ code: 'EXPIRED' });
  });

  it('puts every view, download, reply, sign-in, failed sign-in and reset in the audit chain, without content or secrets', async () => {
    const env = await sendEnvelope(t, {
      to: ['r4@clinic.example'],
      text: SECRET,
      attachments: [
        {
          name: 'secret-name.csv',
          contentType: 'text/csv',
          contentBase64: Buffer.from(SECRET).toString('base64'),
        },
      ],
    });
    const b = await registered(t, env, 'r4@clinic.example');
    const token = env.tokens.get('r4@clinic.example')!;
    const threadId = (await b.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads[0]!.id;
    const view = (await b.get(`/portal/api/threads/${threadId}`)).json<{
      messages: { id: string; attachments: { id: string }[] }[];
    }>();
    const m = view.messages[0]!;
    await b.get(`/portal/api/messages/${m.id}/attachments/${m.attachments[0]!.id}`);
    await b.post(`/portal/api/threads/${threadId}/reply`, { text: `${SECRET} reply` });
    await b.post('/portal/api/sign-out');
    const c = new Browser(t);
    await c.signIn('r4@clinic.example', 'wrong but long password');
    await c.signIn('r4@clinic.example', PASSWORD);
    await c.post('/portal/api/password/forgot', { address: 'r4@clinic.example' });

    const rows = await t.ctx.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('actor', '=', 'recipient:r4@clinic.example')
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => `${r.action} ${r.outcome}`)).toEqual([
      'link.opened ok',
      'recipient.registered ok',
      'signin.ok ok',
      'message.read ok',
      'attachment.downloaded ok',
      'message.replied ok',
      'signout ok',
      'signin.failed failed',
      'signin.ok ok',
      'password.reset.requested ok',
    ]);
    expect(rows.every((r) => r.source_ip === '127.0.0.1')).toBe(true);
    const all = JSON.stringify(await t.ctx.store.db.selectFrom('audit_log').selectAll().execute());
    for (const secret of [
      'Lifecycle-marker',
      'secret-name',
      PASSWORD,
      'wrong but long password',
      token,
      b.cookies.get('__Host-se-session') ?? 'none',
    ]) {
      expect(all).not.toContain(secret);
    }
    expect(await verifyAuditChain(t.ctx.store.db, t.ctx.keyring.auditKey)).toMatchObject({ ok: true });
  });
});
