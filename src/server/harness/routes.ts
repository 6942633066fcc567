import type { FastifyPluginAsync } from 'fastify';
import type { ServerContext } from '../context';

/** Development only: `/dev/outlook`, the stand-in for Outlook's compose window. */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- filled in with its feature
export function harnessRoutes(_ctx: ServerContext): FastifyPluginAsync {
  return () => Promise.resolve();
}
