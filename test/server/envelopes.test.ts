import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CreateEnvelopeResponse } from '../../src/shared/api';
import { decryptContent } from '../../src/server/crypto/content-crypto';
import { contentAad, noticeAad } from '../../src/server/crypto/bindings';
import { openTestServer, type TestServer } from './helpers/context';
import { STORE_KINDS } from './helpers/stores';

const BODY_MARKER = 'Plaintext-marker-4d1f: member SSN 536-22-1874';
const FILE_MARKER = 'Attachment-marker-93be: DOB 04/12/1961';

function envelope(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    from: 'rep@plan.example',
    to: ['Front.Desk@Clinic.example'],
    cc: ['billing@clinic.example'],
    bcc: [],
    subject: 'Claim follow-up',
    html: `<p>${BODY_MARKER}</p>`,
    text: BODY_MARKER,
    attachments: [
      {
        name: 'roster.csv',
        contentType: 'text/csv',
        contentBase64: Buffer.from(FILE_MARKER).toString('base64'),
      },
    ],
    ...over,
  };
}

describe.each(STORE_KINDS)('POST /v1/envelopes on %s', (kind) => {
  let t: TestServer;
  let auth: string;
  let n = 0;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/envelopes',
      headers: { authorization: auth, 'idempotency-key': `test-key-${kind}-${++n}`, ...headers },
      payload: body as Record<string, unknown>,
    });

  beforeAll(async () => {
    t = await openTestServer(kind);
    auth = `Bearer ${await t.token()}`;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('refuses a request without a token', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/envelopes', payload: envelope() });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('asks for an Idempotency-Key', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/envelopes',
      headers: { authorization: auth },
      payload: envelope(),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED' });
  });

  it('stores the message encrypted, links and notices queued, all audited', async () => {
    const res = await post(envelope());
    expect(res.statusCode).toBe(201);
    const body = res.json<CreateEnvelopeResponse>();
    expect(body.recipients).toEqual([
      { address: 'front.desk@clinic.example' },
      { address: 'billing@clinic.example' },
    ]);
    // The notice travels in the clear: none of the original subject by default.
    expect(body.notice.subject).toBe('Secure message from Health Plan');
    expect(body.notice.text).toContain('https://secure.plan.example/portal/');
    expect(body.notice.text).not.toContain(BODY_MARKER);

    const db = t.store.db;
    const row = await db
      .selectFrom('envelopes')
      .selectAll()
      .where('id', '=', body.id)
      .executeTakeFirstOrThrow();
    const recipients = await db
      .selectFrom('envelope_recipients')
      .selectAll()
      .where('envelope_id', '=', body.id)
      .execute();
    const content = await decryptContent(
      t.ctx.keyring,
      row.content_jwe,
      contentAad(
        body.id,
        recipients.map((r) => r.id),
      ),
    );
    expect(JSON.parse(Buffer.from(content).toString('utf8'))).toMatchObject({
      subject: 'Claim follow-up',
      text: BODY_MARKER,
    });
    await expect(decryptContent(t.ctx.keyring, row.content_jwe, contentAad(body.id, []))).rejects.toThrow();

    const links = await db
      .selectFrom('secure_links')
      .selectAll()
      .where('envelope_id', '=', body.id)
      .execute();
    expect(links).toHaveLength(2);
    const outbox = await db.selectFrom('outbox').selectAll().where('envelope_id', '=', body.id).execute();
    expect(outbox.map((o) => o.status)).toEqual(['pending', 'pending']);
    for (const o of outbox) {
      expect(o.notice_json).not.toContain('/r/');
      const stored = await decryptContent(t.ctx.keyring, o.notice_json, noticeAad(o.id));
      const notice = JSON.parse(Buffer.from(stored).toString('utf8')) as { text: string };
      expect(notice.text).toMatch(/https:\/\/secure\.plan\.example\/r\/[\w-]{43}/);
      expect(notice.text).not.toContain(BODY_MARKER);
      expect(notice.text.toLowerCase()).toContain('register');
    }
    const audit = await db.selectFrom('audit_log').select(['action', 'target']).execute();
    expect(audit.filter((a) => a.target === `envelope:${body.id}`).map((a) => a.action)).toEqual([
      'envelope.created',
    ]);
    expect(audit.filter((a) => a.action === 'notice.queued').length).toBeGreaterThanOrEqual(2);
  });

  it('keeps no plaintext content anywhere in the database or the blob store', async () => {
    const res = await post(envelope());
    expect(res.statusCode).toBe(201);
    const needles = [
      BODY_MARKER,
      FILE_MARKER,
      'Plaintext-marker-4d1f',
      'Attachment-marker-93be',
      'roster.csv',
    ];
    const haystacks: string[] = [];
    if (t.store.sqliteFile !== undefined) {
      for (const suffix of ['', '-wal']) {
        try {
          haystacks.push(readFileSync(t.store.sqliteFile + suffix).toString('latin1'));
        } catch {
          // no WAL file yet
        }
      }
    } else {
      for (const table of [
        'envelopes',
        'envelope_recipients',
        'attachments',
        'outbox',
        'audit_log',
        'idempotency_keys',
      ] as const) {
        const rows = await t.store.db.selectFrom(table).selectAll().execute();
        haystacks.push(JSON.stringify(rows));
      }
    }
    for (const file of filesUnder(join(t.store.dataDir, 'blobs')))
      haystacks.push(readFileSync(file).toString('latin1'));
    expect(haystacks.length).toBeGreaterThan(0);
    for (const h of haystacks) for (const needle of needles) expect(h.includes(needle), needle).toBe(false);
  });

  it('answers a retry with the same envelope, and refuses the key for another message', async () => {
    const key = { 'idempotency-key': `retry-${kind}-0001` };
    const first = await post(envelope(), key);
    const again = await post(envelope(), key);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual(first.json());
    const other = await post(envelope({ subject: 'Another message' }), key);
    expect(other.statusCode).toBe(409);
    expect(other.json()).toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
  });

  it('makes one envelope of concurrent requests with one key', async () => {
    const key = { 'idempotency-key': `race-${kind}-0001` };
    const answers = await Promise.all(Array.from({ length: 6 }, () => post(envelope(), key)));
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.json<CreateEnvelopeResponse>().id)).size).toBe(1);
  });

  const outcome = (key: string, as = auth) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/envelopes/outcome',
      headers: { authorization: as, 'idempotency-key': key },
    });

  it('tells a sender whose answer was lost that the envelope was made, with the answer it would have had', async () => {
    const key = `lost-${kind}-0001`;
    const first = await post(envelope(), { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    const res = await outcome(key);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'sent', envelope: first.json<CreateEnvelopeResponse>() });
  });

  it('says "not sent" for a key that made nothing, and then refuses a request still on its way under it', async () => {
    const key = `lost-${kind}-0002`;
    const res = await outcome(key);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'not-sent' });
    // The create that was in flight arrives after the answer: it must not make the answer false.
    const late = await post(envelope(), { 'idempotency-key': key });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ code: 'SEND_WITHDRAWN' });
    const envelopes = await t.ctx.store.db
      .selectFrom('idempotency_keys')
      .select('envelope_id')
      .where('key', '=', key)
      .execute();
    expect(envelopes).toEqual([{ envelope_id: '' }]);
    // Asked again, the answer stays the same.
    expect((await outcome(key)).json()).toEqual({ status: 'not-sent' });
  });

  it('gives one true answer when the outcome is asked while the create races it', async () => {
    for (let i = 0; i < 8; i++) {
      const key = `race-outcome-${kind}-${i}`;
      const [created, asked] = await Promise.all([
        post(envelope(), { 'idempotency-key': key }),
        outcome(key),
      ]);
      const answer = asked.json<{ status: string }>();
      if (answer.status === 'sent') expect(created.statusCode).toBe(201);
      else expect(created.json()).toMatchObject({ code: 'SEND_WITHDRAWN' });
    }
  });

  it("keeps one sender from learning of or withdrawing another's send", async () => {
    const key = `lost-${kind}-0003`;
    expect((await post(envelope(), { 'idempotency-key': key })).statusCode).toBe(201);
    const other = `Bearer ${await t.token('other.rep@plan.example')}`;
    expect((await outcome(key, other)).json()).toEqual({ status: 'not-sent' });
    // The first sender's envelope is untouched by the other's marker.
    expect((await outcome(key)).json()).toMatchObject({ status: 'sent' });
    expect(
      (
        await t.app.inject({
          method: 'POST',
          url: '/v1/envelopes/outcome',
          headers: { 'idempotency-key': key },
        })
      ).statusCode,
    ).toBe(401);
  });

  it('refuses to send as someone else, and records the attempt', async () => {
    const res = await post(envelope({ from: 'ceo@plan.example' }));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
    const refused = await t.store.db
      .selectFrom('audit_log')
      .select(['outcome', 'detail'])
      .where('action', '=', 'envelope.refused')
      .execute();
    // The sender is named by address; the directory id is in the detail.
    const mine = await t.store.db
      .selectFrom('audit_log')
      .select(['actor', 'outcome', 'detail'])
      .where('action', '=', 'envelope.refused')
      .where('actor', '=', 'sender:rep@plan.example')
      .execute();
    expect(refused.length).toBe(mine.length);
    expect(mine.map((r) => ({ ...r, detail: JSON.parse(r.detail) as unknown }))).toContainEqual({
      actor: 'sender:rep@plan.example',
      outcome: 'denied',
      detail: { reason: 'from is not the sender', senderOid: expect.any(String) as unknown },
    });
  });

  it('names a bad address', async () => {
    const res = await post(envelope({ to: ['not an address'] }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_ADDRESS' });
    expect(res.json<{ message: string }>().message).toContain('to.0');
  });

  it('refuses addresses with control, invisible or direction characters, saying which', async () => {
    for (const bad of [
      'front\u0000desk@clinic.example',
      'desk\u001b@clinic.example',
      'kcab\u202e@clinic.example',
    ]) {
      const res = await post(envelope({ to: [bad] }));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'INVALID_ADDRESS' });
      expect(res.json<{ message: string }>().message).toMatch(/to\.0.*invisible or control character/);
    }
    const queued = await t.store.db
      .selectFrom('outbox')
      .select('to_address')
      .where('to_address', 'like', '%clinic.example')
      .execute();
    expect(queued.every((o) => /^[\x21-\x7e]+$/.test(o.to_address))).toBe(true);
  });

  it('keeps a subject that says what the message is about out of the notice', async () => {
    const res = await post(envelope({ subject: 'HIV test results for Jane Doe' }));
    const subject = res.json<CreateEnvelopeResponse>().notice.subject;
    expect(subject).toBe('Secure message from Health Plan');
    expect(subject).not.toMatch(/HIV|Jane|Doe/);
  });

  it('shows the original subject only when policy allows, and never one with sensitive data', async () => {
    const policy = t.ctx.config.policy;
    policy.noticeSubject = 'original';
    try {
      const plain = await post(envelope({ subject: 'Claim follow-up' }));
      expect(plain.json<CreateEnvelopeResponse>().notice.subject).toBe('[Secure] Claim follow-up');
      const flagged = await post(envelope({ subject: 'SSN 536-22-1874 for John' }));
      expect(flagged.json<CreateEnvelopeResponse>().notice.subject).toBe('Secure message from Health Plan');
    } finally {
      policy.noticeSubject = 'generic';
    }
  });

  it('answers malformed JSON with a 400 and no internals', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/envelopes',
      headers: {
        authorization: auth,
        'idempotency-key': 'bad-json-0001',
        'content-type': 'application/json',
      },
      payload: '{"from": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'VALIDATION_FAILED', message: 'the request body is not valid JSON' });
  });
});

