import { isIP } from 'node:net';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { emailAddress } from '../../shared/api';
import { LOOPBACK_NAMES } from '../config';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';
import type { ZodTypeProvider } from '../http/schemas';
import { renderCatcherPage } from './mail-catcher';

/** Headers a proxy adds on the way in; a developer's own browser sends none of them. */
const FORWARDING_HEADERS = ['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'x-real-ip'] as const;

/** The host name of a Host header ("localhost:3000", "[::1]:3000"), lower-cased; null if malformed. */
function hostName(header: string | undefined): string | null {
  const match = /^(\[[\da-f:.]+\]|[^:[\]]+)(?::\d{1,5})?$/i.exec(header ?? '');
  return match === null ? null : match[1]!.toLowerCase();
}

function isLoopbackAddress(address: string): boolean {
  const ip = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return ip === '::1' || (isIP(ip) === 4 && ip.startsWith('127.'));
}

/**
 * Whether a request comes from a browser on this machine addressing it by a
 * loopback name. A request relayed by a proxy usually shows it: the public
 * name kept in Host, or the proxy's forwarding headers. Checked on the raw
 * header and socket, never on what trustProxy makes of them. A proxy that
 * rewrites Host to a loopback name and adds nothing cannot be told apart
 * here; what such a deployment needs (a public PUBLIC_URL) stops start-up.
 */
export function fromThisMachine(request: FastifyRequest): boolean {
  const host = hostName(request.headers.host);
  if (host === null || !LOOPBACK_NAMES.has(host)) return false;
  if (FORWARDING_HEADERS.some((name) => request.headers[name] !== undefined)) return false;
  const peer = request.raw.socket.remoteAddress;
  return peer !== undefined && isLoopbackAddress(peer);
}

/**
 * Answers every route of the plugin it is added to with the same 404 as an
 * unknown route unless the request comes from this machine: development
 * routes hand out tokens and show every notice, and a server started in
 * development mode behind a proxy must not offer them to the world (start-up
 * refuses the settings that say so; this holds even if they are missed).
 */
export function localOnly(app: FastifyInstance): void {
  app.addHook('onRequest', (request) =>
    fromThisMachine(request)
      ? Promise.resolve()
      : Promise.reject(new HttpError('NOT_FOUND', 'no such route')),
  );
}

const devTokenQuery = z.object({
  address: emailAddress.default('rep@plan.example'),
  name: z.string().max(200).default('Development Sender'),
});

/**
 * Development only (never registered in production, and answered only to a
 * browser on this machine): a sender token from the built-in issuer, and the
 * mail catcher's view of every notice sent.
 */
export function devRoutes(ctx: ServerContext): FastifyPluginAsync {
  return (app) => {
    localOnly(app);
    const api = app.withTypeProvider<ZodTypeProvider>();
    api.get('/dev/token', { schema: { querystring: devTokenQuery } }, async (request) => {
      if (ctx.devIssuer === undefined) throw new HttpError('NOT_FOUND', 'the development issuer is off');
      const { address, name } = request.query;
      const token = await ctx.devIssuer.issue({ address, name });
      return { token, tokenType: 'Bearer', address };
    });
    // The API as the routes' schemas describe it (npm run openapi writes the same to docs/api).
    app.get('/dev/openapi.json', () => Promise.resolve(app.swagger()));
    app.get('/dev/mail/messages', () => {
      if (ctx.catcher === undefined)
        throw new HttpError('NOT_FOUND', 'the mail catcher is off (SMTP_URL is set)');
      return Promise.resolve({ messages: ctx.catcher.messages() });
    });
    app.get('/dev/mail', async (_request, reply) => {
      if (ctx.catcher === undefined)
        throw new HttpError('NOT_FOUND', 'the mail catcher is off (SMTP_URL is set)');
      void reply.header(
        'content-security-policy',
        "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'",
      );
      return reply.type('text/html; charset=utf-8').send(renderCatcherPage(ctx.catcher.messages()));
    });
    return Promise.resolve();
  };
}
