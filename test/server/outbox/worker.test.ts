import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../../../src/server/dev/mail-catcher';
import { renderNotice } from '../../../src/server/mail/notice';
import {
  deliveryStats,
  OutboxWorker,
  type OutboxEvent,
  type OutboxWorkerOptions,
} from '../../../src/server/outbox/worker';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/stores';

const FROM = '"Health Plan Secure Mail" <secure@plan.example>';
const T0 = Date.parse('2026-02-01T12:00:00.000Z');

/** A clock the tests move by hand. */
function clock() {
  let t = T0;
  return {
    now: () => new Date(t),
    advance(ms: number) {
      t += ms;
    },
  };
}

let seq = 0;
async function insertRows(store: TestStore, n: number, at = new Date(T0)): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const id = `ob${++seq}`;
    const notice = renderNotice({
      orgName: 'Health Plan',
      supportContact: 'Provider Services, 1-800-555-0100',
      senderName: 'Dana Rep',
      senderAddress: 'dana@plan.example',
      link: `https://secure.plan.example/r/token-${id}`,
      firstTime: i % 2 === 0,
      expiresAt: new Date(T0 + 30 * 86_400_000),
      recipientAddress: `r${id}@clinic.example`,
    });
    await store.db
      .insertInto('outbox')
      .values({
        id,
        envelope_id: `env-${id}`,
        recipient_id: `rcp-${id}`,
        message_id: `<env-${id}.rcp-${id}@secure.plan.example>`,
        to_address: `${id}@clinic.example`,
        notice_json: JSON.stringify(notice),
        status: 'pending',
        next_attempt_at: at.toISOString(),
        last_error: null,
        created_at: at.toISOString(),
        sent_at: null,
      })
      .execute();
    ids.push(id);
  }
  return ids;
}

/** A closed port: a server was there a moment ago. */
async function freePort(): Promise<number> {
  const c = await startMailCatcher();
  await c.close();
  return c.port;
}

