/**
 * Every state-changing route a stranger can reach refuses a request that
 * carries no credential: no session, no CSRF token, no Origin, no bearer
 * token. The routes are taken from the app itself as it registers them, so a
 * route added later without its guard fails here, not in production.
 */
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app';
import type { TestServer } from './helpers/context';
import { openPortalServer } from './portal/helpers';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Route {
  method: string;
  url: string;
}

/** The app's state-changing routes, recorded as its plugins register them. */
async function stateChangingRoutes(app: FastifyInstance): Promise<Route[]> {
  const routes: Route[] = [];
  app.addHook('onRoute', (r: RouteOptions) => {
    for (const method of [r.method].flat()) {
      if (STATE_CHANGING.has(method)) routes.push({ method, url: r.url });
    }
  });
  await app.ready();
  return routes;
}

/** What a stranger's request gets back: a refusal before any work, or something else. */
async function strangerAnswer(
  app: FastifyInstance,
  route: Route,
): Promise<{ status: number; code?: string }> {
  const res = await app.inject({
    method: route.method as 'POST',
    // Path parameters filled with something well-formed.
    url: route.url.replace(/:\w+/g, 'a1b2c3d4e5f6a7b8').replace(/\*$/, 'x'),
    headers: { host: 'secure.plan.example', 'content-type': 'application/json' },
    payload: '{}',
  });
  let code: string | undefined;
  try {
    code = res.json<{ code?: string }>().code;
  } catch {
    code = undefined;
  }
  return { status: res.statusCode, code };
}

/**
 * A refusal for want of a credential: 401 or 403. Development-only routes
 * answer strangers with the 404 of an unknown route, and a catch-all route is
 * that 404.
 */
function refused(route: Route, a: { status: number; code?: string }): boolean {
  const hidden = route.url.startsWith('/dev/') || route.url.endsWith('*');
  return a.status === 401 || a.status === 403 || (a.status === 404 && hidden);
}

describe('state-changing routes a stranger can reach', () => {
  let t: TestServer;
  let routes: Route[];
  let app: FastifyInstance;

  beforeAll(async () => {
    t = await openPortalServer('sqlite');
    app = buildApp(t.ctx);
    routes = await stateChangingRoutes(app);
  });
  afterAll(async () => {
    await app.close();
    await t.cleanup();
  });

  it('are found: the sign-in, reply, envelope and TLS-check routes among them', () => {
    const urls = routes.map((r) => r.url);
    for (const u of [
      '/portal/api/sign-in',
      '/portal/api/threads/:id/reply',
      '/v1/envelopes',
      '/v1/tls/check',
    ]) {
      expect(urls).toContain(u);
    }
    expect(routes.length).toBeGreaterThanOrEqual(12);
  });

  it('each refuses a request with no session, CSRF token, Origin or bearer token', async () => {
    const open: string[] = [];
    for (const route of routes) {
      const answer = await strangerAnswer(app, route);
      if (!refused(route, answer))
        open.push(`${route.method} ${route.url} → ${answer.status} ${answer.code ?? ''}`);
    }
    expect(open).toEqual([]);
  });

  it('would catch a route registered without its guard', async () => {
    const probe = buildApp(t.ctx);
    void probe.register((scope, _opts, done) => {
      scope.post('/portal/api/unguarded-probe', () => Promise.resolve({ ok: true }));
      done();
    });
    const found = await stateChangingRoutes(probe);
    const unguarded = found.find((r) => r.url === '/portal/api/unguarded-probe')!;
    expect(refused(unguarded, await strangerAnswer(probe, unguarded))).toBe(false);
    await probe.close();
  });
});
