import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FastifyReply } from 'fastify';
import type { ApiError } from '../../shared/errors';

const ROOT = resolve(import.meta.dirname, '../../..');
export const PORTAL_SCRIPT = resolve(ROOT, 'dist/portal.js');

/**
 * The portal's page: one HTML shell for every path under /portal/, the app
 * keeps its place in the hash. Scripts only from this origin, no inline
 * script; inline styles are allowed because Fluent UI injects its styles at
 * run time. Message bodies are shown in a sandboxed frame (srcdoc), hence
 * frame-src/child-src 'self'.
 */
export const SHELL_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // Remote images load only after the reader chooses "Show images" (the
  // sanitiser holds them back until then), and only over https.
  "img-src 'self' data: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "child-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** For everything else the portal answers (JSON, files, redirects): nothing may run or embed it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

export const SHELL_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Secure messages</title>
<script src="/portal/assets/portal.js" defer></script>
</head>
<body>
<div id="root"></div>
<noscript>Secure messages need JavaScript. Turn it on for this site, or use another browser.</noscript>
</body>
</html>
`;

export function sendShell(reply: FastifyReply): FastifyReply {
  void reply.header('content-security-policy', SHELL_CSP);
  return reply.type('text/html; charset=utf-8').send(SHELL_HTML);
}

let cached: { mtimeMs: number; body: Buffer } | undefined;

/** dist/portal.js, read again whenever a build replaces it; 503 with what to do when it is missing. */
export async function sendScript(reply: FastifyReply): Promise<FastifyReply> {
  let mtimeMs: number;
  try {
    mtimeMs = (await stat(PORTAL_SCRIPT)).mtimeMs;
  } catch {
    return reply.status(503).send({
      code: 'NOT_BUILT',
      message: 'the portal is not built on this server: run `npm run build`, then reload',
    } satisfies ApiError);
  }
  if (cached?.mtimeMs !== mtimeMs) cached = { mtimeMs, body: await readFile(PORTAL_SCRIPT) };
  // Revalidated on every load, so a new build is picked up at once.
  void reply.header('cache-control', 'no-cache');
  return reply.type('text/javascript; charset=utf-8').send(cached.body);
}
