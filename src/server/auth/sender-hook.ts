import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerContext } from '../context';
import type { Sender } from './sender-auth';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in representative, on routes that call for one (see `requireSender`). */
    sender: Sender | undefined;
  }
}

/**
 * Every route registered in `app` (one plugin's scope) answers only a
 * signed-in sender: the bearer token is checked in onRequest, before a byte
 * of the body is read, and a route added to the plugin later is covered
 * without a line of its own.
 */
export function requireSender(app: FastifyInstance, ctx: ServerContext): void {
  app.addHook('onRequest', async (request) => {
    request.sender = await ctx.verifier.verify(request.headers.authorization);
  });
}

/** The sender `requireSender` checked; only called by routes in such a plugin. */
export function senderOf(request: FastifyRequest): Sender {
  if (request.sender === undefined) throw new Error('route needs requireSender in its plugin');
  return request.sender;
}
