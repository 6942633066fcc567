import type { FastifyPluginAsync } from 'fastify';
import { orgPolicyResponse } from '../../shared/policy';
import type { ServerContext } from '../context';
import type { ZodTypeProvider } from '../http/schemas';

export function policyRoutes(ctx: ServerContext): FastifyPluginAsync {
  return (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    // Public: the policy holds no secret, and the add-in needs it before sign-in completes.
    app.get(
      '/v1/policy',
      { schema: { summary: 'The policy the add-in applies', response: { 200: orgPolicyResponse } } },
      async (_request, reply) => {
        void reply.header('cache-control', 'public, max-age=300');
        void reply.header('etag', `"${ctx.policy.version}"`);
        return ctx.policy;
      },
    );
    return Promise.resolve();
  };
}
