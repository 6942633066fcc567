import { sql } from 'kysely';
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { apiErrorResponse } from '../../shared/api';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';
import type { ZodTypeProvider } from '../http/schemas';
import { outboxHealth } from '../outbox/dead-letters';

const healthResponse = z.object({
  status: z.literal('ok'),
  store: z.enum(['sqlite', 'postgres']),
  /**
   * The notice queue, for monitoring: a growing age says the relay is not
   * taking mail; dead letters need a person (`secure-envelope outbox`). Not
   * a reason to take the instance out of a load balancer, so still 200.
   */
  outbox: z.object({ pending: z.number(), dead: z.number(), oldestPendingSeconds: z.number() }),
});

export function healthRoutes(ctx: ServerContext): FastifyPluginAsync {
  return (plugin) => {
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/healthz',
      {
        schema: {
          summary: 'Whether this instance can reach its store',
          response: { 200: healthResponse, 503: apiErrorResponse },
        },
      },
      async () => {
        if (ctx.draining?.() === true) throw new HttpError('SHUTTING_DOWN', 'this instance is stopping');
        let outbox;
        try {
          await sql`select 1`.execute(ctx.store.db);
          outbox = await outboxHealth(ctx.store.db);
        } catch {
          throw new HttpError('STORE_UNAVAILABLE', 'the store is not reachable');
        }
        return { status: 'ok' as const, store: ctx.store.dialect, outbox };
      },
    );
    return Promise.resolve();
  };
}
