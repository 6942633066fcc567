/**
 * The recipient portal's costs, on the embedded store:
 *
 * - sign-in: what one core sustains (argon2id at the configured cost decides
 *   it), measured in-process, and the served throughput and p99 under load;
 * - reading a message: a 50 KB message with a 1 MB attachment, opened
 *   (GET the thread) and its attachment downloaded, p50/p99, one reader at a
 *   time and several at once (target: p99 under 50 ms);
 * - the size of dist/portal.js, gzipped, when it has been built.
 *
 *   npm run bench:portal [-- --seconds 10 --views 300]
 *
 * The server runs as its own process with TLS off (so the figures are the
 * server's, not the handshake's) and the per-client rate limits lifted, since
 * all load comes from one address.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { hash, verify } from '@node-rs/argon2';
import autocannon from 'autocannon';
import { loadConfig } from '../src/server/config';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { seconds: { type: 'string' }, views: { type: 'string' } } });
const SECONDS = Number(values.seconds ?? 10);
const VIEWS = Number(values.views ?? 300);
const PASSWORD = 'a bench passphrase that is long enough';

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

async function startServer(dataDir: string): Promise<{ base: string; origin: string; child: ChildProcess }> {
  const port = await freePort();
  const config = join(dataDir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      limits: { requestsPerMinute: 100_000_000 },
      portal: { throttle: { strangerRequestsPerMinute: 100_000_000 } },
    }),
  );
  const child = spawn(process.execPath, [join(root, 'bin/secure-envelope.js'), 'serve'], {
    env: {
      ...process.env,
      SECURE_ENVELOPE_CONFIG: config,
      DATA_DIR: join(dataDir, 'data'),
      DATABASE_URL: '',
      SMTP_URL: '',
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

/** A tiny cookie-keeping client, as the portal page behaves. */
class Client {
  cookies = new Map<string, string>();
  csrf = '';
  constructor(
    private readonly base: string,
    private readonly origin: string,
  ) {}

