import type { FastifyPluginAsync } from 'fastify';
import { emailAddress } from '../../shared/api';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';
import { renderCatcherPage } from '../mail/catcher';

/**
 * Development only (never registered in production): a sender token from the
 * built-in issuer, and the mail catcher's view of every notice sent.
 */
export function devRoutes(ctx: ServerContext): FastifyPluginAsync {
  return (app) => {
    app.get('/dev/token', async (request) => {
      if (ctx.devIssuer === undefined) throw new HttpError('NOT_FOUND', 'the development issuer is off');
      const query = request.query as { address?: string; name?: string };
      const address = emailAddress.safeParse(query.address ?? 'rep@plan.example');
      if (!address.success) throw new HttpError('INVALID_ADDRESS', 'address: must be an e-mail address');
      const token = await ctx.devIssuer.issue({
        address: address.data,
        name: query.name ?? 'Development Sender',
      });
      return { token, tokenType: 'Bearer', address: address.data };
    });
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
