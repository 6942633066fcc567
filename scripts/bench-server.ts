/**
 * Drives POST /v1/envelopes (10 KB body, 2 recipients) with autocannon for a
 * fixed time and prints throughput and p50/p99 latency, next to a trivial
 * endpoint of the same server (GET /v1/policy: the framework's ceiling on this
 * machine), for the embedded store, for PostgreSQL, and for two instances
 * sharing one PostgreSQL database (keys in the database under one KEK), each
 * taking half of the connections.
 *
 *   npm run bench:server [-- --seconds 10 --connections 10]
 *
 * The servers run as their own processes, as in production, with notices going
 * to a local SMTP sink, so the outbox worker delivers while the load runs; the
 * notices each configuration delivered during its envelope run are printed
 * beside it, since a store whose worker falls behind under load has spent less
 * of the machine on delivery.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { seconds: { type: 'string' }, connections: { type: 'string' } } });
const SECONDS = Number(values.seconds ?? 10);
const CONNECTIONS = Number(values.connections ?? 10);
const PG_ADMIN = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Notices the SMTP sink received during this run. */
  delivered?: number;
}

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => {
        done(port);
      });
    });
  });
}

async function startSink(): Promise<{ url: string; count: () => number; close: () => Promise<void> }> {
  let received = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => undefined);
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  const port = await freePort();
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  return {
    url: `smtp://127.0.0.1:${port}`,
    count: () => received,
    close: () =>
      new Promise((done) => {
        server.close(() => {
          done();
        });
      }),
  };
}