describe('size limits', () => {
  let t: TestServer;
  beforeAll(async () => {
    const dir = (await import('node:os')).tmpdir();
    const file = join(dir, `se-limits-${process.pid}.json`);
    writeFileSync(
      file,
      JSON.stringify({ limits: { bodyBytes: 1000, attachmentBytes: 2000, totalBytes: 2500 } }),
    );
    t = await openTestServer('sqlite', { SECURE_ENVELOPE_CONFIG: file });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const post = async (body: Record<string, unknown>) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/envelopes',
      headers: { authorization: `Bearer ${await t.token()}`, 'idempotency-key': `limit-${Math.random()}` },
      payload: body,
    });

  it('answers 413 with the limit for a large body', async () => {
    const res = await post(envelope({ html: 'x'.repeat(1200), attachments: [] }));
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'ENVELOPE_TOO_LARGE' });
    expect(res.json<{ message: string }>().message).toContain('limit');
  });

  it('answers 413 naming the attachment that is too large', async () => {
    const big = Buffer.alloc(2100, 1).toString('base64');
    const res = await post(
      envelope({
        text: 'x',
        html: undefined,
        attachments: [{ name: 'scan.pdf', contentType: 'application/pdf', contentBase64: big }],
      }),
    );
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE' });
    expect(res.json<{ message: string }>().message).toContain('scan.pdf');
  });
});

