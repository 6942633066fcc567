import type { FastifyPluginAsync } from 'fastify';
import type { ServerContext } from '../context';

/** `POST /v1/tls/check`. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- filled in with its feature
export function tlsCheckRoutes(_ctx: ServerContext): FastifyPluginAsync {
  return () => Promise.resolve();
}
