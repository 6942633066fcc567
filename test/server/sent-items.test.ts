/**
 * The sender's view of what they sent: each recipient's notice delivery,
 * when they opened it and replied, expiry and withdrawal; only their own
 * envelopes, and never content.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SentItemsResponse } from '../../src/shared/api';
import type { LinkState, ThreadSummary } from '../../src/shared/portal-api';
import type { TestServer } from './helpers/context';
import { STORE_KINDS } from './helpers/stores';
import { Browser, openPortalServer, registered, sendEnvelope } from './portal/helpers';

describe.each(STORE_KINDS)('GET /v1/sent on %s', (kind) => {
  let t: TestServer;
  beforeAll(async () => {
    t = await openPortalServer(kind);
  });
  afterAll(async () => {
    await t.cleanup();
  });
  const sent = async (from = 'rep@plan.example', query = '') =>
    t.app.inject({
      method: 'GET',
      url: `/v1/sent${query}`,
      headers: { authorization: `Bearer ${await t.token(from)}` },
    });

  it("follows each recipient: delivered or dead-lettered, opened first and last, replied; the sender's own only", async () => {
    const env = await sendEnvelope(t, {
      to: ['a.reader@clinic.example', 'b.bounce@clinic.example'],
      cc: ['c.quiet@clinic.example'],
      subject: 'Remittance question',
      text: 'Sent-view-marker-77: member SSN 536-22-1874',
    });
    const before = (await sent()).json<SentItemsResponse>();
    const item = before.envelopes.find((e) => e.id === env.id)!;
    expect(item.revokedAt).toBeNull();
    expect(Date.parse(item.expiresAt)).toBeGreaterThan(Date.now());
    expect(item.recipients.map((r) => [r.address, r.kind, r.notice])).toEqual([
      ['a.reader@clinic.example', 'to', 'queued'],
      ['b.bounce@clinic.example', 'to', 'queued'],
      ['c.quiet@clinic.example', 'cc', 'queued'],
    ]);

    // As the outbox worker records them: one delivered, one given up on.
    const deliveredAt = new Date().toISOString();
    await t.ctx.store.db
      .updateTable('outbox')
      .set({ status: 'sent', sent_at: deliveredAt })
      .where('envelope_id', '=', env.id)
      .where('to_address', '=', 'a.reader@clinic.example')
      .execute();
    await t.ctx.store.db
      .updateTable('outbox')
      .set({ status: 'dead', attempts: 30, last_error: '550 5.1.1 no such user' })
      .where('envelope_id', '=', env.id)
      .where('to_address', '=', 'b.bounce@clinic.example')
      .execute();
    // The reader opens the link, registers, opens the message again and replies.
    const reader = await registered(t, env, 'a.reader@clinic.example');
    const threads = (await reader.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads;
    const thread = threads[0]!;
    expect((await reader.get(`/portal/api/threads/${thread.id}`)).statusCode).toBe(200);
    expect(
      (await reader.post(`/portal/api/threads/${thread.id}/reply`, { text: 'Thanks, received.' })).statusCode,
    ).toBe(201);

    const after = (await sent()).json<SentItemsResponse>();
    const [a, b, c] = after.envelopes.find((e) => e.id === env.id)!.recipients;
    expect(a).toMatchObject({ notice: 'delivered', deliveredAt });
    expect(a!.firstOpenedAt).not.toBeNull();
    expect(Date.parse(a!.lastOpenedAt!)).toBeGreaterThanOrEqual(Date.parse(a!.firstOpenedAt!));
    expect(a!.repliedAt).not.toBeNull();
    expect(b).toMatchObject({
      notice: 'dead-lettered',
      deliveredAt: null,
      firstOpenedAt: null,
      repliedAt: null,
    });
    expect(c).toMatchObject({ notice: 'queued', firstOpenedAt: null });
    // Nothing of the content, and nobody else's envelopes.
    const body = (await sent()).body;
    expect(body).not.toContain('Sent-view-marker-77');
    expect(body).not.toContain('536-22-1874');
    expect(body).not.toContain('Remittance question');
    const other = (await sent('someone.else@plan.example')).json<SentItemsResponse>();
    expect(other.envelopes.map((e) => e.id)).not.toContain(env.id);
  });

  it('withdraws a message from one recipient: their link says so, the other still reads it', async () => {
    const env = await sendEnvelope(t, {
      to: ['keep.reading@clinic.example', 'stop.reading@clinic.example'],
      text: 'Withdraw-one-marker',
    });
    const revoke = async (body: unknown) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/envelopes/${env.id}/revoke`,
        headers: { authorization: `Bearer ${await t.token()}` },
        payload: body as Record<string, unknown>,
      });
    const refused = await revoke({ recipients: ['stranger@clinic.example'] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'INVALID_ADDRESS' });
    const res = await revoke({ recipients: ['Stop.Reading@clinic.example'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: env.id,
      revokedAt: null,
      recipients: [{ address: 'stop.reading@clinic.example' }],
    });

    const stopped = new Browser(t);
    await stopped.open(env.tokens.get('stop.reading@clinic.example')!);
    expect((await stopped.get('/portal/api/link')).json<LinkState>()).toMatchObject({ state: 'revoked' });
    const reading = await registered(t, env, 'keep.reading@clinic.example');
    const [thread] = (await reading.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads;
    const view = await reading.get(`/portal/api/threads/${thread!.id}`);
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain('Withdraw-one-marker');

    const item = (await sent()).json<SentItemsResponse>().envelopes.find((e) => e.id === env.id)!;
    expect(item.revokedAt).toBeNull();
    expect(item.recipients.map((r) => [r.address, r.revokedAt !== null])).toEqual([
      ['keep.reading@clinic.example', false],
      ['stop.reading@clinic.example', true],
    ]);
    const record = await t.ctx.store.db
      .selectFrom('audit_log')
      .select(['actor', 'detail'])
      .where('action', '=', 'envelope.revoked')
      .where('target', '=', `envelope:${env.id}`)
      .executeTakeFirstOrThrow();
    expect(record.actor).toBe('sender:rep@plan.example');
    expect(JSON.parse(record.detail)).toMatchObject({
      recipients: 'stop.reading@clinic.example',
      recipientCount: 1,
    });
  });

  it('moves the expiry later or sooner, links with it, for the sender only and within bounds', async () => {
    const env = await sendEnvelope(t, { to: ['expiry@clinic.example'] });
    const change = async (expiresAt: string, from = 'rep@plan.example', id = env.id) =>
      t.app.inject({
        method: 'POST',
        url: `/v1/envelopes/${id}/expiry`,
        headers: { authorization: `Bearer ${await t.token(from)}` },
        payload: { expiresAt },
      });
    const later = new Date(Date.now() + 90 * 86_400_000).toISOString();
    const res = await change(later);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: env.id, expiresAt: later });
    const links = await t.ctx.store.db
      .selectFrom('secure_links')
      .select('expires_at')
      .where('envelope_id', '=', env.id)
      .execute();
    expect(links.map((l) => l.expires_at)).toEqual([later]);
    const item = (await sent()).json<SentItemsResponse>().envelopes.find((e) => e.id === env.id)!;
    expect(item.expiresAt).toBe(later);
    // Sooner works too; the recipient's link now says the new date.
    const sooner = new Date(Date.now() + 2 * 3_600_000).toISOString();
    expect((await change(sooner)).statusCode).toBe(200);
    const reader = new Browser(t);
    await reader.open(env.tokens.get('expiry@clinic.example')!);
    expect((await reader.get('/portal/api/link')).json<LinkState>()).toMatchObject({ state: 'register' });

    for (const bad of [
      new Date(Date.now() + 60_000).toISOString(),
      new Date(Date.now() + 400 * 86_400_000).toISOString(),
      'next week',
    ]) {
      const refused = await change(bad);
      expect(refused.statusCode, bad).toBe(400);
      expect(refused.json<{ message: string }>().message, bad).toMatch(/expiry|ISO 8601/);
    }
    expect((await change(later, 'someone.else@plan.example')).statusCode).toBe(404);
    const revoke = await t.app.inject({
      method: 'POST',
      url: `/v1/envelopes/${env.id}/revoke`,
      headers: { authorization: `Bearer ${await t.token()}` },
      payload: {},
    });
    expect(revoke.statusCode).toBe(200);
    expect((await change(later)).json()).toMatchObject({ code: 'REVOKED' });
    const changes = await t.ctx.store.db
      .selectFrom('audit_log')
      .select('actor')
      .where('action', '=', 'envelope.expiry.changed')
      .where('target', '=', `envelope:${env.id}`)
      .execute();
    expect(changes).toEqual([{ actor: 'sender:rep@plan.example' }, { actor: 'sender:rep@plan.example' }]);
  });

  it('lists newest first within the limit, says when one was withdrawn, and refuses strangers and bad limits', async () => {
    const first = await sendEnvelope(t, { to: ['x1@clinic.example'] }, 'order.rep@plan.example');
    const second = await sendEnvelope(t, { to: ['x2@clinic.example'] }, 'order.rep@plan.example');
    const revoke = await t.app.inject({
      method: 'POST',
      url: `/v1/envelopes/${first.id}/revoke`,
      headers: { authorization: `Bearer ${await t.token('order.rep@plan.example')}` },
      payload: {},
    });
    expect(revoke.statusCode).toBe(200);
    const list = (await sent('order.rep@plan.example')).json<SentItemsResponse>().envelopes;
    expect(list.map((e) => e.id)).toEqual([second.id, first.id]);
    expect(list[1]!.revokedAt).not.toBeNull();
    const one = (await sent('order.rep@plan.example', '?limit=1')).json<SentItemsResponse>().envelopes;
    expect(one.map((e) => e.id)).toEqual([second.id]);
    expect((await sent('order.rep@plan.example', '?limit=500')).statusCode).toBe(400);
    expect((await t.app.inject({ method: 'GET', url: '/v1/sent' })).statusCode).toBe(401);
  });
});
