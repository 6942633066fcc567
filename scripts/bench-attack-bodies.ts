/**
 * What a stranger's oversized or deeply nested request body costs the server:
 *
 * - stall: one 40 MB deeply nested JSON body (`[[[…]]]`) POSTed to
 *   /portal/api/sign-out without a session or CSRF token, while a prober asks
 *   GET /healthz back to back; the worst /healthz latency is how long the
 *   event loop was blocked. Also: the attack's status, how long it took to be
 *   answered and how much of its body had been sent by then;
 * - memory: six concurrent 44 MB bodies POSTed to /portal/api/sign-in
 *   without a session; the server's resident set before, at its peak
 *   (VmHWM, reset just before the attack) and the growth.
 *
 *   npx tsx scripts/bench-attack-bodies.ts
 *
 * The server runs as its own process (embedded store, TLS off, logging off,
 * per-client rate limits lifted since all requests come from one address).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const MB = 1024 * 1024;

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

async function startServer(dataDir: string): Promise<{ port: number; child: ChildProcess }> {
  const port = await freePort();
  const config = join(dataDir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      limits: { requestsPerMinute: 100_000_000 },
      portal: { throttle: { strangerRequestsPerMinute: 100_000_000 } },
    }),
  );
  // The embedded store and no Redis, whatever this shell points at.
  const unset = new Set(['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'PUBLIC_URL', 'NODE_ENV']);
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !unset.has(name)));
  const child = spawn(process.execPath, [join(root, 'bin/secure-envelope.js'), 'serve'], {
    env: {
      ...env,
      DATA_DIR: dataDir,
      SECURE_ENVELOPE_CONFIG: config,
      PORT: String(port),
      SECURE_ENVELOPE_TLS: 'off',
      SECURE_ENVELOPE_LOG: 'off',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let i = 0; i < 150; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return { port, child };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the server did not start');
}

interface Outcome {
  /** HTTP status, or the socket error when no answer came. */
  status: number | string;
  ms: number;
  /** Body bytes handed to the socket when the answer (or error) came. */
  sentBytes: number;
}

/**
 * POSTs `body` in 1 MB writes, honouring backpressure, and stops writing as
 * soon as the server answers: a server that answers early is not sent the rest.
 */
function post(port: number, path: string, body: Buffer): Promise<Outcome> {
  return new Promise((done) => {
    const started = performance.now();
    let sent = 0;
    let settled = false;
    const finish = (status: number | string): void => {
      if (settled) return;
      settled = true;
      done({ status, ms: performance.now() - started, sentBytes: sent });
      req.destroy();
    };
    const req = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path,
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
    });
    req.on('response', (res) => {
      res.resume();
      finish(res.statusCode ?? 0);
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      // The server answered and closed while this client was still writing: refused, unread.
      finish(e.code === 'EPIPE' || e.code === 'ECONNRESET' ? `closed (${e.code})` : (e.code ?? e.message));
    });
    const write = (): void => {
      while (!settled && sent < body.length) {
        const chunk = body.subarray(sent, sent + MB);
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', write);
          return;
        }
      }
      if (!settled) req.end();
    };
    write();
  });
}

/** GET /healthz back to back until stopped; the worst latency seen is the longest stall. */
function probeHealth(port: number): { stop: () => Promise<{ count: number; worstMs: number }> } {
  const state = { running: true };
  let worst = 0;
  let count = 0;
  const loop = (async () => {
    while (state.running) {
      const t0 = performance.now();
      try {
        await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(120_000) });
      } catch {
        // a dead server shows as the time it took to notice
      }
      worst = Math.max(worst, performance.now() - t0);
      count++;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  return {
    stop: async () => {
      state.running = false;
      await loop;
      return { count, worstMs: worst };
    },
  };
}

function procStatus(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${field}:`));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? Number.NaN) * 1024;
}

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (!alive(child)) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (alive(child)) child.kill('SIGKILL');
}

const fmt = (bytes: number): string => `${(bytes / MB).toFixed(1)} MB`;

async function main(): Promise<void> {
  console.log(
    `node ${process.version}, ${cpus().length} cores, load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'se-bench-attack-'));
  let server = await startServer(dataDir);
  try {
    // ---- stall: 40 MB of nesting to sign-out --------------------------------
    const depth = 20 * MB;
    const nested = Buffer.alloc(2 * depth);
    nested.fill('[', 0, depth);
    nested.fill(']', depth);
    const idle = probeHealth(server.port);
    await new Promise((r) => setTimeout(r, 1000));
    const idleFigures = await idle.stop();
    const probe = probeHealth(server.port);
    const attack = await post(server.port, '/portal/api/sign-out', nested);
    // Whatever the server does with the body after answering shows up here too.
    await new Promise((r) => setTimeout(r, 1500));
    const stall = await probe.stop();
    console.log('\n40 MB nested JSON → POST /portal/api/sign-out (no session, no CSRF token)');
    console.log(
      `  answer: ${attack.status} after ${attack.ms.toFixed(0)} ms, ` +
        `${fmt(attack.sentBytes)} of ${fmt(nested.length)} sent by then`,
    );
    console.log(
      `  GET /healthz meanwhile: worst ${stall.worstMs.toFixed(0)} ms over ${stall.count} probes ` +
        `(idle: worst ${idleFigures.worstMs.toFixed(0)} ms)`,
    );
    if (!alive(server.child)) console.log('  the server died');

    // ---- memory: six concurrent 44 MB bodies to sign-in -------------------
    // A fresh server, so what the first attack left on the heap does not count.
    await stopServer(server.child);
    server = await startServer(dataDir);
    await new Promise((r) => setTimeout(r, 1000));
    const pid = server.child.pid!;
    const before = procStatus(pid, 'VmRSS');
    let peakSampled = before;
    let resetPeak = true;
    try {
      // "5" resets the process's peak resident set (VmHWM) to its current one.
      writeFileSync(`/proc/${pid}/clear_refs`, '5');
    } catch {
      resetPeak = false;
    }
    const sampler = setInterval(() => {
      if (alive(server.child)) peakSampled = Math.max(peakSampled, procStatus(pid, 'VmRSS'));
    }, 10);
    const big = Buffer.from(
      JSON.stringify({ address: 'x@clinic.example', password: 'p'.repeat(44 * MB - 60) }),
    );
    const t0 = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, () => post(server.port, '/portal/api/sign-in', big)),
    );
    const elapsed = performance.now() - t0;
    await new Promise((r) => setTimeout(r, 500));
    clearInterval(sampler);
    const peak = alive(server.child)
      ? Math.max(peakSampled, resetPeak ? procStatus(pid, 'VmHWM') : 0)
      : peakSampled;
    console.log(`\n6 × ${fmt(big.length)} JSON → POST /portal/api/sign-in at once (no session)`);
    console.log(
      `  answers: ${outcomes.map((o) => o.status).join(' ')} within ${elapsed.toFixed(0)} ms; ` +
        `sent per request when answered: ${outcomes.map((o) => fmt(o.sentBytes)).join(', ')}`,
    );
    console.log(
      `  server RSS: ${fmt(before)} before, peak ${fmt(peak)}, growth ${fmt(peak - before)}` +
        (resetPeak ? '' : ' (sampled every 10 ms; VmHWM could not be reset)'),
    );
    if (!alive(server.child)) console.log('  the server died');
  } finally {
    await stopServer(server.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