/** An SMTP server that answers with `code` at RCPT TO (or after DATA), or stalls DATA for `stallMs`. */
async function troubleServer(behaviour: {
  rcptCode?: number;
  dataCode?: number;
  mailFromCode?: number;
  stallMs?: number;
}) {
  let dataSeen = 0;
  let accepted = 0;
  const server = new SMTPServer({
    logger: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    disableReverseLookup: true,
    onMailFrom(_address, _session, callback) {
      if (behaviour.mailFromCode !== undefined) {
        callback(Object.assign(new Error('relay access denied'), { responseCode: behaviour.mailFromCode }));
        return;
      }
      callback();
    },
    onRcptTo(address, _session, callback) {
      if (behaviour.rcptCode !== undefined) {
        callback(
          Object.assign(new Error(`mailbox ${address.address} unavailable`), {
            responseCode: behaviour.rcptCode,
          }),
        );
        return;
      }
      callback();
    },
    onData(stream: SMTPServerDataStream, _session, callback) {
      dataSeen++;
      stream.resume();
      stream.on('end', () => {
        const finish = () => {
          if (behaviour.dataCode !== undefined) {
            callback(Object.assign(new Error('try later'), { responseCode: behaviour.dataCode }));
          } else {
            accepted++;
            callback();
          }
        };
        if (behaviour.stallMs === undefined) finish();
        else setTimeout(finish, behaviour.stallMs);
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    dataSeen: () => dataSeen,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

describe.each(STORE_KINDS)('OutboxWorker on %s', (kind) => {
  let store: TestStore;
  const cleanups: (() => Promise<void>)[] = [];
  const workers: OutboxWorker[] = [];

  beforeAll(async () => {
    store = await openTestStore(kind);
  });
  afterAll(async () => {
    await store.cleanup();
  });
  beforeEach(async () => {
    await store.db.deleteFrom('outbox').execute();
  });
  afterEach(async () => {
    // Workers first: a server closing with a pooled connection still open waits for it.
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function worker(options: Partial<OutboxWorkerOptions> & { smtpUrl: string }): OutboxWorker {
    const w = new OutboxWorker({ db: store.db, from: FROM, random: () => 0.5, ...options });
    workers.push(w);
    return w;
  }

  async function catcher(port = 0): Promise<MailCatcher> {
    const c = await startMailCatcher({ port });
    cleanups.push(() => c.close());
    return c;
  }

  async function row(id: string) {
    return store.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  it('delivers a notice to a real SMTP server with the row’s stable Message-ID', async () => {
    const c = await catcher();
    const t = clock();
    const events: OutboxEvent[] = [];
    const [id] = await insertRows(store, 1);
    const w = worker({ smtpUrl: c.url, now: t.now, onEvent: (e) => void events.push(e) });

    const result = await w.runOnce();

    expect(result).toEqual({
      claimed: 1,
      sent: 1,
      retried: 0,
      dead: 0,
      unrecorded: 0,
      released: 0,
      held: 0,
    });
    const [m] = c.messages();
    expect(c.messages()).toHaveLength(1);
    expect(m!.messageId).toBe(`<env-${id}.rcp-${id}@secure.plan.example>`);
    expect(m!.to).toEqual([`${id}@clinic.example`]);
    expect(m!.from).toBe('Health Plan Secure Mail <secure@plan.example>');
    expect(m!.subject).toBe('Secure message from Health Plan');
    expect(m!.text).toContain(`https://secure.plan.example/r/token-${id}`);
    expect(m!.html).toContain(`href="https://secure.plan.example/r/token-${id}"`);
    expect(m!.raw).toContain('Auto-Submitted: auto-generated');
    const r = await row(id!);
    expect(r).toMatchObject({
      status: 'sent',
      attempts: 1,
      last_error: null,
      sent_at: t.now().toISOString(),
    });
    expect(events).toEqual([
      { type: 'sent', outboxId: id, envelopeId: `env-${id}`, recipientId: `rcp-${id}`, attempts: 1 },
    ]);
    expect(await w.runOnce()).toMatchObject({ claimed: 0, sent: 0 });
    expect(c.messages()).toHaveLength(1);
  });

  it('survives an SMTP outage: retries later, then delivers each row exactly once', async () => {
    const port = await freePort();
    const t = clock();
    const ids = await insertRows(store, 6);
    const w = worker({ smtpUrl: `smtp://127.0.0.1:${port}`, now: t.now, batch: 4, baseDelayMs: 1000 });

    // The relay is down: nothing is delivered, every row is scheduled again.
    expect(await w.runOnce()).toEqual({
      claimed: 6,
      sent: 0,
      retried: 6,
      dead: 0,
      unrecorded: 0,
      released: 0,
      held: 0,
    });
    for (const id of ids) {
      const r = await row(id);
      expect(r.status).toBe('pending');
      expect(r.attempts).toBe(1);
      expect(r.last_error).toBe('ESOCKET ECONNREFUSED CONN');
      expect(r.last_error).not.toContain('@');
      // Backoff: between half and all of baseDelayMs (random fixed at 0.5 → 750 ms).
      expect(r.next_attempt_at).toBe(new Date(T0 + 750).toISOString());
    }
    // Not due yet: nothing is tried.
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });
    expect(await deliveryStats(store.db)).toEqual({
      pending: 6,
      sent: 0,
      dead: 0,
      oldestPendingAt: new Date(T0).toISOString(),
    });

    // The relay comes back on the same port; the clock passes the backoff.
    const c = await catcher(port);
    t.advance(1000);
    expect(await w.runOnce()).toEqual({
      claimed: 6,
      sent: 6,
      retried: 0,
      dead: 0,
      unrecorded: 0,
      released: 0,
      held: 0,
    });
    const ids2 = c.messages().map((m) => m.messageId);
    expect(ids2.sort()).toEqual(ids.map((id) => `<env-${id}.rcp-${id}@secure.plan.example>`).sort());
    for (const id of ids) expect(await row(id)).toMatchObject({ status: 'sent', attempts: 2 });

    // Again, and much later: nothing more is sent.
    t.advance(86_400_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 0, sent: 0 });
    expect(c.messages()).toHaveLength(6);
    expect(await deliveryStats(store.db)).toEqual({ pending: 0, sent: 6, dead: 0, oldestPendingAt: null });
  });

  it.each<[string, { rcptCode?: number; dataCode?: number }]>([
    ['550 at RCPT TO', { rcptCode: 550 }],
    ['554 after DATA', { dataCode: 554 }],
  ])(
    'dead-letters at once when the relay refuses the message for good (%s), keeping the notice',
    async (_name, behaviour) => {
      const s = await troubleServer(behaviour);
      cleanups.push(s.close);
      const t = clock();
      const events: OutboxEvent[] = [];
      const [id] = await insertRows(store, 1);
      const before = (await row(id!)).notice_json;
      const w = worker({ smtpUrl: s.url, now: t.now, onEvent: (e) => void events.push(e) });

      expect(await w.runOnce()).toMatchObject({ dead: 1, retried: 0 });
      const r = await row(id!);
      expect(r).toMatchObject({ status: 'dead', attempts: 1 });
      expect(r.last_error).toContain(String(behaviour.rcptCode ?? behaviour.dataCode));
      // The worker leaves the stored notice as it was: a dead letter can be requeued.
      expect(r.notice_json).toBe(before);
      expect(events.map((e) => e.type)).toEqual(['dead']);
    },
  );

  it('retries a 5xx that speaks of the relay, not the message (MAIL FROM refused), as an outage', async () => {
    const s = await troubleServer({ mailFromCode: 550 });
    cleanups.push(s.close);
    const t = clock();
    const [id] = await insertRows(store, 1);
    const w = worker({ smtpUrl: s.url, now: t.now, maxAttempts: 5, baseDelayMs: 1000 });
    expect(await w.runOnce()).toMatchObject({ retried: 1, dead: 0 });
    expect(await row(id!)).toMatchObject({ status: 'pending', attempts: 1 });
  });

  it('retries for about a day by default before giving up', async () => {
    const port = await freePort();
    const t = clock();
    const [id] = await insertRows(store, 1);
    const w = worker({ smtpUrl: `smtp://127.0.0.1:${port}`, now: t.now });
    let attempts = 0;
    for (; attempts < 100; attempts++) {
      const r = await row(id!);
      if (r.status !== 'pending') break;
      t.advance(Math.max(0, Date.parse(r.next_attempt_at) - t.now().getTime()));
      await w.runOnce();
    }
    const r = await row(id!);
    expect(r.status).toBe('dead');
    const spentHours = (t.now().getTime() - T0) / 3_600_000;
    // A relay outage of an afternoon or a night loses nothing.
    expect(spentHours).toBeGreaterThan(12);
    expect(spentHours).toBeLessThan(48);
  }, 60_000);

  it('renews the lease of a send that outlasts it, so no other worker takes the row meanwhile', async () => {
    const s = await troubleServer({ stallMs: 1200 });
    cleanups.push(s.close);
    const [id] = await insertRows(store, 1, new Date(Date.now() - 1000));
    const slow = worker({ smtpUrl: s.url, leaseMs: 300, sendTimeoutMs: 5000 });
    const other = worker({ smtpUrl: s.url, leaseMs: 300, sendTimeoutMs: 5000 });
    const running = slow.runOnce();
    const leases: string[] = [];
    // Well past the first lease: the other worker finds nothing due, and the lease keeps moving.
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 120));
      expect(await other.runOnce()).toMatchObject({ claimed: 0 });
      leases.push((await row(id!)).next_attempt_at);
    }
    expect(await running).toMatchObject({ claimed: 1, sent: 1, unrecorded: 0 });
    expect(new Set(leases).size).toBeGreaterThan(2);
    expect(s.dataSeen()).toBe(1);
    expect(await row(id!)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('leaves a notice it cannot open for an instance that can: no attempt counted, nothing scrubbed, one alert', async () => {
    const c = await catcher();
    const t = clock();
    const [id] = await insertRows(store, 1);
    const before = await row(id!);
    const alerts: number[] = [];
    const events: OutboxEvent[] = [];
    const lacking = worker({
      smtpUrl: c.url,
      now: t.now,
      openNotice: () => Promise.reject(new Error('no key k2026-aaaa in this keyring')),
      onUnopenable: (n) => alerts.push(n),
      onEvent: (e) => void events.push(e),
    });
    expect(await lacking.runOnce()).toMatchObject({ claimed: 1, held: 1, dead: 0, retried: 0 });
    const after = await row(id!);
    expect(after).toMatchObject({
      status: 'pending',
      attempts: before.attempts,
      notice_json: before.notice_json,
    });
    expect(after.last_error).toMatch(/^EKEY/);
    expect(alerts).toEqual([1]);
    expect(events).toEqual([]);
    expect(c.messages()).toHaveLength(0);

    // An instance with the key delivers it once it is due again.
    const able = worker({ smtpUrl: c.url, now: t.now });
    expect(await able.runOnce()).toMatchObject({ claimed: 0 });
    t.advance(60_000);
    expect(await able.runOnce()).toMatchObject({ sent: 1 });
    expect(c.messages()).toHaveLength(1);
  });

  it.each<[string, { rcptCode?: number; dataCode?: number }]>([
    ['421 at RCPT TO', { rcptCode: 421 }],
    ['451 after DATA', { dataCode: 451 }],
  ])('dead-letters after maxAttempts when the relay answers %s', async (_name, behaviour) => {
    const s = await troubleServer(behaviour);
    cleanups.push(s.close);
    const t = clock();
    const events: OutboxEvent[] = [];
    const [id] = await insertRows(store, 1);
    const w = worker({
      smtpUrl: s.url,
      now: t.now,
      maxAttempts: 3,
      baseDelayMs: 1000,
      onEvent: (e) => void events.push(e),
    });

    expect(await w.runOnce()).toMatchObject({ retried: 1 });
    t.advance(1000);
    expect(await w.runOnce()).toMatchObject({ retried: 1 });
    // Second retry: 2 s step, 1.5 s with the fixed jitter.
    expect((await row(id!)).next_attempt_at).toBe(new Date(T0 + 1000 + 1500).toISOString());
    t.advance(2000);
    expect(await w.runOnce()).toMatchObject({ dead: 1 });
    t.advance(86_400_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });

    const r = await row(id!);
    expect(r.status).toBe('dead');
    expect(r.attempts).toBe(3);
    expect(r.sent_at).toBeNull();
    const code = String(behaviour.rcptCode ?? behaviour.dataCode);
    expect(r.last_error).toContain(code);
    expect(r.last_error).not.toContain('@');
    expect(r.last_error!.length).toBeLessThanOrEqual(200);
    expect(events.map((e) => [e.type, e.attempts])).toEqual([
      ['retry', 1],
      ['retry', 2],
      ['dead', 3],
    ]);
    expect(events.every((e) => e.error?.includes(code))).toBe(true);
    expect(s.accepted()).toBe(0);
    expect(await deliveryStats(store.db)).toMatchObject({ pending: 0, sent: 0, dead: 1 });
  });

  it('caps the backoff at maxDelayMs', async () => {
    const port = await freePort();
    const t = clock();
    const [id] = await insertRows(store, 1);
    const w = worker({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      now: t.now,
      baseDelayMs: 1000,
      maxDelayMs: 3000,
      random: () => 0.999,
    });
    for (let i = 0; i < 5; i++) {
      await w.runOnce();
      const r = await row(id!);
      expect(Date.parse(r.next_attempt_at) - t.now().getTime()).toBeLessThanOrEqual(3000);
      t.advance(3000);
    }
    expect((await row(id!)).attempts).toBe(5);
  });

  it('re-sends with the SAME Message-ID when SMTP accepted but recording the outcome failed (at least once)', async () => {
    const c = await catcher();
    const t = clock();
    const [id] = await insertRows(store, 1);
    let failRecording = true;
    const w = worker({
      smtpUrl: c.url,
      now: t.now,
      leaseMs: 60_000,
      onEvent: () => {
        if (failRecording) throw new Error('database went away');
      },
      onError: () => undefined,
    });

    // The relay has the message, but 'sent' was rolled back with the failing transaction.
    expect(await w.runOnce()).toMatchObject({ claimed: 1, sent: 0, unrecorded: 1 });
    expect(c.messages()).toHaveLength(1);
    expect(await row(id!)).toMatchObject({ status: 'pending', attempts: 0 });

    // While the lease lasts, nobody re-sends.
    t.advance(30_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 0 });

    // After the lease, the row is sent again: the same message, the same Message-ID.
    failRecording = false;
    t.advance(31_000);
    expect(await w.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
    const ids = c.messages().map((m) => m.messageId);
    expect(ids).toEqual([
      `<env-${id}.rcp-${id}@secure.plan.example>`,
      `<env-${id}.rcp-${id}@secure.plan.example>`,
    ]);
    expect(await row(id!)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('records the outcome and onEvent writes in one transaction', async () => {
    const c = await catcher();
    const [id] = await insertRows(store, 1);
    const w = worker({
      smtpUrl: c.url,
      now: clock().now,
      onEvent: async (e, trx) => {
        await trx
          .insertInto('recipients')
          .values({ address: `event-${e.outboxId}`, registered_at: null })
          .execute();
      },
    });
    expect(await w.runOnce()).toMatchObject({ sent: 1 });
    const written = await store.db
      .selectFrom('recipients')
      .select('address')
      .where('address', '=', `event-${id}`)
      .executeTakeFirst();
    expect(written?.address).toBe(`event-${id}`);
  });

  it('never lets two workers deliver the same row', async () => {
    const c = await catcher();
    const t = clock();
    const ids = await insertRows(store, 24);
    const a = worker({ smtpUrl: c.url, now: t.now, batch: 5 });
    const b = worker({ smtpUrl: c.url, now: t.now, batch: 5 });
    const [ra, rb] = await Promise.all([a.runOnce(), b.runOnce()]);
    expect(ra.sent + rb.sent).toBe(24);
    expect(ra.unrecorded + rb.unrecorded).toBe(0);
    const sent = c.messages().map((m) => m.messageId);
    expect(new Set(sent).size).toBe(24);
    expect(sent).toHaveLength(24);
    expect(await deliveryStats(store.db)).toMatchObject({ sent: ids.length, pending: 0 });
  });

  it('gives up on a stalled send after sendTimeoutMs and schedules a retry', async () => {
    const s = await troubleServer({ stallMs: 3000 });
    cleanups.push(s.close);
    const [id] = await insertRows(store, 1);
    const w = worker({ smtpUrl: s.url, now: clock().now, sendTimeoutMs: 300 });
    const started = Date.now();
    expect(await w.runOnce()).toMatchObject({ retried: 1 });
    expect(Date.now() - started).toBeLessThan(2500);
    expect((await row(id!)).last_error).toBe('ETIMEDOUT');
  });

  it('start() polls and delivers; stop() lets the send in flight finish', async () => {
    const s = await troubleServer({ stallMs: 400 });
    cleanups.push(s.close);
    const [id] = await insertRows(store, 1, new Date());
    const w = worker({ smtpUrl: s.url, pollMs: 20 });
    w.start();
    w.start(); // idempotent
    const deadline = Date.now() + 5000;
    while (s.dataSeen() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(s.dataSeen()).toBe(1);
    await w.stop();
    expect(s.accepted()).toBe(1);
    expect(await row(id!)).toMatchObject({ status: 'sent', attempts: 1 });

    // Stopped: a new row stays pending.
    const [later] = await insertRows(store, 1, new Date());
    await new Promise((r) => setTimeout(r, 100));
    expect((await row(later!)).status).toBe('pending');
  });

  it('stop() hands back claimed rows it has not started, due again at once', async () => {
    const s = await troubleServer({ stallMs: 300 });
    cleanups.push(s.close);
    const due = new Date(Date.now() - 1000);
    const ids = await insertRows(store, 4, due);
    const w = worker({ smtpUrl: s.url, pollMs: 20, concurrency: 1, batch: 4 });
    w.start();
    const deadline = Date.now() + 5000;
    while (s.dataSeen() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await w.stop();
    const rows = await Promise.all(ids.map((id) => row(id)));
    expect(rows.filter((r) => r.status === 'sent')).toHaveLength(1);
    const back = rows.filter((r) => r.status === 'pending');
    expect(back).toHaveLength(3);
    for (const r of back) expect(r).toMatchObject({ attempts: 0, next_attempt_at: due.toISOString() });
    // runOnce works after stop(): the rest goes out.
    expect(await w.runOnce()).toMatchObject({ claimed: 3, sent: 3, released: 0 });
  });

  it('dead-letters a row whose notice cannot be read, without sending', async () => {
    const c = await catcher();
    const [id] = await insertRows(store, 1);
    await store.db
      .updateTable('outbox')
      .set({ notice_json: '{"subject":1}' })
      .where('id', '=', id!)
      .execute();
    const w = worker({ smtpUrl: c.url, now: clock().now });
    expect(await w.runOnce()).toMatchObject({ dead: 1 });
    expect(await row(id!)).toMatchObject({ status: 'dead', last_error: 'EINVALID notice_json' });
    expect(c.messages()).toHaveLength(0);
  });
});