function filesUnder(dir: string): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = join(dir, e);
    out = statSync(p).isDirectory() ? out.concat(filesUnder(p)) : out.concat([p]);
  }
  return out;
}

describe('rate limit', () => {
  let t: TestServer;
  beforeAll(async () => {
    const file = join((await import('node:os')).tmpdir(), `se-rate-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ limits: { requestsPerMinute: 3 } }));
    t = await openTestServer('sqlite', { SECURE_ENVELOPE_CONFIG: file });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('answers a client over its limit with the API 429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 4; i++)
      codes.push((await t.app.inject({ method: 'GET', url: '/v1/policy' })).statusCode);
    expect(codes).toEqual([200, 200, 200, 429]);
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(429);
    expect(res.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(res.json<{ message: string }>().message).toMatch(/try again in \d+ s/);
  });
});

describe('a stranger', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await openTestServer('sqlite');
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('is refused before a large body is read', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/envelopes',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'stranger-0001' },
      payload: '{"from": "x", "text": "' + 'a'.repeat(5_000_000) + '"',
    });
    // Not a 400 for the broken JSON: the body was never parsed.
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('cannot dodge the rate limit with X-Forwarded-For', async () => {
    const file = join((await import('node:os')).tmpdir(), `se-xff-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ limits: { requestsPerMinute: 2 } }));
    const limited = await openTestServer('sqlite', { SECURE_ENVELOPE_CONFIG: file });
    try {
      const codes: number[] = [];
      for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) {
        const res = await limited.app.inject({
          method: 'GET',
          url: '/healthz',
          headers: { 'x-forwarded-for': ip },
        });
        codes.push(res.statusCode);
      }
      expect(codes).toEqual([200, 200, 429]);
    } finally {
      await limited.cleanup();
    }
  });
});

