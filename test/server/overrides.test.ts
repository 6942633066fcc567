/**
 * Sending flagged mail as is leaves a trace: the override is on the audit
 * record, naming the sender by address, the findings by type and count, the
 * domains and why each was unsafe, the recipients and the reason; never a
 * value, and never a reason that quotes one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordOverrideRequest } from '../../src/shared/api';
import { openTestServer, type TestServer } from './helpers/context';
import { STORE_KINDS } from './helpers/stores';

const OVERRIDE: RecordOverrideRequest = {
  draft: '0123456789abcdef',
  reason: 'Provider asked for the remittance by mail today',
  findings: { US_SSN: 2, DATE_OF_BIRTH: 1 },
  unscanned: 0,
  domains: [
    { domain: 'clinic.example', level: 'none', why: 'unprotected' },
    { domain: 'gmail.com', level: 'unchecked', why: 'consumer' },
  ],
  recipients: ['desk@clinic.example', 'someone@gmail.com'],
};

describe.each(STORE_KINDS)('POST /v1/overrides on %s', (kind) => {
  let t: TestServer;
  let auth: string;
  beforeAll(async () => {
    t = await openTestServer(kind);
    auth = `Bearer ${await t.token()}`;
  });
  afterAll(async () => {
    await t.cleanup();
  });
  const record = (body: unknown, authorization = auth) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/overrides',
      headers: { authorization },
      payload: body as Record<string, unknown>,
    });
  const overrideRecords = () =>
    t.ctx.store.db
      .selectFrom('audit_log')
      .select(['actor', 'target', 'detail', 'outcome'])
      .where('action', '=', 'message.override')
      .orderBy('seq')
      .execute();

  it('records who, what was found by type and count, the domains and why, the recipients and the reason', async () => {
    const res = await record(OVERRIDE);
    expect(res.statusCode, res.body).toBe(201);
    const { id } = res.json<{ id: string }>();
    const rows = await overrideRecords();
    const row = rows.find((r) => r.target === `override:${id}`);
    expect(row).toBeDefined();
    expect(row!.actor).toBe('sender:rep@plan.example');
    expect(row!.outcome).toBe('ok');
    const detail = JSON.parse(row!.detail) as Record<string, unknown>;
    expect(detail).toMatchObject({
      draft: OVERRIDE.draft,
      reason: OVERRIDE.reason,
      found: 'DATE_OF_BIRTH×1, US_SSN×2',
      domains: 'clinic.example (unprotected, none), gmail.com (consumer, unchecked)',
      recipients: 'desk@clinic.example, someone@gmail.com',
      recipientCount: 2,
    });
    expect(typeof detail.senderOid).toBe('string');
  });

  it('asks for a reason when the policy requires one, and records nothing without it', async () => {
    const before = (await overrideRecords()).length;
    const res = await record({ ...OVERRIDE, reason: '   ' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'OVERRIDE_REASON_REJECTED' });
    expect(res.json<{ message: string }>().message).toMatch(/reason/);
    expect((await overrideRecords()).length).toBe(before);
  });

  it('takes an empty reason when the policy makes it optional', async () => {
    const policy = t.ctx.policy;
    t.ctx.policy = { ...policy, overrideReason: 'optional' };
    try {
      const res = await record({ ...OVERRIDE, reason: '' });
      expect(res.statusCode).toBe(201);
      const rows = await overrideRecords();
      expect(JSON.parse(rows.at(-1)!.detail)).toMatchObject({ reason: null });
    } finally {
      t.ctx.policy = policy;
    }
  });

  it('refuses a reason that quotes sensitive data, so the log never holds it', async () => {
    const res = await record({ ...OVERRIDE, reason: 'member SSN 536-22-1874 needed it' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'OVERRIDE_REASON_REJECTED' });
    const log = JSON.stringify(await t.ctx.store.db.selectFrom('audit_log').selectAll().execute());
    expect(log).not.toContain('536-22-1874');
  });

  it('keeps long lists within the record, counting the rest', async () => {
    const recipients = Array.from({ length: 60 }, (_, i) => `person${i}@clinic.example`);
    const res = await record({ ...OVERRIDE, recipients });
    expect(res.statusCode).toBe(201);
    const detail = JSON.parse((await overrideRecords()).at(-1)!.detail) as {
      recipients: string;
      recipientCount: number;
    };
    expect(detail.recipientCount).toBe(60);
    expect(detail.recipients).toMatch(/^person0@clinic\.example, .* \+\d+ more$/);
    expect(detail.recipients.length).toBeLessThanOrEqual(256);
  });

  it('refuses strangers, values instead of counts, and unknown fields', async () => {
    expect((await record(OVERRIDE, 'Bearer nope')).statusCode).toBe(401);
    const withValue = await record({ ...OVERRIDE, findings: { US_SSN: '536-22-1874' } });
    expect(withValue.statusCode).toBe(400);
    const extra = await record({ ...OVERRIDE, values: ['536-22-1874'] });
    expect(extra.statusCode).toBe(400);
    const log = JSON.stringify(await t.ctx.store.db.selectFrom('audit_log').selectAll().execute());
    expect(log).not.toContain('536-22-1874');
  });
});
