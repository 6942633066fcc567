/**
 * Development mode hands out sender tokens to anyone who asks, so it must
 * never be reachable from anything but a developer's own browser: the
 * server refuses to start in development mode with settings that say it is
 * meant to be reached from elsewhere (a public PUBLIC_URL, a real SMTP
 * relay), and answers its /dev routes only to requests that come from this
 * machine by a loopback name, never through a reverse proxy.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDevelopmentStaysLocal, loadConfig } from '../../src/server/config';
import {
  freePort,
  signal,
  spawnServer,
  startSmtpSink,
  type ServerProcess,
  type SmtpSink,
} from './helpers/process';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'se-dev-mode-'));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** 'started' if `secure-envelope serve` came up with `env` (it is stopped again), else what it printed. */
async function tryToStart(env: Record<string, string>): Promise<string> {
  try {
    const server = await spawnServer(env);
    signal(server, 'SIGKILL');
    await server.exited;
    return 'started';
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

interface Answer {
  status: number;
  body: string;
}

/** A GET over a plain socket, with exactly the Host and other headers given. */
function get(port: number, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers, setHost: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A reverse proxy on loopback in front of the server, as an admin would put
 * one: `keep-host` passes the public Host through (nginx with
 * `proxy_set_header Host $host`), `forwarded` rewrites Host to the upstream
 * address and says where the request came from (X-Forwarded-For).
 */
async function startProxy(
  upstream: number,
  mode: 'keep-host' | 'forwarded',
): Promise<{ port: number; server: Server }> {
  const server = createServer((req, res) => {
    const headers: IncomingHttpHeaders = { ...req.headers };
    if (mode === 'forwarded') {
      headers.host = `127.0.0.1:${upstream}`;
      headers['x-forwarded-for'] = '198.51.100.7';
    }
    const up = request(
      { host: '127.0.0.1', port: upstream, path: req.url, method: req.method, headers, setHost: false },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    up.on('error', () => {
      res.writeHead(502).end();
    });
    req.pipe(up);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { port, server };
}

describe('development mode refuses to start where it would be reached from elsewhere', () => {
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await startSmtpSink();
  });

  afterAll(async () => {
    await sink.close();
  });

  it('refuses a public PUBLIC_URL with a real relay and no NODE_ENV, before it opens anything', async () => {
    const dir = dataDir();
    const outcome = await tryToStart({
      DATA_DIR: dir,
      PUBLIC_URL: 'https://secure.plan.example',
      SMTP_URL: 'smtp://relay.plan.example:587',
    });
    expect(outcome).toContain('it exited');
    expect(outcome).toContain('invalid configuration for development: publicUrl');
    expect(outcome).toContain('https://secure.plan.example');
    expect(outcome).toMatch(/set NODE_ENV=production .* or PUBLIC_URL=http:\/\/localhost:\d+/);
    // Refused before the store, the keys or the development issuer's key were created.
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a public PUBLIC_URL even with the mail catcher', async () => {
    const outcome = await tryToStart({ DATA_DIR: dataDir(), PUBLIC_URL: 'https://secure.plan.example' });
    expect(outcome).toContain('invalid configuration for development: publicUrl');
  });

  it('refuses a real SMTP relay, naming SMTP_URL', async () => {
    const outcome = await tryToStart({ DATA_DIR: dataDir(), SMTP_URL: 'smtp://relay.plan.example:587' });
    expect(outcome).toContain('it exited');
    expect(outcome).toContain('invalid configuration for development: smtpUrl');
    expect(outcome).toContain('relay.plan.example');
    expect(outcome).toMatch(/set NODE_ENV=production .* or unset SMTP_URL/);
  });

  it('starts on loopback names with the mail catcher or an SMTP server on this machine', async () => {
    expect(await tryToStart({ DATA_DIR: dataDir() })).toBe('started');
    expect(await tryToStart({ DATA_DIR: dataDir(), SMTP_URL: sink.url })).toBe('started');
    const port = await freePort();
    expect(await tryToStart({ DATA_DIR: dataDir(), PUBLIC_URL: `http://127.0.0.1:${port}` })).toBe('started');
  });

  it('says which setting to change, and leaves production alone', () => {
    const check = (env: Record<string, string>) => () => {
      checkDevelopmentStaysLocal(loadConfig(env, ''));
    };
    expect(check({ PUBLIC_URL: 'http://[::1]:3000', SMTP_URL: 'smtp://localhost:2525' })).not.toThrow();
    expect(check({ PUBLIC_URL: 'https://127.0.0.1.nip.io:3000' })).toThrow(/publicUrl/);
    expect(check({ PUBLIC_URL: 'https://localhost.plan.example' })).toThrow(/publicUrl/);
    expect(check({ SMTP_URL: 'smtps://user:secret@smtp.office365.com:465' })).toThrow(
      /smtpUrl: .*the relay smtp\.office365\.com/,
    );
    // The relay's credentials never reach the message.
    expect(check({ SMTP_URL: 'smtps://user:secret@smtp.office365.com:465' })).not.toThrow(/secret/);
  });
});

describe('/dev routes answer only a browser on this machine', () => {
  let server: ServerProcess;
  const proxies: Server[] = [];

  beforeAll(async () => {
    // The README's quick start: no settings at all.
    server = await spawnServer({ DATA_DIR: dataDir() });
  });

  afterAll(async () => {
    for (const p of proxies) p.close();
    signal(server, 'SIGTERM');
    await server.exited;
  });

  const DEV_PATHS = [
    '/dev/token?address=anyone@plan.example',
    '/dev/mail',
    '/dev/mail/messages',
    '/dev/outlook',
    '/dev/outlook/harness.css',
    '/dev/openapi.json',
  ];

  it('serves them to loopback names, as in the quick start', async () => {
    for (const host of ['localhost', '127.0.0.1', '[::1]', 'LOCALHOST']) {
      const token = await get(server.port, '/dev/token?address=rep@plan.example', {
        host: `${host}:${server.port}`,
      });
      expect(token.status, host).toBe(200);
      expect(JSON.parse(token.body)).toMatchObject({ tokenType: 'Bearer', address: 'rep@plan.example' });
    }
    for (const path of DEV_PATHS) {
      expect((await get(server.port, path, { host: `localhost:${server.port}` })).status, path).toBe(200);
    }
  });

  it.each(['keep-host', 'forwarded'] as const)(
    'answers 404 to every /dev route reached through a reverse proxy (%s)',
    async (mode) => {
      const proxy = await startProxy(server.port, mode);
      proxies.push(proxy.server);
      const outside = { host: 'secure.plan.example' };
      // The proxy works: the API answers through it.
      expect((await get(proxy.port, '/healthz', outside)).status).toBe(200);
      for (const path of DEV_PATHS) {
        const answer = await get(proxy.port, path, outside);
        expect(answer.status, path).toBe(404);
        // The same answer as a route that does not exist: nothing tells the world this is a development server.
        expect(JSON.parse(answer.body), path).toEqual({ code: 'NOT_FOUND', message: 'no such route' });
      }
    },
  );

  it('answers 404 to a public Host or forwarding headers even on a direct connection', async () => {
    const port = server.port;
    const attempts: Record<string, string>[] = [
      { host: 'secure.plan.example' },
      { host: `secure.plan.example:${port}` },
      { host: `127.0.0.2:${port}` },
      { host: `localhost.plan.example:${port}` },
      { host: `localhost:${port}`, 'x-forwarded-for': '198.51.100.7' },
      { host: `localhost:${port}`, 'x-forwarded-host': 'secure.plan.example' },
      { host: `localhost:${port}`, forwarded: 'for=198.51.100.7' },
      { host: `localhost:${port}`, 'x-real-ip': '198.51.100.7' },
    ];
    for (const headers of attempts) {
      const answer = await get(port, '/dev/token?address=anyone@plan.example', headers);
      expect(answer.status, JSON.stringify(headers)).toBe(404);
      expect(answer.body).not.toContain('token"');
    }
  });
});
