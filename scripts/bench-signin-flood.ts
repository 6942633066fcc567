/**
 * A sign-in flood against the recipient portal, and what it does to the
 * server's responsiveness:
 *
 * - 300 sign-ins for addresses that have no account, from 60 client
 *   addresses (5 each, every one under the per-client limits), all at once;
 * - meanwhile GET /healthz every 25 ms from another address, and its latency
 *   (p50, p95, max) compared with the same probe on an idle server;
 * - how the sign-ins were answered (401 checked, 429 throttled, 503 the
 *   hashing queue was full), and whether the 503s carried Retry-After.
 *
 *   npx tsx scripts/bench-signin-flood.ts [--signins 300 --clients 60]
 *
 * The server runs as its own process at its default argon2id cost, with TLS
 * off and the loopback proxy trusted, so each simulated client is named by
 * X-Forwarded-For the way a load balancer would name it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { signins: { type: 'string' }, clients: { type: 'string' } } });
const SIGNINS = Number(values.signins ?? 300);
const CLIENTS = Number(values.clients ?? 60);
const PROBE_EVERY_MS = 25;

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

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function startServer(dir: string): Promise<{ base: string; origin: string; child: ChildProcess }> {
  const port = await freePort();
  const config = join(dir, 'config.json');
  // Production limits for the portal; only the proxy is trusted so clients can be told apart.
  writeFileSync(config, JSON.stringify({ trustProxy: ['127.0.0.1'] }));
  const child = spawn(process.execPath, [join(root, 'bin/secure-envelope.js'), 'serve'], {
    env: {
      ...process.env,
      SECURE_ENVELOPE_CONFIG: config,
      DATA_DIR: join(dir, 'data'),
      DATABASE_URL: '',
      SMTP_URL: '',
      REDIS_URL: '',
      PORT: String(port),
      SECURE_ENVELOPE_TLS: 'off',
      SECURE_ENVELOPE_LOG: 'off',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return { base, origin: `http://localhost:${port}`, child };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}

/** One simulated client: its forwarded address, its pre-session cookie and CSRF token. */
class Client {
  cookie = '';
  csrf = '';
  constructor(
    private readonly base: string,
    private readonly origin: string,
    readonly ip: string,
  ) {}

  async start(): Promise<void> {
    const res = await fetch(`${this.base}/portal/api/session`, { headers: { 'x-forwarded-for': this.ip } });
    this.cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0]!)
      .join('; ');
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  async signIn(address: string): Promise<{ status: number; retryAfter: string | null; code: string }> {
    const res = await fetch(`${this.base}/portal/api/sign-in`, {
      method: 'POST',
      headers: {
        'x-forwarded-for': this.ip,
        cookie: this.cookie,
        origin: this.origin,
        'x-csrf-token': this.csrf,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ address, password: 'a guess that is long enough' }),
    });
    const body = (await res.json()) as { code?: string };
    return { status: res.status, retryAfter: res.headers.get('retry-after'), code: body.code ?? '' };
  }
}

/** Probes /healthz until `until` resolves; the latencies in ms. */
async function probe(base: string, until: Promise<unknown>): Promise<number[]> {
  const state = { done: false };
  void until.finally(() => (state.done = true));
  const seen: number[] = [];
  while (!state.done) {
    const t0 = performance.now();
    const res = await fetch(`${base}/healthz`, { headers: { 'x-forwarded-for': '10.255.255.254' } });
    await res.arrayBuffer();
    seen.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, PROBE_EVERY_MS));
  }
  return seen;
}

function describe(label: string, latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  return `${label}: n=${sorted.length} p50=${percentile(sorted, 50).toFixed(1)} ms p95=${percentile(sorted, 95).toFixed(1)} ms max=${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms`;
}

const dir = mkdtempSync(join(tmpdir(), 'se-bench-flood-'));
const server = await startServer(dir);
try {
  // Warm up: one sign-in pays for loading the password list and the dummy hash.
  const warm = new Client(server.base, server.origin, '10.254.0.1');
  await warm.start();
  await warm.signIn('warm-up@nowhere.example');

  const idle = await probe(server.base, new Promise((r) => setTimeout(r, 1500)));

  const clients = Array.from(
    { length: CLIENTS },
    (_, i) => new Client(server.base, server.origin, `10.${Math.floor(i / 250)}.${i % 250}.7`),
  );
  await Promise.all(clients.map((c) => c.start()));

  const t0 = performance.now();
  const flood = Promise.all(
    Array.from({ length: SIGNINS }, (_, i) =>
      clients[i % CLIENTS]!.signIn(`nobody-${i}@clinic-${i % 17}.example`),
    ),
  );
  const [results, during] = await Promise.all([flood, probe(server.base, flood)]);
  const seconds = (performance.now() - t0) / 1000;

  const byStatus = new Map<string, number>();
  for (const r of results) {
    const key = `${r.status} ${r.code}`;
    byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
  }
  const busy = results.filter((r) => r.status === 503);
  console.log(
    `${availableParallelism()} cores, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(`${SIGNINS} sign-ins for unknown addresses from ${CLIENTS} clients in ${seconds.toFixed(2)} s`);
  console.log(
    `  answers: ${[...byStatus]
      .sort()
      .map(([k, n]) => `${k}×${n}`)
      .join(', ')}`,
  );
  if (busy.length > 0)
    console.log(`  503 with Retry-After: ${busy.filter((r) => r.retryAfter !== null).length}/${busy.length}`);
  console.log(describe('/healthz idle      ', idle));
  console.log(describe('/healthz in flood  ', during));
} finally {
  server.child.kill('SIGTERM');
  await new Promise((r) => server.child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
