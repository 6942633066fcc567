import type { FastifyPluginAsync } from 'fastify';
import type { ServerContext } from '../context';

/** The recipient portal: `/portal/`, `/portal/api/*`, secure links `/r/<token>`. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- filled in with its feature
export function portalRoutes(_ctx: ServerContext): FastifyPluginAsync {
  return () => Promise.resolve();
}
