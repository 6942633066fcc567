/**
 * The server as its own process under load: killed with SIGKILL mid-load, then
 * restarted on the same data folder, it has lost nothing it answered 201 for
 * and delivers every notice; stopped with SIGTERM, it finishes the requests in
 * flight and leaves the outbox consistent.
 */
import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOrCreateKeyring } from '../../src/server/crypto/keyring';
import { decryptContentJson } from '../../src/server/crypto/content-crypto';
import { contentAad } from '../../src/server/crypto/bindings';
import { openStore } from '../../src/server/store/db';
import { SQLITE_FILE_NAME } from '../../src/server/store/sqlite-file';
import {
  runCli,
  signal,
  spawnServer,
  startSmtpSink,
  type ServerProcess,
  type SmtpSink,
} from './helpers/process';

const DB_FILE = SQLITE_FILE_NAME;
/** The outbox worker's defaults, as the server runs it: batch 20, concurrency 5, send timeout 60 s. */
const WORKER_BATCH = 20;
/** Its default lease, renewed while a worker works: a dead worker's rows are free again within it. */
const LEASE_MS = 15_000;

const dirs: string[] = [];
const servers: ServerProcess[] = [];
const sinks: SmtpSink[] = [];

afterAll(async () => {
  for (const s of servers) {
    signal(s, 'SIGKILL');
    await s.exited;
  }
  for (const sink of sinks) await sink.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'se-crash-'));
  dirs.push(dir);
  return dir;
}

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServer(env);
  servers.push(server);
  return server;
}

