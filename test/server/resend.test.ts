import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateEnvelopeResponse } from '../../src/shared/api';
import { decryptContentJson } from '../../src/server/crypto/content-crypto';
import { noticeAad } from '../../src/server/crypto/bindings';
import { sha256 } from '../../src/server/ids';
import { findLink, linkStatus } from '../../src/server/portal/links';
import { openTestServer, type TestServer } from './helpers/context';
import { STORE_KINDS } from './helpers/stores';

describe.each(STORE_KINDS)('POST /v1/envelopes/:id/resend on %s', (kind) => {
  let t: TestServer;
  let auth: string;
  let n = 0;

  async function create(): Promise<CreateEnvelopeResponse> {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/envelopes',
      headers: { authorization: auth, 'idempotency-key': `resend-${kind}-${++n}` },
      payload: {
        from: 'rep@plan.example',
        to: ['desk@clinic.example'],
        cc: ['billing@clinic.example'],
        subject: 'Claim',
        text: 'SSN 536-22-1874',
      },
    });
    expect(res.statusCode).toBe(201);
    return res.json<CreateEnvelopeResponse>();
  }
  const resend = (id: string, payload?: unknown, token = auth) =>
    t.app.inject({
      method: 'POST',
      url: `/v1/envelopes/${id}/resend`,
      headers: { authorization: token },
      ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
    });

  beforeAll(async () => {
    t = await openTestServer(kind);
    auth = `Bearer ${await t.token()}`;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('queues a new notice with a new link for the chosen recipient, audited, in one go', async () => {
    const { id } = await create();
    const before = await t.store.db
      .selectFrom('outbox')
      .select(['id', 'to_address'])
      .where('envelope_id', '=', id)
      .execute();
    const res = await resend(id, { recipients: ['Billing@Clinic.example'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, recipients: [{ address: 'billing@clinic.example' }] });

    const after = await t.store.db
      .selectFrom('outbox')
      .select(['id', 'to_address', 'notice_json', 'message_id'])
      .where('envelope_id', '=', id)
      .execute();
    const added = after.filter((o) => !before.some((b) => b.id === o.id));
    expect(added.map((o) => o.to_address)).toEqual(['billing@clinic.example']);
    const notice = (await decryptContentJson(
      t.ctx.keyring,
      added[0]!.notice_json,
      noticeAad(added[0]!.id),
    )) as {
      text: string;
    };
    const token = /\/r\/([\w-]+)/.exec(notice.text)?.[1];
    expect(token).toBeDefined();
    const link = await t.store.db
      .selectFrom('secure_links')
      .selectAll()
      .where('token_hash', '=', sha256(token!))
      .executeTakeFirstOrThrow();
    expect(link.envelope_id).toBe(id);
    // A new notice is a new message, not a retry of the first one.
    expect(new Set(after.map((o) => o.message_id)).size).toBe(after.length);

    const audit = await t.store.db
      .selectFrom('audit_log')
      .select(['action', 'target'])
      .where('action', '=', 'link.resent')
      .execute();
    expect(audit).toContainEqual({ action: 'link.resent', target: `envelope:${id}` });
  });

  it('retires the earlier links of the recipients it sends to, and says so', async () => {
    const { id } = await create();
    const tokensOf = async (address: string): Promise<string[]> => {
      const rows = await t.store.db
        .selectFrom('outbox')
        .select(['id', 'notice_json'])
        .where('envelope_id', '=', id)
        .where('to_address', '=', address)
        .execute();
      const out: string[] = [];
      for (const r of rows) {
        const n = (await decryptContentJson(t.ctx.keyring, r.notice_json, noticeAad(r.id))) as {
          text: string;
        };
        out.push(/\/r\/([\w-]+)/.exec(n.text)![1]!);
      }
      return out;
    };
    const [first] = await tokensOf('billing@clinic.example');
    const [deskFirst] = await tokensOf('desk@clinic.example');
    const res = await resend(id, { recipients: ['billing@clinic.example'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ earlierLinksRetired: 1 });
    const now = new Date(Date.now() + 1000);
    const state = async (token: string) => {
      const link = await findLink(t.ctx, token);
      return link === undefined ? 'invalid' : linkStatus(link, now);
    };
    expect(await state(first!)).toBe('expired');
    const newest = (await tokensOf('billing@clinic.example')).find((x) => x !== first)!;
    expect(await state(newest)).toBe('ok');
    // A recipient it did not send to keeps their link.
    expect(await state(deskFirst!)).toBe('ok');
  });

  it('sends every recipient a new link when none are named', async () => {
    const { id } = await create();
    const res = await resend(id);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ recipients: unknown[] }>().recipients).toHaveLength(2);
  });

  it('refuses another sender, an unknown recipient, a revoked message and a missing token', async () => {
    const { id } = await create();
    const other = await resend(id, undefined, `Bearer ${await t.token('someone@plan.example')}`);
    expect(other.statusCode).toBe(404);
    expect((await resend('no-such-envelope')).statusCode).toBe(404);
    const stranger = await resend(id, { recipients: ['stranger@elsewhere.example'] });
    expect(stranger.statusCode).toBe(400);
    expect(stranger.json()).toMatchObject({ code: 'INVALID_ADDRESS' });
    const noToken = await t.app.inject({ method: 'POST', url: `/v1/envelopes/${id}/resend` });
    expect(noToken.statusCode).toBe(401);

    const links = async () =>
      (
        await t.store.db
          .selectFrom('secure_links')
          .select('token_hash')
          .where('envelope_id', '=', id)
          .execute()
      ).length;
    const count = await links();
    await t.store.db
      .updateTable('envelopes')
      .set({ revoked_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
    const revoked = await resend(id);
    expect(revoked.statusCode).toBe(410);
    expect(revoked.json()).toMatchObject({ code: 'REVOKED' });
    // Nothing was half-written by the refusals.
    expect(await links()).toBe(count);
  });
});
