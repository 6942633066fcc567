/**
 * What the server serves for the add-in and the harness, through inject():
 * pages without inline script under a CSP, bundles with this server's
 * configuration in front, the allow list for the JavaScript-only runtime,
 * and a clear 503 when the bundles were never built.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendBundle } from '../../src/server/routes/addin-files';
import { openTestServer, type TestServer } from '../server/helpers/context';

let server: TestServer;

beforeAll(async () => {
  server = await openTestServer('sqlite');
});

afterAll(async () => {
  await server.cleanup();
});

function scriptTags(html: string): string[] {
  return [...html.matchAll(/<script\b[^>]*>[\s\S]*?<\/script>/g)].map((m) => m[0]);
}

describe('add-in files', () => {
  it.each(['/addin/taskpane.html', '/addin/commands.html', '/addin/help.html'])(
    '%s: HTML with a CSP that allows no inline script, and none in it',
    async (url) => {
      const r = await server.app.inject({ method: 'GET', url });
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toMatch(/^text\/html/);
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toMatch(/script-src 'self' https:\/\/appsforoffice\.microsoft\.com(;|$)/);
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      for (const tag of scriptTags(r.body)) expect(tag).toMatch(/^<script src="[^"]+"><\/script>$/);
    },
  );

  it('the event runtime page loads Office.js, then the sign-in helper, then the handler', async () => {
    const r = await server.app.inject({ method: 'GET', url: '/addin/commands.html' });
    expect(scriptTags(r.body).map((t) => /src="([^"]+)"/.exec(t)?.[1])).toEqual([
      'https://appsforoffice.microsoft.com/lib/1/hosted/office.js',
      '/addin/naa.js',
      '/addin/commands.js',
    ]);
  });

  it('serves the commands bundle with this server as its API and development sign-in', async () => {
    const r = await server.app.inject({ method: 'GET', url: '/addin/commands.js' });
    if (r.statusCode === 503) {
      expect(r.json()).toMatchObject({ code: 'NOT_BUILT' });
      return;
    }
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^text\/javascript/);
    const prelude = /^var __SECURE_ENVELOPE_CONFIG__ = (\{.*\});\n/.exec(r.body);
    expect(prelude).not.toBeNull();
    expect(JSON.parse(prelude![1]!)).toEqual({
      apiBase: 'https://secure.plan.example',
      auth: { kind: 'development', tokenPath: '/dev/token' },
      taskpaneCommandId: 'msgComposeOpenPaneButton',
    });
  });

  it('lists the commands script in the well-known file the JavaScript-only runtime needs for SSO and CORS', async () => {
    const r = await server.app.inject({
      method: 'GET',
      url: '/.well-known/microsoft-officeaddins-allowed.json',
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ allowed: ['https://secure.plan.example/addin/commands.js'] });
    // The manifest's JavaScript-only override names exactly that script.
    const manifest = await server.app.inject({ method: 'GET', url: '/addin/manifest.xml' });
    const overrideId = /<Override type="javascript" resid="([^"]+)"/.exec(manifest.body)?.[1];
    expect(manifest.body).toContain(
      `<bt:Url id="${overrideId ?? '?'}" DefaultValue="https://secure.plan.example/addin/commands.js"/>`,
    );
  });

  it('serves the manifest pointed at this server, and nothing outside the known files', async () => {
    const m = await server.app.inject({ method: 'GET', url: '/addin/manifest.xml' });
    expect(m.body).toContain('https://secure.plan.example/addin/commands.js');
    expect(m.body).not.toContain('localhost:3000');
    for (const url of [
      '/addin/..%2fpackage.json',
      '/addin/portal.js',
      '/addin/assets/..%2f..%2fpackage.json',
      '/addin/x.html',
    ]) {
      const r = await server.app.inject({ method: 'GET', url });
      expect(r.statusCode, url).toBe(404);
      expect(r.json()).toMatchObject({ code: 'NOT_FOUND' });
    }
  });

  it('a bundle that was never built is a 503 that says how to build it', async () => {
    const app = Fastify();
    app.get('/x', (_request, reply) => sendBundle(reply, 'never-built.js'));
    const r = await app.inject({ method: 'GET', url: '/x' });
    expect(r.statusCode).toBe(503);
    expect(r.json()).toEqual({
      code: 'NOT_BUILT',
      message: 'dist/never-built.js is missing: run `npm run build` on the server, then reload',
    });
    await app.close();
  });
});

describe('Outlook harness pages (development)', () => {
  it.each(['/dev/outlook', '/dev/outlook/taskpane.html', '/dev/outlook/commands.html'])(
    '%s: no inline script, our scripts only',
    async (url) => {
      const r = await server.app.inject({ method: 'GET', url });
      expect(r.statusCode).toBe(200);
      const csp = String(r.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|https:)/);
      for (const tag of scriptTags(r.body))
        expect(tag).toMatch(/^<script src="\/[^"]+"( defer)?><\/script>$/);
    },
  );

  it('the harness frames load the fake Office before the real bundles', async () => {
    const pane = await server.app.inject({ method: 'GET', url: '/dev/outlook/taskpane.html' });
    expect(pane.body.indexOf('/dev/outlook/frame.js')).toBeLessThan(pane.body.indexOf('/addin/taskpane.js'));
    const commands = await server.app.inject({ method: 'GET', url: '/dev/outlook/commands.html' });
    expect(commands.body.indexOf('/dev/outlook/frame.js')).toBeLessThan(
      commands.body.indexOf('/addin/commands.js'),
    );
  });
});