async function startServer(env: Record<string, string>): Promise<{ base: string; child: ChildProcess }> {
  const port = await freePort();
  // One load generator on one address: lift the per-client rate limit for the run.
  const config = join(mkdtempSync(join(tmpdir(), 'se-bench-config-')), 'config.json');
  writeFileSync(config, JSON.stringify({ limits: { requestsPerMinute: 100_000_000 } }));
  const child = spawn(process.execPath, [join(root, 'bin/secure-envelope.js'), 'serve'], {
    env: {
      ...process.env,
      SECURE_ENVELOPE_CONFIG: config,
      ...env,
      PORT: String(port),
      SECURE_ENVELOPE_TLS: 'off',
      SECURE_ENVELOPE_LOG: 'off',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { base, child };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}

/** Runs the same load split over several servers at once; throughput adds up, latency is the worst. */
async function runSplit(
  bases: readonly string[],
  options: (base: string) => autocannon.Options,
): Promise<Figures> {
  const share = Math.max(1, Math.round(CONNECTIONS / bases.length));
  const all = await Promise.all(
    bases.map((base) => autocannon({ ...options(base), connections: share, duration: SECONDS })),
  );
  return {
    rps: all.reduce((sum, r) => sum + r.requests.average, 0),
    p50: Math.max(...all.map((r) => r.latency.p50)),
    p99: Math.max(...all.map((r) => r.latency.p99)),
    errors: all.reduce((sum, r) => sum + r.non2xx + r.errors + r.timeouts, 0),
  };
}

async function measure(
  name: string,
  envs: readonly Record<string, string>[],
  delivered: () => number,
): Promise<[string, Figures, Figures]> {
  const servers: { base: string; child: ChildProcess }[] = [];
  try {
    for (const env of envs) servers.push(await startServer(env));
    const bases = servers.map((s) => s.base);
    const tokens = new Map<string, string>();
    for (const base of bases) {
      const { token } = (await (await fetch(`${base}/dev/token?address=rep@plan.example`)).json()) as {
        token: string;
      };
      tokens.set(base, token);
    }
    const text = 'Member SSN 536-22-1874, DOB 04/12/1961. '.repeat(256).slice(0, 10 * 1024);
    let n = 0;
    const before = delivered();
    const envelopes = await runSplit(bases, (base) => ({
      url: `${base}/v1/envelopes`,
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.get(base)!}`, 'content-type': 'application/json' },
      requests: [
        {
          setupRequest: (req) => ({
            ...req,
            headers: { ...req.headers, 'idempotency-key': `bench-${process.pid}-${++n}` },
            body: JSON.stringify({
              from: 'rep@plan.example',
              to: ['front.desk@clinic.example'],
              cc: ['billing@clinic.example'],
              subject: `Claim ${n}`,
              text,
            }),
          }),
        },
      ],
    }));
    envelopes.delivered = delivered() - before;
    const trivial = await runSplit(bases, (base) => ({ url: `${base}/v1/policy` }));
    return [name, envelopes, trivial];
  } finally {
    for (const { child } of servers) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  }
}

const sink = await startSink();
const rows: [string, Figures, Figures][] = [];
const sqliteDir = mkdtempSync(join(tmpdir(), 'se-bench-'));
rows.push(await measure('embedded (SQLite)', [{ DATA_DIR: sqliteDir, SMTP_URL: sink.url }], sink.count));
rmSync(sqliteDir, { recursive: true, force: true });

const admin = new pg.Client({ connectionString: PG_ADMIN });
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'se-bench-'));
  dirs.push(dir);
  return dir;
}
const databases: string[] = [];
/** A fresh database for one configuration, and folders for its instances. */
async function pgEnvs(instances: number): Promise<Record<string, string>[]> {
  const dbName = `se_bench_${process.pid}_${databases.length}`;
  await admin.query(`CREATE DATABASE ${dbName}`);
  databases.push(dbName);
  const url = new URL(PG_ADMIN);
  url.pathname = `/${dbName}`;
  // Several instances share keys through the database, under one key-encryption key.
  const kek: Record<string, string> =
    instances > 1 ? { SECURE_ENVELOPE_KEK: randomBytes(32).toString('base64') } : {};
  return Array.from({ length: instances }, () => ({
    DATA_DIR: tempDir(),
    SMTP_URL: sink.url,
    DATABASE_URL: url.toString(),
    ...kek,
  }));
}
try {
  await admin.connect();
  rows.push(await measure('PostgreSQL', await pgEnvs(1), sink.count));
  rows.push(await measure('PostgreSQL, 2 inst.', await pgEnvs(2), sink.count));
} catch (e) {
  console.log(
    `PostgreSQL run skipped: ${e instanceof Error ? e.message : String(e)} (is it up at ${PG_ADMIN}?)`,
  );
} finally {
  for (const name of databases) {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  }
  await admin.end().catch(() => undefined);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
await sink.close();

console.log(
  `\nServer benchmark: Node ${process.version}, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}`,
);
console.log(
  `${SECONDS} s per figure, ${CONNECTIONS} connections; envelopes carry a 10 KB body and 2 recipients.\n`,
);
const pad = (s: string, w: number): string => s.padStart(w);
console.log(
  `${'store'.padEnd(20)} ${'endpoint'.padEnd(22)} ${pad('req/s', 9)} ${pad('p50 ms', 8)} ${pad('p99 ms', 8)} ${pad('errors', 7)} ${pad('notices', 8)}`,
);
for (const [name, env, trivial] of rows) {
  for (const [label, f] of [
    ['POST /v1/envelopes', env],
    ['GET /v1/policy', trivial],
  ] as const) {
    console.log(
      `${name.padEnd(20)} ${label.padEnd(22)} ${pad(f.rps.toFixed(0), 9)} ${pad(f.p50.toFixed(1), 8)} ${pad(f.p99.toFixed(1), 8)} ${pad(String(f.errors), 7)} ${pad(f.delivered === undefined ? '' : String(f.delivered), 8)}`,
    );
  }
}
const embedded = rows[0]![1];
const ok = embedded.rps >= 300 && embedded.p99 < 100;
console.log(
  `\ntarget: embedded store >= 300 envelopes/s with p99 < 100 ms: ${embedded.rps.toFixed(0)}/s, p99 ${embedded.p99.toFixed(1)} ms -> ${ok ? 'PASS' : 'MISS'}`,
);
for (const [name, f] of rows.slice(1)) {
  const share = f.rps / embedded.rps;
  console.log(
    `target: ${name} >= 70% of the embedded store's envelopes/s: ${(share * 100).toFixed(0)}% ` +
      `(${f.rps.toFixed(0)}/s beside ${embedded.rps.toFixed(0)}/s) -> ${share >= 0.7 ? 'PASS' : 'MISS'}`,
  );
}
console.log(`notices delivered to the SMTP sink during the run: ${sink.count()}`);