describe('with the organisation’s domains named', () => {
  let t: TestServer;
  beforeAll(async () => {
    const file = join((await import('node:os')).tmpdir(), `se-org-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ policy: { orgDomains: ['plan.example'] } }));
    t = await openTestServer('sqlite', { SECURE_ENVELOPE_CONFIG: file });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('takes envelopes from its own mailboxes only, and records the refusal', async () => {
    const send = async (address: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/envelopes',
        headers: {
          authorization: `Bearer ${await t.token(address)}`,
          'idempotency-key': `org-${address.replace('@', '.')}`,
        },
        payload: envelope({ from: address }),
      });
    expect((await send('rep@plan.example')).statusCode).toBe(201);
    const outsider = await send('someone@elsewhere.example');
    expect(outsider.statusCode).toBe(403);
    expect(outsider.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect(outsider.json<{ message: string }>().message).toContain('plan.example');
    const refused = await t.store.db
      .selectFrom('audit_log')
      .select('outcome')
      .where('action', '=', 'envelope.refused')
      .execute();
    expect(refused).toEqual([{ outcome: 'denied' }]);
    const stored = await t.store.db.selectFrom('envelopes').select('sender').execute();
    expect(stored).toEqual([{ sender: 'rep@plan.example' }]);
  });
});

describe('a write that fails', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await openTestServer('sqlite');
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('leaves neither a half-written envelope nor the attachment ciphertext behind', async () => {
    const blobs = () => filesUnder(join(t.store.dataDir, 'blobs')).length;
    const before = blobs();
    // The last insert of the transaction (the outbox) fails in the database.
    await sql`alter table outbox rename to outbox_away`.execute(t.store.db);
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/envelopes',
        headers: { authorization: `Bearer ${await t.token()}`, 'idempotency-key': 'fails-0001' },
        payload: envelope(),
      });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ code: 'INTERNAL', message: expect.any(String) as string });
    } finally {
      await sql`alter table outbox_away rename to outbox`.execute(t.store.db);
    }
    expect(await t.store.db.selectFrom('envelopes').select('id').execute()).toEqual([]);
    expect(await t.store.db.selectFrom('attachments').select('id').execute()).toEqual([]);
    expect(blobs()).toBe(before);
    // The same message, once the database takes it, leaves its one blob there.
    const ok = await t.app.inject({
      method: 'POST',
      url: '/v1/envelopes',
      headers: { authorization: `Bearer ${await t.token()}`, 'idempotency-key': 'fails-0002' },
      payload: envelope(),
    });
    expect(ok.statusCode).toBe(201);
    expect(blobs()).toBe(before + 1);
    // A retry with the same key answers as the first time, and the attachment
    // it stored again on the way is removed: still one blob, one envelope.
    const retry = await t.app.inject({
      method: 'POST',
      url: '/v1/envelopes',
      headers: { authorization: `Bearer ${await t.token()}`, 'idempotency-key': 'fails-0002' },
      payload: envelope(),
    });
    expect(retry.statusCode).toBe(201);
    expect(retry.json()).toEqual(ok.json());
    expect(blobs()).toBe(before + 1);
    expect(await t.store.db.selectFrom('envelopes').select('id').execute()).toHaveLength(1);
  });
});
