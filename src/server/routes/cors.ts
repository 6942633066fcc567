import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';

/** The API routes the add-in calls. */
const ADDIN_API = /^\/v1\/(?:policy|tls\/check|envelopes|overrides|sent)(?:\/|$|\?)/;

/**
 * Cross-origin access for the add-in, and only for it. Classic Outlook runs
 * the on-send handler in a JavaScript-only runtime whose requests are
 * cross-origin even to the add-in's own host; only the origin the add-in is
 * served from (the public URL) is allowed, and no credentials: the add-in
 * authenticates with a bearer token, never a cookie.
 */
export function allowAddinOrigin(app: FastifyInstance, ctx: ServerContext): void {
  const origin = new URL(ctx.config.publicUrl).origin;
  // On the root instance, not in a plugin: it must see preflights, which match no route.
  app.addHook('onRequest', async (request, reply) => {
    if (!ADDIN_API.test(request.url)) return;
    void reply.header('vary', 'Origin');
    if (request.headers.origin !== origin) return;
    void reply.header('access-control-allow-origin', origin);
    if (request.method === 'OPTIONS') {
      await reply
        .status(204)
        .header('access-control-allow-methods', 'GET, POST')
        .header('access-control-allow-headers', 'authorization, content-type, idempotency-key')
        .header('access-control-max-age', '600')
        .send();
    }
  });
}