async function devToken(server: ServerProcess): Promise<string> {
  const res = await fetch(`${server.base}/dev/token?address=rep@plan.example`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

function envelopeBody(n: number, text: string): Record<string, unknown> {
  return {
    from: 'rep@plan.example',
    to: [`front.desk.${n}@clinic.example`],
    cc: [`billing.${n}@clinic.example`],
    bcc: [],
    subject: `Claim ${n}`,
    text,
    attachments: [],
  };
}

interface OutboxCounts {
  total: number;
  pending: number;
  sent: number;
  dead: number;
  /** Pending rows whose next_attempt_at lies in the future: under a lease (or a retry delay). */
  leased: number;
}

/** Reads the outbox without writing anything (the server may be running). */
function outboxCounts(dataDir: string): OutboxCounts {
  const db = new SQLite(join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('select status, count(*) as n from outbox group by status').all() as {
      status: 'pending' | 'sent' | 'dead';
      n: number;
    }[];
    const counts: OutboxCounts = { total: 0, pending: 0, sent: 0, dead: 0, leased: 0 };
    for (const r of rows) {
      counts[r.status] = r.n;
      counts.total += r.n;
    }
    const leased = db
      .prepare("select count(*) as n from outbox where status = 'pending' and next_attempt_at > ?")
      .get(new Date().toISOString()) as { n: number };
    counts.leased = leased.n;
    return counts;
  } finally {
    db.close();
  }
}

interface OutboxState {
  id: string;
  status: 'pending' | 'sent' | 'dead';
  next_attempt_at: string;
  message_id: string;
}

function readOutbox(dataDir: string): OutboxState[] {
  const db = new SQLite(join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('select id, status, next_attempt_at, message_id from outbox').all() as OutboxState[];
  } finally {
    db.close();
  }
}

/** Pending rows claimed by a worker (next_attempt_at moved into the future). */
function leasedRows(dataDir: string): OutboxState[] {
  const now = new Date().toISOString();
  return readOutbox(dataDir).filter((r) => r.status === 'pending' && r.next_attempt_at > now);
}

/** Polls the outbox (read-only) until `done` holds or the time is up; returns the last rows either way. */
async function waitUntil(
  dataDir: string,
  timeoutMs: number,
  done: (rows: OutboxState[]) => boolean,
): Promise<OutboxState[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = readOutbox(dataDir);
    if (done(rows) || Date.now() > deadline) return rows;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The exit code (or signal) of the process, or 'timeout' if it still runs after `withinMs`. */
async function exitWithin(server: ServerProcess, withinMs: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => {
    timer = setTimeout(() => {
      r('timeout');
    }, withinMs);
  });
  try {
    return await Promise.race([server.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function stopGracefully(server: ServerProcess, withinMs = 10_000): Promise<number | string> {
  signal(server, 'SIGTERM');
  return exitWithin(server, withinMs);
}

describe('secure-envelope serve, killed and stopped under load (embedded store)', () => {
  it('loses nothing it answered 201 for when killed with SIGKILL, and delivers every notice once restarted', async () => {
    const dataDir = tempDir();
    const sink = await startSmtpSink();
    sinks.push(sink);
    const env = { DATA_DIR: dataDir, SMTP_URL: sink.url };
    const first = await start(env);
    const token = await devToken(first);

    const accepted: { id: string; text: string; to: string[] }[] = [];
    const unexpected: string[] = [];
    let killed = false;
    // A function: the flag changes while the loops await.
    const isKilled = (): boolean => killed;
    let sentRequests = 0;
    let seq = 0;
    const loop = async (): Promise<void> => {
      while (!isKilled()) {
        const n = ++seq;
        const text = `Crash test body ${n}: member ${randomUUID()}`;
        sentRequests++;
        try {
          const res = await fetch(`${first.base}/v1/envelopes`, {
            method: 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'idempotency-key': `crash-${n}-${randomUUID()}`,
            },
            body: JSON.stringify(envelopeBody(n, text)),
            signal: AbortSignal.timeout(10_000),
          });
          const body = await res.text();
          if (res.status === 201) {
            const { id } = JSON.parse(body) as { id: string };
            accepted.push({
              id,
              text,
              to: [`front.desk.${n}@clinic.example`, `billing.${n}@clinic.example`],
            });
          } else if (!isKilled()) {
            unexpected.push(`${res.status} ${body.slice(0, 200)}`);
          }
        } catch (e) {
          // In flight when the process died: expected, and the loop ends.
          if (!isKilled()) unexpected.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
          return;
        }
      }
    };
    const loads = Array.from({ length: 8 }, loop);
    // Kill once the server has answered enough to matter: a busy machine (the
    // other suites run beside this one) may need longer than a quiet one.
    const loadStarted = Date.now();
    while (Date.now() - loadStarted < 1_700 || (accepted.length <= 60 && Date.now() - loadStarted < 20_000)) {
      await new Promise((r) => setTimeout(r, 100));
    }
    killed = true;
    first.child.kill('SIGKILL');
    await Promise.all(loads);
    expect(await first.exited).toBe('SIGKILL');
    expect(unexpected).toEqual([]);
    const killedAt = Date.now();
    const receivedBeforeRestart = sink.received.length;
    const idsBeforeRestart = new Set(sink.received.map((m) => m.messageId));
    const atKill = outboxCounts(dataDir);
    // Rows the dead process had claimed: their lease holds them back until it runs out.
    const leasedAtKill = leasedRows(dataDir);
    expect(leasedAtKill.length, 'at most one batch is claimed at a time').toBeLessThanOrEqual(WORKER_BATCH);
    for (const row of leasedAtKill) {
      expect(Date.parse(row.next_attempt_at)).toBeLessThanOrEqual(killedAt + LEASE_MS + 1_000);
    }

    const restartedAt = Date.now();
    const second = await start(env);
    const held = new Set(leasedAtKill.map((r) => r.id));
    const afterRestart = await waitUntil(dataDir, 20_000, (rows) =>
      rows.every((r) => r.status === 'sent' || held.has(r.id)),
    );
    const deliveredInMs = Date.now() - restartedAt;
    expect(afterRestart.filter((r) => r.status !== 'sent' && !held.has(r.id))).toEqual([]);
    // The rows the dead process had claimed come free when their lease runs
    // out (it is not renewed any more), seconds after the kill, and are sent.
    await waitUntil(dataDir, LEASE_MS + 15_000, (rows) => rows.every((r) => r.status === 'sent'));
    const heldDeliveredInMs = Date.now() - killedAt;
    const stillHeld = leasedAtKill;
    expect(await stopGracefully(second), second.output()).toBe(0);
    const counts = outboxCounts(dataDir);

    console.log(
      `crash: ${sentRequests} requests, ${accepted.length} answered 201 before SIGKILL; ` +
        `outbox at kill ${JSON.stringify(atKill)}; ${receivedBeforeRestart} notices received before restart; ` +
        `all but the ${leasedAtKill.length} leased rows sent ${deliveredInMs} ms after the restart; ` +
        `${stillHeld.length} held by the dead process's lease, all sent ${heldDeliveredInMs} ms after the kill; ` +
        `${sink.received.length} notices received for ${new Set(sink.received.map((m) => m.messageId)).size} distinct`,
    );
    expect(accepted.length).toBeGreaterThan(50);
    expect(counts, 'every notice is sent').toMatchObject({ sent: counts.total, pending: 0, dead: 0 });
    // Once a notice has gone, the database no longer holds its secure link.
    const raw = new SQLite(join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
    try {
      const withLinks = raw
        .prepare("select count(*) as n from outbox where notice_json like '%/r/%'")
        .get() as {
        n: number;
      };
      expect(withLinks.n).toBe(0);
    } finally {
      raw.close();
    }

    // The audit chain survived the crash.
    const audit = await runCli(['audit', 'verify'], { DATA_DIR: dataDir });
    expect(audit.code, `${audit.stdout}${audit.stderr}`).toBe(0);

    const store = await openStore({ dataDir });
    try {
      const keyring = await loadOrCreateKeyring(dataDir, {});
      const envelopes = await store.db.selectFrom('envelopes').select(['id', 'content_jwe']).execute();
      const recipients = await store.db
        .selectFrom('envelope_recipients')
        .select(['id', 'envelope_id', 'address'])
        .execute();
      const outbox = await store.db
        .selectFrom('outbox')
        .select(['envelope_id', 'recipient_id', 'message_id', 'to_address', 'status'])
        .execute();
      const links = await store.db
        .selectFrom('secure_links')
        .select(['envelope_id', 'recipient_id'])
        .execute();
      const group = <T extends { envelope_id: string }>(rows: T[]): Map<string, T[]> => {
        const map = new Map<string, T[]>();
        for (const r of rows) map.set(r.envelope_id, [...(map.get(r.envelope_id) ?? []), r]);
        return map;
      };
      const recipientsOf = group(recipients);
      const outboxOf = group(outbox);
      const linksOf = group(links);

      // No half-written envelope: each has all its recipients, links and notices.
      for (const e of envelopes) {
        const n = recipientsOf.get(e.id)?.length ?? 0;
        expect(n, `recipients of ${e.id}`).toBe(2);
        expect(outboxOf.get(e.id)?.length ?? 0, `outbox rows of ${e.id}`).toBe(n);
        expect(linksOf.get(e.id)?.length ?? 0, `secure links of ${e.id}`).toBe(n);
      }
      expect(new Set(outbox.map((o) => o.envelope_id)).size).toBe(envelopes.length);
      // Only requests in flight at the kill (at most one per loop) may have committed without their 201.
      expect(envelopes.length - accepted.length).toBeGreaterThanOrEqual(0);
      expect(envelopes.length - accepted.length).toBeLessThanOrEqual(8);

      const byId = new Map(envelopes.map((e) => [e.id, e]));
      const messagesTo = new Map<string, string[]>();
      for (const m of sink.received) {
        for (const to of m.to) messagesTo.set(to, [...(messagesTo.get(to) ?? []), m.messageId ?? '(none)']);
      }
      let pairs = 0;
      for (const a of accepted) {
        const row = byId.get(a.id);
        expect(row, `envelope ${a.id} answered 201 but is not in the store`).toBeDefined();
        const rcpts = recipientsOf.get(a.id) ?? [];
        expect(rcpts.map((r) => r.address).sort()).toEqual([...a.to].sort());
        const content = (await decryptContentJson(
          keyring,
          row!.content_jwe,
          contentAad(
            a.id,
            rcpts.map((r) => r.id),
          ),
        )) as { text: string | null };
        expect(content.text).toBe(a.text);
        for (const r of rcpts) {
          pairs++;
          const rows = outbox.filter((o) => o.envelope_id === a.id && o.recipient_id === r.id);
          expect(rows).toHaveLength(1);
          expect(rows[0]!.status).toBe('sent');
          const ids = messagesTo.get(r.address) ?? [];
          expect(ids.length, `notices received by ${r.address}`).toBeGreaterThanOrEqual(1);
          expect(new Set(ids), `Message-IDs received by ${r.address}`).toEqual(
            new Set([rows[0]!.message_id]),
          );
        }
      }
      const accepted201 = new Set(accepted.map((a) => a.id));
      const messageIds = sink.received.map((m) => m.messageId);
      const distinct = new Set(messageIds);
      const ofAccepted = outbox.filter((o) => accepted201.has(o.envelope_id)).map((o) => o.message_id);
      expect(ofAccepted.filter((id) => distinct.has(id))).toHaveLength(pairs);
      // Every notice of the store was received; nothing else was.
      expect(distinct).toEqual(new Set(outbox.map((o) => o.message_id)));
      const seen = new Map<string | undefined, number>();
      for (const id of messageIds) seen.set(id, (seen.get(id) ?? 0) + 1);
      const duplicated = [...seen].filter(([, n]) => n > 1);
      const duplicates = messageIds.length - distinct.size;
      console.log(
        `crash: ${envelopes.length} envelopes stored, ${accepted.length} with a 201, ${pairs} notices ` +
          `(envelope x recipient) for them, ${messageIds.length} messages received, ${distinct.size} distinct ` +
          `Message-IDs, ${duplicates} duplicate(s)`,
      );
      // Delivery is at least once: a row sent again is one the relay had
      // accepted (before the restart) while the dead process still held it
      // under its lease, i.e. the kill landed between the relay's 250 and the
      // 'sent' update. That window is a few milliseconds per send, so a run
      // mostly sees none, but the test cannot rule one out; what it asserts
      // is that every duplicate comes from that window and is sent only twice.
      const heldIds = new Set(leasedAtKill.map((r) => r.message_id));
      for (const [id, n] of duplicated) {
        expect(n, `copies of ${String(id)}`).toBe(2);
        expect(heldIds.has(id!) && idsBeforeRestart.has(id), `${String(id)} sent again`).toBe(true);
      }
      expect(duplicates).toBeLessThanOrEqual(leasedAtKill.length);
    } finally {
      await store.close();
    }
  }, 90_000);

  it('finishes the requests in flight on SIGTERM, exits 0 and leaves the outbox consistent', async () => {
    const dataDir = tempDir();
    const sink = await startSmtpSink();
    sinks.push(sink);
    const env = { DATA_DIR: dataDir, SMTP_URL: sink.url };
    const server = await start(env);
    const token = await devToken(server);

    type Outcome =
      { kind: 'response'; status: number; body: string; complete: boolean } | { kind: 'error'; code: string };
    /** One request on its own connection; `written` resolves once the whole request is handed to the OS. */
    const post = (n: number): { written: Promise<void>; outcome: Promise<Outcome> } => {
      const payload = JSON.stringify(envelopeBody(n, `Shutdown test body ${n}`));
      let onWritten: () => void = () => undefined;
      const written = new Promise<void>((r) => (onWritten = r));
      let responded = false;
      const outcome = new Promise<Outcome>((done) => {
        const req = httpRequest(
          `${server.base}/v1/envelopes`,
          {
            method: 'POST',
            agent: false,
            headers: {
              authorization: `Bearer ${token}`,
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(payload),
              'idempotency-key': `shutdown-${n}-${randomUUID()}`,
            },
          },
          (res) => {
            responded = true;
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (body += c));
            res.on('end', () => {
              done({ kind: 'response', status: res.statusCode ?? 0, body, complete: res.complete });
            });
            res.on('error', (e: NodeJS.ErrnoException) => {
              done({ kind: 'error', code: `truncated response: ${e.code ?? e.message}` });
            });
            res.on('close', () => {
              if (!res.complete) done({ kind: 'error', code: 'truncated response' });
            });
          },
        );
        req.on('finish', onWritten);
        req.on('error', (e: NodeJS.ErrnoException) => {
          onWritten();
          done({
            kind: 'error',
            code: responded ? `truncated response: ${e.code ?? ''}` : (e.code ?? e.message),
          });
        });
        req.setTimeout(15_000, () => req.destroy(new Error('ETIMEDOUT')));
        req.end(payload);
      });
      return { written, outcome };
    };

    const inFlight = Array.from({ length: 20 }, (_, i) => post(i + 1));
    await Promise.all(inFlight.map((r) => r.written));
    const termAt = Date.now();
    signal(server, 'SIGTERM');
    // A few more once the server is closing.
    await new Promise((r) => setTimeout(r, 20));
    const late = Array.from({ length: 5 }, (_, i) => post(100 + i));
    // While it drains, health tells a load balancer to send no more.
    let health = { status: 0, code: '' };
    for (let i = 0; i < 40 && health.status !== 503; i++) {
      const res = await fetch(`${server.base}/healthz`, { headers: { connection: 'close' } });
      health = { status: res.status, code: ((await res.json()) as { code?: string }).code ?? '' };
      if (health.status !== 503) await new Promise((r) => setTimeout(r, 10));
    }
    expect(health).toEqual({ status: 503, code: 'SHUTTING_DOWN' });
    const outcomes = await Promise.all(inFlight.map((r) => r.outcome));
    const lateOutcomes = await Promise.all(late.map((r) => r.outcome));
    const code = await exitWithin(server, 10_000);
    const exitMs = Date.now() - termAt;
    const show = (o: Outcome): string =>
      o.kind === 'response' ? `${o.status}${o.complete ? '' : ' (incomplete)'}` : o.code;
    const tally = (list: Outcome[]): string => {
      const n = new Map<string, number>();
      for (const o of list) n.set(show(o), (n.get(show(o)) ?? 0) + 1);
      return [...n].map(([k, v]) => `${v} x ${k}`).join(', ');
    };
    console.log(
      `shutdown: 20 requests written before SIGTERM: ${tally(outcomes)}; 5 after: ${tally(lateOutcomes)}; ` +
        `exit ${String(code)} after ${exitMs} ms`,
    );
    expect(code, server.output()).toBe(0);
    expect(exitMs).toBeLessThan(5_000);

    // Every request sent before SIGTERM is answered, in full: the server
    // drains before it closes, so none waiting in the kernel's queue is reset.
    for (const o of outcomes) expect(o.kind, show(o)).toBe('response');
    // One sent after it may be served too, or turned away whole: a complete
    // 503, or its connection refused or reset before any byte of an answer.
    // Never a 500, never an answer cut short.
    const created = new Set<string>();
    for (const o of [...outcomes, ...lateOutcomes]) {
      if (o.kind === 'error') {
        expect(['ECONNREFUSED', 'ECONNRESET', 'EPIPE'], show(o)).toContain(o.code);
        continue;
      }
      expect(o.complete, show(o)).toBe(true);
      expect([201, 503], o.body).toContain(o.status);
      const body = JSON.parse(o.body) as { id?: string };
      if (o.status === 201) created.add(body.id!);
    }
    expect(created.size, 'the requests already being handled finish').toBeGreaterThan(0);

    // Exactly the envelopes answered 201 exist: a request turned away left nothing behind.
    const stored = new Set(
      (() => {
        const db = new SQLite(join(dataDir, DB_FILE), { readonly: true, fileMustExist: true });
        try {
          return (db.prepare('select id from envelopes').all() as { id: string }[]).map((r) => r.id);
        } finally {
          db.close();
        }
      })(),
    );
    expect(stored).toEqual(created);

    // Nothing is left under a lease: every row is sent, or pending and due now.
    const afterStop = outboxCounts(dataDir);
    expect(afterStop.total).toBe(created.size * 2);
    expect(afterStop.dead).toBe(0);
    expect(afterStop.leased).toBe(0);
    expect(afterStop.pending + afterStop.sent).toBe(afterStop.total);

    const again = await start(env);
    await waitUntil(dataDir, 15_000, (rows) => rows.every((r) => r.status === 'sent'));
    expect(await stopGracefully(again), again.output()).toBe(0);
    expect(outboxCounts(dataDir)).toMatchObject({ sent: afterStop.total, pending: 0, dead: 0 });
    const distinct = new Set(sink.received.map((m) => m.messageId));
    expect(distinct.size).toBe(afterStop.total);
    expect(sink.received.length).toBe(afterStop.total);
    console.log(
      `shutdown: ${created.size} envelopes, outbox after SIGTERM ${JSON.stringify(afterStop)}, ` +
        `${sink.received.length} notices received in all`,
    );
  }, 60_000);
});
