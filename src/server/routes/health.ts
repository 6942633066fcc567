import { sql } from 'kysely';
import type { FastifyPluginAsync } from 'fastify';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';

export function healthRoutes(ctx: ServerContext): FastifyPluginAsync {
  return (app) => {
    app.get('/healthz', async () => {
      try {
        await sql`select 1`.execute(ctx.store.db);
      } catch {
        throw new HttpError('STORE_UNAVAILABLE', 'the store is not reachable');
      }
      return { status: 'ok', store: ctx.store.dialect };
    });
    return Promise.resolve();
  };
}