  async fetch(path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
    const headers: Record<string, string> = {
      cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    };
    if (init.method === 'POST') {
      headers.origin = this.origin;
      headers['x-csrf-token'] = this.csrf;
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${this.base}${path}`, {
      method: init.method ?? 'GET',
      headers,
      redirect: 'manual',
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      if (value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }
}

async function setUp(base: string, origin: string) {
  const { token } = (await (await fetch(`${base}/dev/token?address=rep@plan.example`)).json()) as {
    token: string;
  };
  const html = `<p>${'Member claim details, line of a long message. '.repeat(1100)}</p>`.slice(0, 50 * 1024);
  const file = Buffer.alloc(1024 * 1024, 7);
  const created = await fetch(`${base}/v1/envelopes`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'idempotency-key': 'bench-portal-0001',
      'content-type': 'application/json',
    },
    body: JSON.stringify({
      from: 'rep@plan.example',
      to: ['desk@clinic.example'],
      subject: 'Bench claim',
      html,
      attachments: [
        { name: 'scan.pdf', contentType: 'application/pdf', contentBase64: file.toString('base64') },
      ],
    }),
  });
  if (created.status !== 201) throw new Error(`envelope: ${created.status} ${await created.text()}`);
  let link: string | undefined;
  for (let i = 0; i < 50 && link === undefined; i++) {
    const { messages } = (await (await fetch(`${base}/dev/mail/messages`)).json()) as {
      messages: { text: string | null }[];
    };
    link = messages.map((m) => /\/r\/([\w-]+)/.exec(m.text ?? '')?.[1]).find((x) => x !== undefined);
    if (link === undefined) await new Promise((r) => setTimeout(r, 100));
  }
  if (link === undefined) throw new Error('the notice did not arrive');
  const c = new Client(base, origin);
  await c.fetch(`/r/${link}`);
  c.csrf = ((await (await c.fetch('/portal/api/session')).json()) as { csrfToken: string }).csrfToken;
  const reg = await c.fetch('/portal/api/register', {
    method: 'POST',
    body: { password: PASSWORD, passwordConfirm: PASSWORD },
  });
  if (reg.status !== 200) throw new Error(`register: ${reg.status} ${await reg.text()}`);
  const signed = (await reg.json()) as { csrfToken: string; threadId: string };
  c.csrf = signed.csrfToken;
  const thread = (await (await c.fetch(`/portal/api/threads/${signed.threadId}`)).json()) as {
    messages: { id: string; attachments: { id: string; size: number }[] }[];
  };
  const m = thread.messages[0]!;
  return {
    client: c,
    threadId: signed.threadId,
    messageId: m.id,
    attachmentId: m.attachments[0]!.id,
    size: file.length,
  };
}

async function view(c: Client, s: Awaited<ReturnType<typeof setUp>>): Promise<[number, number]> {
  const t0 = performance.now();
  const t = await c.fetch(`/portal/api/threads/${s.threadId}`);
  await t.arrayBuffer();
  const t1 = performance.now();
  const a = await c.fetch(`/portal/api/messages/${s.messageId}/attachments/${s.attachmentId}`);
  const bytes = (await a.arrayBuffer()).byteLength;
  if (t.status !== 200 || a.status !== 200 || bytes !== s.size)
    throw new Error(`view failed: ${t.status} ${a.status} ${bytes}`);
  return [t1 - t0, performance.now() - t0];
}

async function views(s: Awaited<ReturnType<typeof setUp>>, readers: number) {
  const thread: number[] = [];
  const total: number[] = [];
  const per = Math.ceil(VIEWS / readers);
  await Promise.all(
    Array.from({ length: readers }, async () => {
      for (let i = 0; i < per; i++) {
        const [a, b] = await view(s.client, s);
        thread.push(a);
        total.push(b);
      }
    }),
  );
  thread.sort((x, y) => x - y);
  total.sort((x, y) => x - y);
  return { thread, total };
}

async function argonPerCore(): Promise<number> {
  const a = loadConfig({}, '').portal.argon2;
  const options = { memoryCost: a.memoryKiB, timeCost: a.passes, parallelism: a.lanes };
  const stored = await hash(PASSWORD, options);
  const until = performance.now() + 3000;
  let n = 0;
  // One at a time: one core's worth.
  while (performance.now() < until) {
    await verify(stored, PASSWORD);
    n++;
  }
  return n / 3;
}

const dir = mkdtempSync(join(tmpdir(), 'se-bench-portal-'));
const { base, origin, child } = await startServer(dir);
try {
  const s = await setUp(base, origin);
  for (let i = 0; i < 20; i++) await view(s.client, s); // warm-up
  const one = await views(s, 1);
  const four = await views(s, 4);

  const perCore = await argonPerCore();
  const pre = new Client(base, origin);
  pre.csrf = ((await (await pre.fetch('/portal/api/session')).json()) as { csrfToken: string }).csrfToken;
  const signIns = await autocannon({
    url: `${base}/portal/api/sign-in`,
    method: 'POST',
    duration: SECONDS,
    connections: 4,
    headers: {
      cookie: [...pre.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      origin,
      'x-csrf-token': pre.csrf,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ address: 'desk@clinic.example', password: PASSWORD }),
  });

  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const a = loadConfig({}, '').portal.argon2;
  console.log(
    `Recipient portal, embedded store (SQLite), ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} (figures are only as quiet as the machine)\n`,
  );
  console.log(`sign-in (argon2id m=${a.memoryKiB} KiB, t=${a.passes}, p=${a.lanes})`);
  console.log(
    `  one core, password checks alone   ${perCore.toFixed(1)} sign-ins/s (${ms(1000 / perCore)} each)`,
  );
  console.log(
    `  served, 4 connections, ${SECONDS} s      ${signIns.requests.average.toFixed(1)} sign-ins/s, p50 ${ms(signIns.latency.p50)}, p99 ${ms(signIns.latency.p99)}, non-2xx ${signIns.non2xx}`,
  );
  console.log(`\nreading a 50 KB message with a 1 MB attachment (${VIEWS} views each)`);
  for (const [name, r] of [
    ['1 reader ', one],
    ['4 readers', four],
  ] as const) {
    console.log(
      `  ${name}  thread p50 ${ms(percentile(r.thread, 50))} p99 ${ms(percentile(r.thread, 99))}  |  thread + download p50 ${ms(percentile(r.total, 50))} p99 ${ms(percentile(r.total, 99))}`,
    );
  }
  const p99 = percentile(one.total, 99);
  console.log(`\ntarget: message view p99 < 50 ms (one reader): ${ms(p99)} -> ${p99 < 50 ? 'PASS' : 'MISS'}`);
  const bundle = join(root, 'dist/portal.js');
  if (existsSync(bundle)) {
    const raw = readFileSync(bundle);
    console.log(
      `\ndist/portal.js: ${(raw.length / 1024).toFixed(0)} KB, ${(gzipSync(raw, { level: 9 }).length / 1024).toFixed(0)} KB gzipped`,
    );
  } else {
    console.log('\ndist/portal.js: not built (npm run build)');
  }
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dir, { recursive: true, force: true });
}
