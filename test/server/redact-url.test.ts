import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import { loggedUrl } from '../../src/server/redact-url';
import type { TestServer } from './helpers/context';
import { openPortalServer, sendEnvelope } from './portal/helpers';

/** Every byte of `s` as a percent-escape: `ab` → `%61%62`. */
function percentEncoded(s: string): string {
  return Buffer.from(s).toString('hex').replace(/../g, '%$&');
}

describe('loggedUrl: the path comes from the matched route, secrets never', () => {
  it.each([
    ['/r/AbC123-_xyz', '/r/:token', { token: 'AbC123-_xyz' }, '/r/[redacted]'],
    ['/r/AbC123?utm=1', '/r/:token', { token: 'AbC123' }, '/r/[redacted]?utm=1'],
    // The router decoded `%72` to `r`: the pattern is what is written, whatever the spelling.
    ['/%72/AbC123', '/r/:token', { token: 'AbC123' }, '/r/[redacted]'],
    [
      '/portal/reset/tok3n-value',
      '/portal/reset/:token',
      { token: 'tok3n-value' },
      '/portal/reset/[redacted]',
    ],
    [
      '/portal/api/password/reset?token=abc&x=1',
      '/portal/api/password/reset',
      {},
      '/portal/api/password/reset?token=[redacted]&x=1',
    ],
    ['/callback?code=secret', '/callback', {}, '/callback?code=[redacted]'],
    // Query names are judged decoded: `%74oken` is `token`.
    ['/portal/?%74oken=abc&t%6Fken=def', '/portal/', {}, '/portal/?%74oken=[redacted]&t%6Fken=[redacted]'],
    ['/portal/?%zz=abc', '/portal/', {}, '/portal/?%zz=[redacted]'],
    // A wildcard may hold anything, a mangled link included.
    ['/portal/reset/tok3n/', '/portal/*', { '*': 'reset/tok3n/' }, '/portal/[redacted]'],
  ])('%s (route %s) → %s', (url, route, params, logged) => {
    expect(loggedUrl({ url, routeOptions: { url: route }, params })).toBe(logged);
  });

  it('keeps identifiers, which are no secret, and drops anything else such a parameter holds', () => {
    expect(
      loggedUrl({
        url: '/v1/envelopes/abc/resend',
        routeOptions: { url: '/v1/envelopes/:id/resend' },
        params: { id: 'abc' },
      }),
    ).toBe('/v1/envelopes/abc/resend');
    expect(
      loggedUrl({
        url: '/portal/api/threads/t1',
        routeOptions: { url: '/portal/api/threads/:id' },
        params: { id: 't1' },
      }),
    ).toBe('/portal/api/threads/t1');
    expect(
      loggedUrl({
        url: '/portal/api/threads/a%20b',
        routeOptions: { url: '/portal/api/threads/:id' },
        params: { id: 'a b' },
      }),
    ).toBe('/portal/api/threads/[redacted]');
  });

  it('writes only the first segment of a path no route matched', () => {
    expect(loggedUrl({ url: '/r/tok/extra', routeOptions: {} })).toBe('/r/[redacted]');
    expect(loggedUrl({ url: '/%2572/tok' })).toBe('/%2572/[redacted]');
    expect(loggedUrl({ url: '/healthz' })).toBe('/healthz');
    expect(loggedUrl({ url: '/' })).toBe('/');
  });
});

describe('the server’s log never holds a secure-link or reset token, however the path is spelled', () => {
  let t: TestServer;
  let app: FastifyInstance;
  let port: number;
  const lines: string[] = [];

  beforeAll(async () => {
    t = await openPortalServer('sqlite');
    // The same app the server runs, logging into an array instead of standard output.
    app = buildApp(t.ctx, {
      logger: true,
      logStream: {
        write: (line: string) => lines.push(line),
      },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await app.close();
    await t.cleanup();
  });

  /** GET with the path exactly as written: no client-side URL normalisation. */
  const get = (path: string): Promise<{ status: number; cookies: string[]; headers: IncomingHttpHeaders }> =>
    new Promise((done, fail) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, method: 'GET', agent: false }, (res) => {
        res.resume();
        res.on('end', () => {
          done({
            status: res.statusCode ?? 0,
            cookies: res.headers['set-cookie'] ?? [],
            headers: res.headers,
          });
        });
      });
      req.on('error', fail);
      req.end();
    });

  /** Every way of writing `token` that a log line must not hold. */
  const spellings = (token: string): string[] => [
    token,
    encodeURIComponent(token),
    percentEncoded(token),
    token.slice(0, 20),
    token.slice(-20),
  ];

  it('reaches the link handler through percent-encoded paths and logs none of the token', async () => {
    const env = await sendEnvelope(t, { to: ['log@clinic.example'] });
    const token = env.tokens.get('log@clinic.example')!;
    const allEncoded = percentEncoded(token);
    const reachingHandler = [
      `/%72/${token}`,
      `/%72/${token}?x=1`,
      `/r/${allEncoded}`,
      `/%72/${allEncoded}?utm_source=mail`,
      `/r/${token.slice(0, 5)}%${token.charCodeAt(5).toString(16)}${token.slice(6)}`,
    ];
    lines.length = 0;
    for (const path of reachingHandler) {
      const res = await get(path);
      // The handler was reached: the token was recognised and moved into the link cookie.
      expect(res.status, path).toBe(303);
      expect(res.cookies.join(';'), path).toContain(token);
      // And it is answered as the secure-link route is, whatever the spelling: not kept, not referred.
      expect(res.headers['cache-control'], path).toBe('no-store');
      expect(res.headers['referrer-policy'], path).toBe('no-referrer');
    }
    const logged = lines.join('');
    expect(logged).toContain('/r/[redacted]');
    for (const s of spellings(token)) expect(logged, s).not.toContain(s);
  });

  it('logs no token from reset links, mangled links or paths no route matches', async () => {
    const token = 'Zq9v'.repeat(10) + 'Xy1';
    const paths = [
      `/portal/reset/${token}`,
      `/portal/%72eset/${token}`,
      `/portal/reset/${percentEncoded(token)}`,
      `/%70ortal/reset/${token}`,
      `/portal/reset/${token}/`,
      `/r/${token}/`,
      `/r/${token}/x`,
      `/R/${token}`,
      `//r/${token}`,
      `/./r/${token}`,
      `/%2572/${token}`,
      `/portal/api/password/reset?token=${token}`,
      `/portal/api/password/reset?%74oken=${token}`,
      `/portal/?code=${token}`,
    ];
    lines.length = 0;
    for (const path of paths) {
      const res = await get(path);
      expect(res.status, path).toBeLessThan(500);
    }
    const logged = lines.join('');
    expect(lines.filter((l) => l.includes('incoming request'))).toHaveLength(paths.length);
    for (const s of spellings(token)) expect(logged, s).not.toContain(s);
    expect(logged).not.toContain(percentEncoded(token).slice(0, 30));
  });
});
