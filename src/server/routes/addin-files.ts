import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { z } from 'zod';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';
import type { ZodTypeProvider } from '../http/schemas';

const ROOT = resolve(import.meta.dirname, '../../..');
const DIST = resolve(ROOT, 'dist');
const ICON = /^(?:icon-(?:16|32|64|80|128)|logo)\.png$/;
const GUID = /[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}/i;

/** Where Office.js comes from: Microsoft's CDN, as the Office Store requires. */
export const OFFICE_JS = 'https://appsforoffice.microsoft.com/lib/1/hosted/office.js';

/**
 * Caching of the add-in's pages and bundles. With SendMode="Block", Outlook
 * sends nothing while it cannot load the add-in, so a CDN in front of this
 * server may keep serving them through an outage of the server (stale-if-error).
 */
export const ADDIN_CACHE = 'public, max-age=300, stale-while-revalidate=86400, stale-if-error=604800';

/** The add-in's bundles, each served with the hosting server's configuration in front. */
const BUNDLES = new Set(['commands.js', 'taskpane.js', 'naa.js']);

/**
 * What the add-in needs to know about this server (see src/addin/core/config.ts).
 * In development the built-in issuer signs tokens; otherwise the add-in signs
 * in to Entra ID with Nested App Authentication as the app whose client id
 * the API audience names (api://<host>/<client id> or the bare id).
 */
export function addinConfig(ctx: ServerContext): Record<string, unknown> {
  const apiBase = new URL(ctx.config.publicUrl).origin;
  const auth = ctx.config.auth;
  if (ctx.devIssuer !== undefined) {
    return {
      apiBase,
      auth: { kind: 'development', tokenPath: '/dev/token' },
      taskpaneCommandId: 'msgComposeOpenPaneButton',
    };
  }
  const audience = auth.audience ?? '';
  const tenant = auth.tenants.length === 1 ? auth.tenants[0]! : 'organizations';
  return {
    apiBase,
    auth: {
      kind: 'entra',
      clientId: GUID.exec(audience)?.[0] ?? '',
      authority: `https://login.microsoftonline.com/${tenant}`,
      scopes: audience === '' ? [] : [`${audience.replace(/\/$/, '')}/${auth.requiredScope}`],
    },
    taskpaneCommandId: 'msgComposeOpenPaneButton',
  };
}

/** A `var` statement a classic script (and the JavaScript-only runtime) turns into a global. */
export function configPrelude(config: Record<string, unknown>): string {
  const json = JSON.stringify(config)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return `var __SECURE_ENVELOPE_CONFIG__ = ${json};\n`;
}

/** Sends a built bundle, or a 503 that says how to build it. */
export async function sendBundle(
  reply: FastifyReply,
  file: string,
  prelude = '',
  cache = 'no-cache',
): Promise<FastifyReply> {
  let source: string;
  try {
    source = await readFile(resolve(DIST, file), 'utf8');
  } catch {
    source = '';
  }
  if (source === '') {
    return reply.status(503).send({
      code: 'NOT_BUILT',
      message: `dist/${file} is missing: run \`npm run build\` on the server, then reload`,
    });
  }
  void reply.header('cache-control', cache);
  void reply.header('x-content-type-options', 'nosniff');
  return reply.type('text/javascript; charset=utf-8').send(prelude + source);
}

function page(title: string, body: string, scripts: readonly string[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
${scripts.map((s) => `<script src="${s}"></script>`).join('\n')}
</head>
<body>
${body}
</body>
</html>
`;
}

/** Office.js and MSAL need Microsoft's hosts; nothing runs inline. */
const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self' https://appsforoffice.microsoft.com",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self' https://login.microsoftonline.com",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

function sendPage(reply: FastifyReply, html: string, cache: string): FastifyReply {
  void reply.header('content-security-policy', PAGE_CSP);
  void reply.header('x-content-type-options', 'nosniff');
  void reply.header('cache-control', cache);
  return reply.type('text/html; charset=utf-8').send(html);
}

/** A file's name in a path: what is served is decided by name, below. */
const fileParams = z.object({ file: z.string() });

/**
 * The add-in's files: the manifest, pointed at this server's public address
 * so it can be sideloaded as is; the task pane and the event runtime's page;
 * the bundles (with this server's configuration in front); the icons; and
 * the list of scripts the JavaScript-only runtime may use SSO and CORS from.
 */
export function addinFileRoutes(ctx: ServerContext): FastifyPluginAsync {
  return (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    const origin = new URL(ctx.config.publicUrl).origin;
    // In development a rebuilt bundle must show on the next reload.
    const cache = ctx.config.mode === 'production' ? ADDIN_CACHE : 'no-cache';
    app.get('/addin/manifest.xml', async (_request, reply) => {
      const manifest = await readFile(resolve(ROOT, 'manifest.xml'), 'utf8');
      return reply
        .type('application/xml; charset=utf-8')
        .send(manifest.replaceAll('https://localhost:3000', origin));
    });
    app.get('/addin/assets/:file', { schema: { params: fileParams } }, async (request, reply) => {
      const { file } = request.params;
      if (!ICON.test(file)) throw new HttpError('NOT_FOUND', 'no such file');
      void reply.header('cache-control', 'public, max-age=86400');
      return reply.type('image/png').send(await readFile(resolve(ROOT, 'assets', file)));
    });
    app.get('/addin/:file', { schema: { params: fileParams } }, async (request, reply) => {
      const { file } = request.params;
      if (BUNDLES.has(file)) return sendBundle(reply, file, configPrelude(addinConfig(ctx)), cache);
      if (file === 'taskpane.html') {
        return sendPage(
          reply,
          page('Secure Envelope', '<div id="root"></div>', [OFFICE_JS, '/addin/taskpane.js']),
          cache,
        );
      }
      if (file === 'commands.html') {
        // The event runtime on the web, new Outlook and Mac: a page with a DOM,
        // so MSAL's Nested App Authentication (naa.js) can run beside the handler.
        return sendPage(
          reply,
          page('Secure Envelope', '', [OFFICE_JS, '/addin/naa.js', '/addin/commands.js']),
          cache,
        );
      }
      if (file === 'help.html') {
        return sendPage(
          reply,
          page(
            'Secure Envelope help',
            '<h1>Secure Envelope</h1><p>Secure Envelope checks messages for protected health, payment and ' +
              'personal data before they are sent. When a recipient&#39;s mail server cannot receive them ' +
              'over verified TLS, the message goes as Secure Email: the recipient gets a notice with a link ' +
              'and reads it in a secure portal.</p><p>Open <b>Check message</b> on the ribbon while you ' +
              'compose to see what was found and how the message will be sent.</p>',
            [],
          ),
          cache,
        );
      }
      throw new HttpError('NOT_FOUND', 'no such file');
    });
    // Classic Outlook's JavaScript-only runtime lets a script make SSO and CORS
    // requests only when this origin lists the script's exact URL here.
    app.get('/.well-known/microsoft-officeaddins-allowed.json', (_request, reply) => {
      void reply.header('cache-control', 'public, max-age=3600');
      return reply.type('application/json').send({ allowed: [`${origin}/addin/commands.js`] });
    });
    return Promise.resolve();
  };
}
