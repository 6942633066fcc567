/**
 * A stranger's request body must cost the server almost nothing: every route
 * a stranger reaches accepts a few kilobytes at most, the checks that decide
 * whether a body is wanted (origin, CSRF token, session, sender) run before
 * a byte of it is read, and JSON nested deeper than any request is refused
 * before it is parsed. The server listens on a real socket, so "before it is
 * read" is observed as it happens: the answer arrives while the client has
 * sent only the first kilobyte of a body that declares tens of megabytes.
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../../src/server/body-limits';
import type { TestServer } from './helpers/context';
import { STORE_KINDS } from './helpers/stores';
import { Browser, ORIGIN, openPortalServer, registered, sendEnvelope } from './portal/helpers';

const MB = 1024 * 1024;

interface Answer {
  status: number;
  code: string | undefined;
  message: string | undefined;
  headers: IncomingHttpHeaders;
  /** Body bytes the client had handed to the socket when the answer's headers arrived. */
  sentBytes: number;
  ms: number;
}

describe.each(STORE_KINDS)('request bodies from strangers on %s', (kind) => {
  let t: TestServer;
  let port: number;

  beforeAll(async () => {
    t = await openPortalServer(kind);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  /**
   * POSTs to `path`: the headers, then `chunks` one by one, each only while
   * no answer has come, then waits up to `waitMs` for one. Undefined when the
   * server has not answered by then (it is still reading).
   */
  function post(options: {
    path: string;
    headers?: Record<string, string>;
    /** The Content-Length to declare; without it the body is sent chunked. */
    declared?: number;
    chunks: Buffer[];
    waitMs?: number;
  }): Promise<Answer | undefined> {
    return new Promise((done) => {
      const started = performance.now();
      let sent = 0;
      let answer: Answer | undefined;
      // An object, not a variable: the callbacks below change it.
      const state = { finished: false };
      const finish = (a: Answer | undefined): void => {
        if (state.finished) return;
        state.finished = true;
        clearTimeout(timer);
        req.destroy();
        done(a);
      };
      let timer: NodeJS.Timeout | undefined;
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: options.path,
        agent: false,
        headers: {
          // As a browser asks; a `connection: close` answer is then the server's own decision.
          connection: 'keep-alive',
          'content-type': 'application/json',
          ...(options.declared !== undefined ? { 'content-length': String(options.declared) } : {}),
          ...options.headers,
        },
      });
      req.on('response', (res) => {
        const at = { sentBytes: sent, ms: performance.now() - started };
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () => {
          let body: { code?: string; message?: string } = {};
          try {
            body = JSON.parse(Buffer.concat(parts).toString('utf8')) as typeof body;
          } catch {
            // not JSON: code and message stay undefined
          }
          answer = {
            status: res.statusCode ?? 0,
            code: body.code,
            message: body.message,
            headers: res.headers,
            ...at,
          };
          finish(answer);
        });
      });
      // Writing into a connection the server closed after answering fails; the answer is what counts.
      req.on('error', () => undefined);
      void (async () => {
        for (const chunk of options.chunks) {
          if (state.finished) return;
          sent += chunk.length;
          await new Promise<void>((written) => {
            req.write(chunk, () => {
              written();
            });
          });
          // A moment for the server to read and answer before more is sent.
          await new Promise((r) => setTimeout(r, 5));
        }
        if (!state.finished) {
          timer = setTimeout(() => {
            finish(answer);
          }, options.waitMs ?? 3000);
        }
      })();
    });
  }

  const head = Buffer.alloc(1024, '[');

  /** The headers a page of the portal sends: cookies, its origin, its CSRF token. */
  const asPage = (b: Browser): Record<string, string> => ({
    cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
    origin: ORIGIN,
    'x-csrf-token': b.csrf,
  });

  /** GET /healthz over the socket while something else runs; its latency. */
  async function timedHealth(): Promise<number> {
    const t0 = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    await res.arrayBuffer();
    expect(res.status).toBe(200);
    return performance.now() - t0;
  }

  it('answers a stranger’s 40 MB body to sign-out, sign-in and the other posts after its first kilobyte', async () => {
    for (const [path, status, code, declared] of [
      ['/portal/api/sign-out', 403, 'CSRF_REJECTED', 40 * MB],
      ['/portal/api/sign-in', 403, 'CSRF_REJECTED', 40 * MB],
      ['/portal/api/register', 403, 'CSRF_REJECTED', 40 * MB],
      ['/portal/api/password/forgot', 403, 'CSRF_REJECTED', 40 * MB],
      ['/portal/api/password/reset', 403, 'CSRF_REJECTED', 40 * MB],
      ['/portal/api/messages', 403, 'CSRF_REJECTED', 40 * MB],
      ['/portal/api/threads/abc/reply', 403, 'CSRF_REJECTED', 40 * MB],
      ['/portal/api/no-such-route', 404, 'NOT_FOUND', 40 * MB],
      // Over even the envelope route's limit.
      ['/v1/envelopes', 401, 'UNAUTHENTICATED', 60 * MB],
    ] as const) {
      const answer = await post({ path, declared, chunks: [head] });
      expect(answer, `${path} was not answered while its body was unsent`).toBeDefined();
      expect(answer!.status, path).toBe(status);
      expect(answer!.code, path).toBe(code);
      expect(answer!.sentBytes, path).toBe(head.length);
      // The server does not stay to read what it refused.
      expect(answer!.headers.connection, path).toBe('close');
    }
  });

  it('keeps the connection of a refused upload within the route’s limit, so the page reads its answer', async () => {
    const env = await sendEnvelope(t, { to: ['late@clinic.example'] });
    const b = await registered(t, env, 'late@clinic.example');
    // The session ends (signed out elsewhere) while the page is still open with its reply.
    const headers = asPage(b);
    await b.post('/portal/api/sign-out');
    const body = Buffer.from(
      JSON.stringify({
        to: 'rep@plan.example',
        subject: 'Referral',
        text: 'See the attached scan.',
        attachments: [
          {
            name: 'scan.pdf',
            contentType: 'application/pdf',
            contentBase64: Buffer.alloc(MB).toString('base64'),
          },
        ],
      }),
    );
    const chunks = Array.from({ length: Math.ceil(body.length / (64 * 1024)) }, (_, i) =>
      body.subarray(i * 64 * 1024, (i + 1) * 64 * 1024),
    );
    const answer = await post({
      path: '/portal/api/messages',
      headers,
      declared: body.length,
      chunks,
    });
    expect(answer?.status).toBe(401);
    expect(answer?.code).toBe('SESSION_REQUIRED');
    expect(answer?.headers.connection).not.toBe('close');
  });

  it('checks the CSRF token before the body also when it comes with the page’s cookies and origin', async () => {
    const b = new Browser(t);
    await b.session();
    // A stale token with the page's own cookies and origin: refused before the body.
    const answer = await post({
      path: '/portal/api/sign-in',
      headers: { ...asPage(b), 'x-csrf-token': 'stale' },
      declared: 40 * MB,
      chunks: [head],
    });
    expect(answer?.status).toBe(403);
    expect(answer?.code).toBe('CSRF_REJECTED');
    expect(answer?.sentBytes).toBe(head.length);
  });

  it('refuses a body over a form’s few kilobytes with 413 as soon as its length is declared', async () => {
    const b = new Browser(t);
    await b.session();
    for (const path of ['/portal/api/sign-in', '/portal/api/sign-out', '/portal/api/password/forgot']) {
      const answer = await post({ path, headers: asPage(b), declared: 44 * MB, chunks: [head] });
      expect(answer, path).toBeDefined();
      expect(answer!.status, path).toBe(413);
      expect(answer!.code, path).toBe('REQUEST_TOO_LARGE');
      expect(answer!.message, path).toContain('8 KB');
      expect(answer!.sentBytes, path).toBe(head.length);
    }
  });

  it('cuts a chunked body off at the form limit instead of reading on', async () => {
    const b = new Browser(t);
    await b.session();
    // No declared length: the server can only count. 4 MB offered, 16 KB at a time.
    const chunks = Array.from({ length: 256 }, () => Buffer.alloc(16 * 1024, ' '));
    const answer = await post({ path: '/portal/api/sign-in', headers: asPage(b), chunks });
    expect(answer, 'the server read on past its limit').toBeDefined();
    expect(answer!.status).toBe(413);
    expect(answer!.code).toBe('REQUEST_TOO_LARGE');
    expect(answer!.sentBytes).toBeLessThanOrEqual(256 * 1024);
  });

  it('answers six concurrent 44 MB bodies each after its first kilobyte, and /healthz meanwhile', async () => {
    const b = new Browser(t);
    await b.session();
    const attacks = Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        post({
          path: i % 2 === 0 ? '/portal/api/sign-in' : '/portal/api/sign-out',
          // Half with a valid token (refused by size), half without (refused by the CSRF check).
          headers: i < 3 ? asPage(b) : {},
          declared: 44 * MB,
          chunks: [head],
        }),
      ),
    );
    const health = await timedHealth();
    const answers = await attacks;
    for (const a of answers) {
      expect(a).toBeDefined();
      expect([403, 413]).toContain(a!.status);
      expect(a!.sentBytes).toBe(head.length);
    }
    expect(health).toBeLessThan(1000);
  });

  it('refuses deep nesting with JSON_TOO_DEEP before parsing it, even where large bodies are allowed', async () => {
    const env = await sendEnvelope(t, { to: ['deep@clinic.example'] });
    const b = await registered(t, env, 'deep@clinic.example');
    // A signed-in recipient may send a message of several megabytes; 12 MB of nesting is one.
    const depth = 6 * MB;
    const nested = Buffer.alloc(2 * depth);
    nested.fill('[', 0, depth);
    nested.fill(']', depth);
    const chunks = Array.from({ length: nested.length / MB }, (_, i) =>
      nested.subarray(i * MB, (i + 1) * MB),
    );

    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const attack = post({
      path: '/portal/api/messages',
      headers: asPage(b),
      declared: nested.length,
      chunks,
    });
    // /healthz asked while the body is received and after: none waits on a parse.
    const latencies: number[] = [];
    const progress = { answered: false };
    void attack.then(() => {
      progress.answered = true;
    });
    while (!progress.answered) {
      latencies.push(await timedHealth());
      await new Promise((r) => setTimeout(r, 20));
    }
    latencies.push(await timedHealth());
    const answer = await attack;
    delay.disable();

    expect(answer?.status).toBe(400);
    expect(answer?.code).toBe('JSON_TOO_DEEP');
    expect(answer?.message).toContain(String(MAX_JSON_DEPTH));
    expect(Math.max(...latencies)).toBeLessThan(1000);
    expect(delay.max / 1e6).toBeLessThan(1000);
  });

  it('refuses nesting on the small routes too, and counts no bracket inside a string', async () => {
    const b = new Browser(t);
    await b.session();
    const deepArray = '['.repeat(MAX_JSON_DEPTH + 1) + ']'.repeat(MAX_JSON_DEPTH + 1);
    const deepObject = '{"a":'.repeat(MAX_JSON_DEPTH + 1) + '1' + '}'.repeat(MAX_JSON_DEPTH + 1);
    for (const body of [deepArray, deepObject, `{"address":"x@clinic.example","password":${deepArray}}`]) {
      const raw = await post({
        path: '/portal/api/sign-in',
        headers: asPage(b),
        declared: body.length,
        chunks: [Buffer.from(body)],
      });
      expect(raw?.status, body.slice(0, 40)).toBe(400);
      expect(raw?.code, body.slice(0, 40)).toBe('JSON_TOO_DEEP');
    }
    // Brackets inside a string (escaped quotes included) are text, not nesting.
    const password = `${'['.repeat(50)}\\"${'{'.repeat(50)}`;
    const text = `{"address":"nobody@clinic.example","password":"${password}"}`;
    const answer = await post({
      path: '/portal/api/sign-in',
      headers: asPage(b),
      declared: text.length,
      chunks: [Buffer.from(text)],
    });
    expect(answer?.code).toBe('SIGN_IN_FAILED');
  });

  it('lets a signed-in recipient’s message use its larger limit, and names that limit when it is exceeded', async () => {
    const env = await sendEnvelope(t, { to: ['big@clinic.example'] });
    const b = await registered(t, env, 'big@clinic.example');
    const answer = await post({
      path: '/portal/api/messages',
      headers: asPage(b),
      declared: 40 * MB,
      chunks: [head],
    });
    expect(answer?.status).toBe(413);
    expect(answer?.code).toBe('ATTACHMENT_TOO_LARGE');
    expect(answer?.message).toMatch(/at most \d+ MB/);
    expect(answer?.sentBytes).toBe(head.length);
    // Signed out, the same request is refused before its size is even considered.
    const stranger = new Browser(t);
    await stranger.session();
    const refused = await post({
      path: '/portal/api/messages',
      headers: asPage(stranger),
      declared: 40 * MB,
      chunks: [head],
    });
    expect(refused?.status).toBe(401);
    expect(refused?.code).toBe('SESSION_REQUIRED');
    expect(refused?.sentBytes).toBe(head.length);
  });
});
