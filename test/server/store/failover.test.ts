/**
 * The server on PostgreSQL, with the database cut away under load through a
 * TCP proxy (a restart or a failover, as the server sees one): the process
 * lives on, requests during the cut are answered 503 STORE_UNAVAILABLE with
 * Retry-After (never 500), service returns within a second of the database,
 * and nothing answered 201 is lost. A database that is away at start is
 * waited for, with a line saying so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admin, PG_ADMIN_URL } from '../helpers/stores';
import {
  devToken,
  postEnvelope,
  signal,
  spawnServer,
  startSmtpSink,
  type ServerProcess,
  type SmtpSink,
} from '../helpers/process';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';

const CUT_MS = 4000;

interface Answer {
  status: number;
  code?: string;
  retryAfter?: string | null;
  id?: string;
  at: number;
}

describe('a PostgreSQL failover under load', () => {
  const dbName = `se_failover_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const dataDirs: string[] = [];
  let proxy: TcpProxy;
  let sink: SmtpSink;
  let dbUrl: string;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    await admin(`CREATE DATABASE ${dbName}`);
    const target = new URL(PG_ADMIN_URL);
    proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const url = new URL(PG_ADMIN_URL);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    url.pathname = `/${dbName}`;
    dbUrl = url.toString();
    sink = await startSmtpSink();
  });

  afterAll(async () => {
    for (const s of servers) {
      signal(s, 'SIGKILL');
      await s.exited;
    }
    await proxy.close();
    await sink.close();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    for (const d of dataDirs) rmSync(d, { recursive: true, force: true });
  });

  function dataDir(): string {
    const d = mkdtempSync(join(tmpdir(), 'se-failover-'));
    dataDirs.push(d);
    return d;
  }

  it('waits for a database that is away at start, saying so, and starts when it returns', async () => {
    proxy.cut();
    const starting = spawnServer(
      { DATA_DIR: dataDir(), DATABASE_URL: dbUrl, SMTP_URL: sink.url },
      { timeoutMs: 30_000 },
    );
    await new Promise((r) => setTimeout(r, 2500));
    proxy.restore();
    const server = await starting;
    servers.push(server);
    expect(server.output()).toMatch(
      /PostgreSQL at 127\.0\.0\.1:\d+ is not reachable \([^)]+\); trying again in \d+ s/,
    );
    expect((await fetch(`${server.base}/healthz`)).status).toBe(200);
    signal(server, 'SIGTERM');
    await server.exited;
  }, 60_000);

  it('answers 503 with Retry-After while the database is cut, never crashes, recovers within a second and loses nothing', async () => {
    const server = await spawnServer({ DATA_DIR: dataDir(), DATABASE_URL: dbUrl, SMTP_URL: sink.url });
    servers.push(server);
    const token = await devToken(server);

    const answers: Answer[] = [];
    let stop = false;
    const send = async (n: number): Promise<void> => {
      const at = Date.now();
      try {
        const res = await postEnvelope(server, token, {
          to: [`front.desk.${n}@clinic.example`],
          subject: `Claim ${n}`,
          text: `Member ID W${String(100000000 + n)} needs a call back.`,
        });
        const body = (await res.json()) as { id?: string; code?: string };
        answers.push({
          status: res.status,
          code: body.code,
          id: body.id,
          retryAfter: res.headers.get('retry-after'),
          at,
        });
      } catch {
        answers.push({ status: 0, at });
      }
    };
    let n = 0;
    const clients = Array.from({ length: 4 }, async () => {
      while (!stop) await send(n++);
    });

    await new Promise((r) => setTimeout(r, 1500));
    const cutAt = Date.now();
    proxy.cut();
    await new Promise((r) => setTimeout(r, CUT_MS));
    const restoredAt = Date.now();
    proxy.restore();
    await new Promise((r) => setTimeout(r, 2500));
    stop = true;
    await Promise.all(clients);

    // The process lived through it.
    expect(server.child.exitCode).toBeNull();
    expect(server.child.signalCode).toBeNull();

    const during = answers.filter((a) => a.at > cutAt + 200 && a.at < restoredAt);
    expect(during.length).toBeGreaterThan(0);
    const statuses = new Set(answers.map((a) => `${a.status} ${a.code ?? ''}`));
    // Every answer was a success or the store's 503: no 500, no dropped connection.
    for (const s of statuses) expect(['201 ', '503 STORE_UNAVAILABLE']).toContain(s);
    for (const a of answers.filter((x) => x.status === 503)) expect(a.retryAfter).toMatch(/^\d+$/);
    expect(during.some((a) => a.status === 503)).toBe(true);

    // Service returned within a second of the database.
    const firstBack = answers
      .filter((a) => a.status === 201 && a.at >= restoredAt)
      .sort((a, b) => a.at - b.at)[0];
    expect(firstBack, 'no envelope was accepted after the database returned').toBeDefined();
    expect(firstBack!.at - restoredAt).toBeLessThan(1000);

    // Every envelope answered 201 is in the database.
    const acknowledged = answers.filter((a) => a.status === 201).map((a) => a.id!);
    expect(acknowledged.length).toBeGreaterThan(10);
    const direct = new URL(PG_ADMIN_URL);
    direct.pathname = `/${dbName}`;
    const client = new pg.Client({ connectionString: direct.toString() });
    await client.connect();
    try {
      const found = await client.query<{ id: string }>('select id from envelopes where id = any($1)', [
        acknowledged,
      ]);
      expect(found.rows.length).toBe(acknowledged.length);
    } finally {
      await client.end();
    }
    signal(server, 'SIGTERM');
    await server.exited;
  }, 60_000);
});
