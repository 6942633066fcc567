import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { ERROR_STATUS, type ApiError } from '../shared/errors';
import type { ServerContext } from './context';
import { AuthError } from './auth/sender-auth';
import { HttpError } from './errors';
import { harnessRoutes } from './harness/routes';
import { portalRoutes } from './portal/routes';
import { addinFileRoutes } from './routes/addin-files';
import { allowAddinOrigin } from './routes/cors';
import { devRoutes } from './routes/dev';
import { envelopeRoutes } from './routes/envelopes';
import { healthRoutes } from './routes/health';
import { policyRoutes } from './routes/policy';
import { tlsCheckRoutes } from './tls-check/routes';

/** Requests may carry attachments up to the configured total, base64-encoded in JSON. */
function bodyLimit(ctx: ServerContext): number {
  return Math.ceil((ctx.config.limits.totalBytes * 4) / 3) + 1024 * 1024;
}

/**
 * The HTTP application. Every error leaves as `{code, message}` with the
 * code's status; nothing internal (stack, SQL, paths) reaches a client, and
 * the log never holds a body, a token or a secure link.
 */
export function buildApp(
  ctx: ServerContext,
  options: { logger?: boolean; https?: { cert: string; key: string } | undefined } = {},
): FastifyInstance {
  const app = Fastify({
    ...(options.https !== undefined ? { https: { cert: options.https.cert, key: options.https.key } } : {}),
    logger:
      options.logger === true
        ? {
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            serializers: {
              req: (req: { method: string; url: string }) => ({
                method: req.method,
                url: redactUrl(req.url),
              }),
            },
          }
        : false,
    bodyLimit: bodyLimit(ctx),
    // While closing, requests on open connections are still answered in full.
    return503OnClosing: false,
    // Forwarded addresses are believed only from the proxies the admin names.
    trustProxy: ctx.config.trustProxy ?? false,
    // A client that trickles a request in is cut off rather than held forever.
    requestTimeout: 120_000,
    connectionTimeout: 130_000,
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body } = toApiError(error, ctx);
    if (error instanceof AuthError) void reply.header('www-authenticate', error.wwwAuthenticate);
    if (status >= 500)
      request.log.error({ err: { message: error.message, code: error.code } }, 'request failed');
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((_request, reply) => {
    void reply.status(404).send({ code: 'NOT_FOUND', message: 'no such route' } satisfies ApiError);
  });

  // Every route is rate-limited per client address; the answer to a client
  // over its limit is the API's own 429.
  void app.register(rateLimit, {
    max: ctx.config.limits.requestsPerMinute,
    timeWindow: 60_000,
    // With Redis, every instance counts against the same limit. If Redis is
    // unreachable, requests are served unlimited (and the log says so) rather
    // than refused: an outage of the cache must not stop secure mail.
    ...(ctx.redis !== undefined
      ? { redis: ctx.redis, nameSpace: `${ctx.config.redisPrefix}rl:`, skipOnError: true }
      : {}),
    errorResponseBuilder: (_request, context) =>
      new HttpError('RATE_LIMITED', `too many requests; try again in ${Math.ceil(context.ttl / 1000)} s`),
  });
  allowAddinOrigin(app, ctx);
  void app.register(healthRoutes(ctx));
  void app.register(policyRoutes(ctx));
  void app.register(envelopeRoutes(ctx));
  void app.register(addinFileRoutes(ctx));
  void app.register(tlsCheckRoutes(ctx));
  void app.register(portalRoutes(ctx));
  if (ctx.config.mode === 'development') {
    void app.register(devRoutes(ctx));
    void app.register(harnessRoutes(ctx));
  }
  return app;
}

function toApiError(error: FastifyError, ctx: ServerContext): { status: number; body: ApiError } {
  // The identity provider's keys could not be fetched: the detail is for the log, not the client.
  if (error.name === 'KeySetUnavailableError') {
    return {
      status: 503,
      body: { code: 'AUTH_UNAVAILABLE', message: 'sign-in cannot be checked right now; try again shortly' },
    };
  }
  if (error instanceof HttpError) return { status: error.status, body: error.toJSON() };
  const coded = error as FastifyError & { code?: string };
  if (typeof coded.code === 'string' && coded.code in ERROR_STATUS && !coded.code.startsWith('FST_')) {
    const code = coded.code as keyof typeof ERROR_STATUS;
    return { status: ERROR_STATUS[code], body: { code, message: error.message } };
  }
  if (coded.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = (ctx.config.limits.totalBytes / 1024 / 1024).toFixed(0);
    return {
      status: 413,
      body: {
        code: 'ENVELOPE_TOO_LARGE',
        message: `the request is too large; messages may be at most ${limit} MB`,
      },
    };
  }
  if (coded.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, body: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send application/json' } };
  }
  if (
    error.validation !== undefined ||
    coded.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' ||
    error.statusCode === 400
  ) {
    return {
      status: 400,
      body: { code: 'VALIDATION_FAILED', message: 'the request body is not valid JSON' },
    };
  }
  return {
    status: 500,
    body: { code: 'INTERNAL', message: 'something went wrong on our side; please try again' },
  };
}

/** Secure-link tokens never reach a log line. */
export function redactUrl(url: string): string {
  return url
    .replace(/\/r\/[^/?#]+/, '/r/[redacted]')
    .replace(/\/portal\/reset\/[^/?#]+/, '/portal/reset/[redacted]')
    .replace(/([?&](?:token|code)=)[^&#]*/gi, '$1[redacted]');
}
