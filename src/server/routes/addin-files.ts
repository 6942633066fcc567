import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';

const ROOT = resolve(import.meta.dirname, '../../..');
const ICON = /^(?:icon-(?:16|32|64|80|128)|logo)\.png$/;

/**
 * The add-in's static files: the manifest, pointed at this server's public
 * address so it can be sideloaded as is, and the icons it names.
 */
export function addinFileRoutes(ctx: ServerContext): FastifyPluginAsync {
  return (app) => {
    app.get('/addin/manifest.xml', async (_request, reply) => {
      const manifest = await readFile(resolve(ROOT, 'manifest.xml'), 'utf8');
      const origin = new URL(ctx.config.publicUrl).origin;
      return reply
        .type('application/xml; charset=utf-8')
        .send(manifest.replaceAll('https://localhost:3000', origin));
    });
    app.get('/addin/assets/:file', async (request, reply) => {
      const { file } = request.params as { file: string };
      if (!ICON.test(file)) throw new HttpError('NOT_FOUND', 'no such file');
      void reply.header('cache-control', 'public, max-age=86400');
      return reply.type('image/png').send(await readFile(resolve(ROOT, 'assets', file)));
    });
    return Promise.resolve();
  };
}
