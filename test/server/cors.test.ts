import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestServer, type TestServer } from './helpers/context';

/** The add-in's origin is the public URL the test server is configured with. */
const ADDIN_ORIGIN = 'https://secure.plan.example';

describe('cross-origin access for the add-in', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await openTestServer('sqlite');
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const preflight = (url: string, origin: string) =>
    t.app.inject({
      method: 'OPTIONS',
      url,
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, idempotency-key',
      },
    });

  it('answers the add-in’s preflight for the routes it calls', async () => {
    for (const url of ['/v1/envelopes', '/v1/tls/check', '/v1/policy']) {
      const res = await preflight(url, ADDIN_ORIGIN);
      expect(res.statusCode, url).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(ADDIN_ORIGIN);
      expect(res.headers['access-control-allow-headers']).toContain('idempotency-key');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    }
    const get = await t.app.inject({ method: 'GET', url: '/v1/policy', headers: { origin: ADDIN_ORIGIN } });
    expect(get.statusCode).toBe(200);
    expect(get.headers['access-control-allow-origin']).toBe(ADDIN_ORIGIN);
  });

  it('gives any other origin, and the portal’s routes, nothing', async () => {
    const other = await preflight('/v1/envelopes', 'https://evil.example');
    expect(other.statusCode).toBe(404);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const get = await t.app.inject({
      method: 'GET',
      url: '/v1/policy',
      headers: { origin: 'https://evil.example' },
    });
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    const portal = await preflight('/portal/api/session', ADDIN_ORIGIN);
    expect(portal.headers['access-control-allow-origin']).toBeUndefined();
  });
});
