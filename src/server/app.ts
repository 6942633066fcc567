import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import { ERROR_STATUS, type ApiError } from '../shared/errors';
import type { ServerContext } from './context';
import { logAuditAnchors } from './audit/anchor-log';
import { AuthError } from './auth/sender-auth';
import { DEFAULT_BODY_BYTES, formatBytes, parseJsonWithBoundedDepth } from './body-limits';
import { HttpError } from './errors';
import { openApiTransform, useZodSchemas, validationError } from './http/schemas';
import { harnessRoutes } from './dev/harness/routes';
import { portalRoutes } from './portal/routes';
import { addinFileRoutes } from './routes/addin-files';
import { allowAddinOrigin } from './routes/cors';
import { devRoutes } from './dev/routes';
import { envelopeRoutes } from './routes/envelopes';
import { healthRoutes } from './routes/health';
import { policyRoutes } from './routes/policy';
import { loggedUrl, type LoggedRequest } from './redact-url';
import { isStoreUnavailable } from './store/unavailable';
import { tlsCheckRoutes } from './tls-check/routes';

/**
 * The HTTP application. Every error leaves as `{code, message}` with the
 * code's status; nothing internal (stack, SQL, paths) reaches a client, and
 * the log never holds a body, a token or a secure link.
 */
export function buildApp(
  ctx: ServerContext,
  options: {
    logger?: boolean;
    /** Where log lines go when logging (default: standard output). */
    logStream?: { write(line: string): unknown };
    https?: { cert: string; key: string } | undefined;
  } = {},
): FastifyInstance {
  const app = Fastify({
    ...(options.https !== undefined ? { https: { cert: options.https.cert, key: options.https.key } } : {}),
    logger:
      options.logger === true
        ? {
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            serializers: {
              // Fastify hands the serializer its request, matched route included.
              req: (req: LoggedRequest & { method: string }) => ({
                method: req.method,
                url: loggedUrl(req),
              }),
            },
            ...(options.logStream !== undefined ? { stream: options.logStream } : {}),
          }
        : false,
    // Only the routes that carry attachments accept more, and they say so themselves.
    bodyLimit: DEFAULT_BODY_BYTES,
    // While closing, requests on open connections are still answered in full.
    return503OnClosing: false,
    // Forwarded addresses are believed only from the proxies the admin names.
    trustProxy: ctx.config.trustProxy ?? false,
    // A client that trickles a request in is cut off rather than held forever.
    requestTimeout: 120_000,
    connectionTimeout: 130_000,
  });

  parseJsonWithBoundedDepth(app);
  useZodSchemas(app);
  // Who is asking, set by the hooks of the routes that need to know (see auth/sender-hook, portal/routes).
  app.decorateRequest('sender', undefined);
  app.decorateRequest('recipient', undefined);

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body } = toApiError(error, request);
    if (error instanceof AuthError) void reply.header('www-authenticate', error.wwwAuthenticate);
    if (unreadBodyOverLimit(request)) void reply.header('connection', 'close');
    // The store is away (a restart, a failover): the client tries again shortly.
    if (body.code === 'STORE_UNAVAILABLE') void reply.header('retry-after', String(STORE_RETRY_AFTER_S));
    if (status >= 500)
      request.log.error({ err: { message: error.message, code: error.code } }, 'request failed');
    void reply.status(status).send(body);
  });
  app.setNotFoundHandler((_request, reply) => {
    void reply.status(404).send({ code: 'NOT_FOUND', message: 'no such route' } satisfies ApiError);
  });

  // The API described from the routes' own schemas (served in development, written by `npm run openapi`).
  void app.register(swagger, {
    openapi: {
      info: {
        title: 'Secure Envelope API',
        version: '1',
        description:
          'The add-in, the recipient portal and the CLI talk to the server through these routes. ' +
          'Every error answers {code, message}; clients branch on code.',
      },
    },
    transform: openApiTransform,
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
  // The audit anchor goes into the log, so a log shipped off the machine can show a cut audit log.
  logAuditAnchors(app, ctx.keyring.auditAnchor);
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

/** Seconds a client is told to wait when the store is away: a restart or a failover takes a few. */
const STORE_RETRY_AFTER_S = 2;

/**
 * Whether a request refused before its body was read (a check in onRequest
 * or preParsing) has more body coming than its route would ever accept: the
 * connection then closes after the answer, so the server does not go on
 * receiving what it will never use. A body within the limit is left to Node
 * to read and discard, and the connection stays open: a browser or the
 * add-in still uploading a legitimate message (say with an expired session)
 * then reads the answer rather than a reset connection.
 */
function unreadBodyOverLimit(request: FastifyRequest): boolean {
  if (request.raw.complete) return false;
  const declared = request.headers['content-length'];
  if (declared === undefined) return request.headers['transfer-encoding'] !== undefined;
  return !(Number(declared) <= request.routeOptions.bodyLimit);
}

function toApiError(error: FastifyError, request: FastifyRequest): { status: number; body: ApiError } {
  // The identity provider's keys could not be fetched: the detail is for the log, not the client.
  if (error.name === 'KeySetUnavailableError') {
    return {
      status: 503,
      body: { code: 'AUTH_UNAVAILABLE', message: 'sign-in cannot be checked right now; try again shortly' },
    };
  }
  if (error instanceof HttpError) return { status: error.status, body: error.toJSON() };
  if (isStoreUnavailable(error)) {
    return {
      status: 503,
      body: {
        code: 'STORE_UNAVAILABLE',
        message: 'the service cannot reach its database right now; try again shortly',
      },
    };
  }
  const invalid = validationError(error, request);
  if (invalid !== undefined) return { status: invalid.status, body: invalid.toJSON() };
  const coded = error as FastifyError & { code?: string };
  if (typeof coded.code === 'string' && coded.code in ERROR_STATUS && !coded.code.startsWith('FST_')) {
    const code = coded.code as keyof typeof ERROR_STATUS;
    return { status: ERROR_STATUS[code], body: { code, message: error.message } };
  }
  if (coded.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    // A route that carries attachments says in its own terms what is too large.
    const tooLarge = request.routeOptions.config.tooLarge;
    if (tooLarge !== undefined) {
      return {
        status: ERROR_STATUS[tooLarge.code],
        body: { code: tooLarge.code, message: tooLarge.message },
      };
    }
    return {
      status: 413,
      body: {
        code: 'REQUEST_TOO_LARGE',
        message: `the request body is larger than the ${formatBytes(request.routeOptions.bodyLimit)} this address accepts; send only the fields it asks for`,
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
