import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { ServerContext } from '../../context';
import { sendBundle } from '../../routes/addin-files';
import { localOnly } from '../routes';
import { HARNESS_COMMANDS_HTML, HARNESS_CSS, HARNESS_HTML, HARNESS_TASKPANE_HTML } from './page';

/** Only our own scripts; frames from this origin; the sent body shows in a sandboxed frame. */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
].join('; ');

function html(reply: FastifyReply, body: string): FastifyReply {
  void reply.header('content-security-policy', CSP);
  void reply.header('cache-control', 'no-cache');
  return reply.type('text/html; charset=utf-8').send(body);
}

/**
 * Development only: `/dev/outlook`, the stand-in for Outlook's compose
 * window. It loads the real task pane and the real commands bundle over an
 * in-memory mailbox that implements the Office.js surface the add-in uses.
 * Answered only to a browser on this machine, like the other /dev routes.
 */
// eslint-disable-next-line @typescript-eslint/no-unused-vars -- the context is the stub's signature
export function harnessRoutes(_ctx: ServerContext): FastifyPluginAsync {
  return (app) => {
    localOnly(app);
    app.get('/dev/outlook', (_request, reply) => html(reply, HARNESS_HTML));
    app.get('/dev/outlook/commands.html', (_request, reply) => html(reply, HARNESS_COMMANDS_HTML));
    app.get('/dev/outlook/taskpane.html', (_request, reply) => html(reply, HARNESS_TASKPANE_HTML));
    app.get('/dev/outlook/harness.css', (_request, reply) =>
      reply.header('cache-control', 'no-cache').type('text/css; charset=utf-8').send(HARNESS_CSS),
    );
    app.get('/dev/outlook/harness.js', (_request, reply) => sendBundle(reply, 'harness.js'));
    app.get('/dev/outlook/frame.js', (_request, reply) => sendBundle(reply, 'harness-frame.js'));
    return Promise.resolve();
  };
}
