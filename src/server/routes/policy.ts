import type { FastifyPluginAsync } from 'fastify';
import type { ServerContext } from '../context';

export function policyRoutes(ctx: ServerContext): FastifyPluginAsync {
  return (app) => {
    // Public: the policy holds no secret, and the add-in needs it before sign-in completes.
    app.get('/v1/policy', async (_request, reply) => {
      void reply.header('cache-control', 'public, max-age=300');
      void reply.header('etag', `"${ctx.policy.version}"`);
      return ctx.policy;
    });
    return Promise.resolve();
  };
}
