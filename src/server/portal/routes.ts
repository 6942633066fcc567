import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import {
  acceptedNote,
  attachmentParams,
  correspondentList,
  forgotPasswordRequest,
  linkState as linkStateSchema,
  linkTokenParams,
  newMessageRequest,
  newMessageResult,
  registerRequest,
  replyRequest,
  replyResult,
  resetPasswordRequest,
  sessionInfo,
  signInRequest,
  signInResult,
  thread as threadSchema,
  threadList,
  threadParams,
  type SessionInfo,
  type SignInResult,
} from '../../shared/portal-api';
import { base64BodyBytes, FORM_BODY_BYTES } from '../body-limits';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';
import type { ZodTypeProvider } from '../http/schemas';
import { newToken } from '../ids';
import { register, requestReset, resetPassword, signIn, type Signed } from './account';
import { reply as sendReply, startMessage } from './compose';
import {
  assertReadable,
  findAttachment,
  findThread,
  listCorrespondents,
  listThreads,
  loadThread,
  type ThreadRef,
} from './content';
import { sendAttachment } from './download';
import { findLink, linkState } from './links';
import { createPortal, recipientActor } from './portal';
import { revokeRoutes } from './revoke';
import { signInLinkRoutes } from './sign-in-link';
import {
  LINK_COOKIE,
  PRE_SESSION_COOKIE,
  RESET_COOKIE,
  SESSION_COOKIE,
  type PortalSession,
} from './sessions';
import { API_CSP, sendScript, sendShell } from './shell';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in recipient, on the portal's signed-in routes (see `recipientOf`). */
    recipient: PortalSession | undefined;
  }
}

/** Methods that change nothing; every other one is checked for cross-site request forgery. */
const SAFE_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The recipient portal: `/portal/`, `/portal/api/*`, secure links `/r/<token>`.
 *
 * Its routes are grouped by who may call them, each group a plugin whose
 * hooks do the checks, so a route added to a group later has them without a
 * line of its own: public reads; stranger forms (the CSRF check); signed-in
 * routes (the CSRF check, then the session, on `request.recipient`). The
 * checks run in preParsing, after the rate limits (onRequest) and before a
 * byte of the body is read: a request from another site, without the page's
 * CSRF token or (where one is needed) without a session is refused without
 * the server receiving, holding or parsing its body.
 */
export function portalRoutes(ctx: ServerContext): FastifyPluginAsync {
  return async (app) => {
    const p = createPortal(ctx);
    await app.register(cookie);
    const publicOrigin = new URL(ctx.config.publicUrl).origin;

    // Every cookie the portal sets: host-only, https-only, out of reach of scripts and of other sites.
    const cookieOptions = (maxAgeSeconds?: number) => ({
      path: '/',
      secure: true,
      httpOnly: true,
      sameSite: 'strict' as const,
      ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
    });
    const clear = (reply: FastifyReply, name: string) => reply.clearCookie(name, cookieOptions());

    // On this scope, not a group's, so that every group's answers carry them.
    app.addHook('onSend', (request, reply, payload, done) => {
      // By the route matched, not the path as sent: `/%72/<token>` is the secure-link route too.
      const route = request.routeOptions.url ?? '';
      if (route.startsWith('/portal') || route.startsWith('/r/')) {
        if (!reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
        if (!reply.hasHeader('content-security-policy'))
          void reply.header('content-security-policy', API_CSP);
        void reply.header('referrer-policy', 'no-referrer');
        void reply.header('x-content-type-options', 'nosniff');
        void reply.header('x-frame-options', 'DENY');
        void reply.header('cross-origin-opener-policy', 'same-origin');
        void reply.header('cross-origin-resource-policy', 'same-origin');
        if (publicOrigin.startsWith('https:')) {
          void reply.header('strict-transport-security', 'max-age=31536000');
        }
      }
      done(null, payload);
    });

    // The portal's waits (a throttled link, sign-in or reset; sign-ins busy server-wide) say how long in Retry-After.
    app.addHook('onError', (_request, reply, error, done) => {
      const wait = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      if (error instanceof HttpError && typeof wait === 'number')
        void reply.header('retry-after', String(wait));
      done();
    });

    /**
     * Cross-site request forgery: a state-changing request must carry the
     * CSRF token of the cookies it came with, and, when the browser says where
     * it came from, come from this server's own origin.
     */
    const guard = (request: FastifyRequest): void => {
      const origin = request.headers.origin;
      if (origin !== undefined && !allowedOrigin(origin, request)) {
        throw new HttpError('CSRF_REJECTED', 'this request came from another site and was refused');
      }
      const fetchSite = request.headers['sec-fetch-site'];
      if (fetchSite === 'cross-site') {
        throw new HttpError('CSRF_REJECTED', 'this request came from another site and was refused');
      }
      const token = request.headers['x-csrf-token'];
      const ok = p.sessions.csrfMatches(typeof token === 'string' ? token : undefined, {
        session: request.cookies[SESSION_COOKIE],
        pre: request.cookies[PRE_SESSION_COOKIE],
      });
      if (!ok) {
        throw new HttpError(
          'CSRF_REJECTED',
          'the page is out of date (missing or stale x-csrf-token); reload it and try again',
        );
      }
    };
    const allowedOrigin = (origin: string, request: FastifyRequest): boolean => {
      if (origin === publicOrigin) return true;
      // On a developer's machine the page may be opened at another loopback
      // name than PUBLIC_URL says (127.0.0.1 for localhost): same host, same port.
      if (ctx.config.mode !== 'development') return false;
      const host = request.headers.host;
      return host !== undefined && (origin === `https://${host}` || origin === `http://${host}`);
    };

    /** The signed-in recipient, or SESSION_REQUIRED saying why not. */
    const requireSession = async (request: FastifyRequest, reply: FastifyReply): Promise<PortalSession> => {
      const found = await lookup(request, reply, true);
      if (found.session !== undefined) return found.session;
      throw new HttpError(
        'SESSION_REQUIRED',
        found.ended === 'idle'
          ? `you were signed out after ${p.config.idleMinutes} minutes without activity; sign in again`
          : found.ended === 'absolute'
            ? `you were signed out after ${Math.round(p.config.absoluteMinutes / 60)} hours; sign in again`
            : 'sign in to continue',
      );
    };
    const lookup = async (
      request: FastifyRequest,
      reply: FastifyReply,
      touch: boolean,
    ): Promise<{ session?: PortalSession; ended?: 'idle' | 'absolute' }> => {
      const result = await p.sessions.lookup(request.cookies[SESSION_COOKIE], new Date(), touch);
      if (result.status === 'active') return { session: result.session };
      if (result.status === 'ended') {
        await ctx.store.transact(async (trx) => {
          await p.sessions.end(trx, result.idHash);
          await p.audit(trx, {
            actor: recipientActor(result.address),
            action: 'session.expired',
            target: `recipient:${result.address}`,
            outcome: 'ok',
            sourceIp: request.ip,
            detail: { reason: result.reason },
          });
        });
        clear(reply, SESSION_COOKIE);
        return { ended: result.reason };
      }
      if (request.cookies[SESSION_COOKIE] !== undefined) clear(reply, SESSION_COOKIE);
      return {};
    };

    const signedIn = (reply: FastifyReply, signed: Signed): SignInResult => {
      void reply.setCookie(SESSION_COOKIE, signed.sessionId, cookieOptions(p.config.absoluteMinutes * 60));
      return {
        address: signed.session.address,
        csrfToken: p.sessions.csrfToken('session', signed.sessionId),
        ...(signed.threadId !== undefined ? { threadId: signed.threadId } : {}),
        idleExpiresAt: signed.session.idleExpiresAt.toISOString(),
        absoluteExpiresAt: signed.session.absoluteExpiresAt.toISOString(),
      };
    };

    // What strangers reach is limited per client address, on top of the app-wide limit.
    const strangerLimit = {
      config: { rateLimit: { max: p.config.throttle.strangerRequestsPerMinute, timeWindow: 60_000 } },
    };

    /**
     * Secure and reset links, the page, the session's and the link's state:
     * anyone may ask for them, and none acts for the visitor, so no CSRF check.
     */
    const publicReads = (scope: FastifyInstance): Promise<void> => {
      const api = scope.withTypeProvider<ZodTypeProvider>();

      // ---- links -----------------------------------------------------------

      api.get(
        '/r/:token',
        { ...strangerLimit, schema: { params: linkTokenParams } },
        async (request, reply) => {
          const { token } = request.params;
          const link = await findLink(ctx, token);
          if (link === undefined) {
            await p.throttle.check([p.throttle.forClient('link', request.ip)], new Date());
            await p.throttle.fail([p.throttle.forClient('link', request.ip)], new Date());
            clear(reply, LINK_COOKIE);
          } else {
            await p.audit(ctx.store.db, {
              actor: recipientActor(link.address),
              action: 'link.opened',
              target: `envelope:${link.envelopeId}`,
              outcome: 'ok',
              sourceIp: request.ip,
            });
            // The token leaves the address bar (and history) at once; the page reads it from the cookie.
            void reply.setCookie(LINK_COOKIE, token, cookieOptions(p.config.linkCookieMinutes * 60));
          }
          return reply.redirect('/portal/#/link', 303);
        },
      );

      api.get(
        '/portal/reset/:token',
        { ...strangerLimit, schema: { params: linkTokenParams } },
        async (request, reply) => {
          const { token } = request.params;
          await p.throttle.check([p.throttle.forClient('reset', request.ip)], new Date());
          void reply.setCookie(RESET_COOKIE, token.slice(0, 100), cookieOptions(p.config.resetMinutes * 60));
          return reply.redirect('/portal/#/reset', 303);
        },
      );

      // ---- the page --------------------------------------------------------

      api.get('/portal', (_request, reply) => reply.redirect('/portal/', 301));
      api.get('/portal/', (_request, reply) => sendShell(reply));
      api.get('/portal/assets/portal.js', (_request, reply) => sendScript(reply));
      api.get('/portal/assets/*', () => {
        throw new HttpError('NOT_FOUND', 'no such file');
      });
      // Refused before parsing, so a body sent to a route that does not exist is never read.
      api.all(
        '/portal/api/*',
        {
          preParsing: () => {
            throw new HttpError('NOT_FOUND', 'no such route');
          },
        },
        () => {
          throw new HttpError('NOT_FOUND', 'no such route');
        },
      );
      api.get('/portal/*', (_request, reply) => sendShell(reply));

      // ---- session ---------------------------------------------------------

      api.get(
        '/portal/api/session',
        { schema: { response: { 200: sessionInfo } } },
        async (request, reply): Promise<SessionInfo> => {
          // Reading the session's state is not activity: a page left open does not keep itself signed in.
          const found = await lookup(request, reply, false);
          if (found.session !== undefined) {
            const id = request.cookies[SESSION_COOKIE]!;
            return {
              signedIn: true,
              address: found.session.address,
              csrfToken: p.sessions.csrfToken('session', id),
              idleExpiresAt: found.session.idleExpiresAt.toISOString(),
              absoluteExpiresAt: found.session.absoluteExpiresAt.toISOString(),
            };
          }
          let pre = request.cookies[PRE_SESSION_COOKIE];
          if (pre === undefined || !/^[\w-]{40,50}$/.test(pre)) {
            pre = newToken();
            void reply.setCookie(PRE_SESSION_COOKIE, pre, cookieOptions());
          }
          return {
            signedIn: false,
            csrfToken: p.sessions.csrfToken('pre', pre),
            ...(found.ended !== undefined ? { endedReason: found.ended } : {}),
          };
        },
      );

      api.get(
        '/portal/api/link',
        { schema: { response: { 200: linkStateSchema } } },
        async (request, reply) => {
          const found = await lookup(request, reply, true);
          const link = await findLink(ctx, request.cookies[LINK_COOKIE]);
          return linkState(ctx, link, found.session?.address, new Date());
        },
      );
      return Promise.resolve();
    };

    /** Sign-in, registration, passwords, sign-out, sign-in links: the CSRF check, then a few kilobytes at most. */
    const strangerForms = async (scope: FastifyInstance): Promise<void> => {
      // A form is a few fields: a route here that says nothing else reads no more than that.
      scope.addHook('onRoute', (route) => {
        route.bodyLimit ??= FORM_BODY_BYTES;
      });
      scope.addHook('preParsing', (request, _reply, _payload, done) => {
        if (!SAFE_METHODS.has(request.method)) guard(request);
        done();
      });
      const api = scope.withTypeProvider<ZodTypeProvider>();

      api.post(
        '/portal/api/register',
        { ...strangerLimit, schema: { body: registerRequest, response: { 200: signInResult } } },
        async (request, reply) => {
          const signed = await register(p, {
            linkToken: request.cookies[LINK_COOKIE],
            password: request.body.password,
            ip: request.ip,
          });
          return signedIn(reply, signed);
        },
      );

      api.post(
        '/portal/api/sign-in',
        { ...strangerLimit, schema: { body: signInRequest, response: { 200: signInResult } } },
        async (request, reply) => {
          const signed = await signIn(p, {
            address: request.body.address,
            password: request.body.password,
            ip: request.ip,
            linkToken: request.cookies[LINK_COOKIE],
            oldSessionId: request.cookies[SESSION_COOKIE],
          });
          return signedIn(reply, signed);
        },
      );

      api.post('/portal/api/sign-out', async (request, reply) => {
        const found = await p.sessions.lookup(request.cookies[SESSION_COOKIE], new Date(), false);
        if (found.status === 'active') {
          await ctx.store.transact(async (trx) => {
            await p.sessions.end(trx, found.session.idHash);
            await p.audit(trx, {
              actor: recipientActor(found.session.address),
              action: 'signout',
              target: `recipient:${found.session.address}`,
              outcome: 'ok',
              sourceIp: request.ip,
            });
          });
        }
        for (const name of [SESSION_COOKIE, LINK_COOKIE, RESET_COOKIE]) clear(reply, name);
        return reply.status(204).send();
      });

      api.post(
        '/portal/api/password/forgot',
        { ...strangerLimit, schema: { body: forgotPasswordRequest, response: { 202: acceptedNote } } },
        async (request, reply) => {
          await requestReset(p, { address: request.body.address, ip: request.ip });
          return reply.status(202).send({
            message:
              'If this address has an account, a reset link is on its way. It works once, for 30 minutes.',
          });
        },
      );

      api.post(
        '/portal/api/password/reset',
        { ...strangerLimit, schema: { body: resetPasswordRequest } },
        async (request, reply) => {
          await resetPassword(p, {
            token: request.cookies[RESET_COOKIE],
            password: request.body.password,
            ip: request.ip,
          });
          // Whatever session this browser had ended with the others.
          for (const name of [RESET_COOKIE, SESSION_COOKIE]) clear(reply, name);
          return reply.status(204).send();
        },
      );

      await scope.register(signInLinkRoutes(p));
    };

    /** Messages and attachments: the CSRF check where the request changes something, then the session. */
    const signedInRoutes = (scope: FastifyInstance): Promise<void> => {
      scope.addHook('preParsing', async (request, reply) => {
        if (!SAFE_METHODS.has(request.method)) guard(request);
        request.recipient = await requireSession(request, reply);
      });
      const api = scope.withTypeProvider<ZodTypeProvider>();

      // Replies and new messages: only once identity is checked is there room for attachments.
      const composeMb = Math.floor(p.config.messageAttachmentBytes / 1024 / 1024);
      const compose = {
        bodyLimit: base64BodyBytes(p.config.messageAttachmentBytes),
        config: {
          tooLarge: {
            code: 'ATTACHMENT_TOO_LARGE' as const,
            message: `the message is too large; its attachments may come to at most ${composeMb} MB in all`,
          },
        },
      };

      api.get('/portal/api/threads', { schema: { response: { 200: threadList } } }, async (request) => {
        const { address } = recipientOf(request);
        return { threads: await listThreads(ctx, address) };
      });

      api.get(
        '/portal/api/threads/:id',
        { schema: { params: threadParams, response: { 200: threadSchema } } },
        async (request) => {
          const { address } = recipientOf(request);
          const thread = await findThread(ctx, address, request.params.id);
          await readableOrAudit(thread, address, request.ip, 'message.read');
          const view = await loadThread(ctx, address, thread);
          const now = new Date().toISOString();
          await ctx.store.transact(async (trx) => {
            await trx
              .insertInto('portal_reads')
              .values({ thread_id: thread.id, address, read_at: now })
              .onConflict((oc) => oc.column('thread_id').doUpdateSet({ read_at: now }))
              .execute();
            await p.audit(trx, {
              actor: recipientActor(address),
              action: 'message.read',
              target: threadTarget(thread),
              outcome: 'ok',
              sourceIp: request.ip,
              detail: { thread: thread.id, messages: view.messages.length },
            });
          });
          return view;
        },
      );

      api.get(
        '/portal/api/messages/:messageId/attachments/:attachmentId',
        { schema: { params: attachmentParams } },
        async (request, reply) => {
          const { address } = recipientOf(request);
          const { messageId, attachmentId } = request.params;
          const attachment = await findAttachment(ctx, address, messageId, attachmentId);
          await readableOrAudit(attachment.thread, address, request.ip, 'attachment.downloaded');
          // Decrypted and sent there; the outcome goes on the record once every chunk has authenticated.
          return sendAttachment(p, reply, {
            attachment,
            messageId,
            address,
            ip: request.ip,
            target: threadTarget(attachment.thread),
          });
        },
      );

      api.post(
        '/portal/api/threads/:id/reply',
        { ...compose, schema: { params: threadParams, body: replyRequest, response: { 201: replyResult } } },
        async (request, reply) => {
          const { address } = recipientOf(request);
          const message = await sendReply(p, {
            address,
            ip: request.ip,
            threadId: request.params.id,
            request: request.body,
          });
          return reply.status(201).send({ message });
        },
      );

      api.get(
        '/portal/api/correspondents',
        { schema: { response: { 200: correspondentList } } },
        async (request) => {
          const correspondents = await listCorrespondents(ctx, recipientOf(request).address);
          return { correspondents: correspondents.map((address) => ({ address })) };
        },
      );

      api.post(
        '/portal/api/messages',
        { ...compose, schema: { body: newMessageRequest, response: { 201: newMessageResult } } },
        async (request, reply) => {
          const { address } = recipientOf(request);
          const result = await startMessage(p, { address, ip: request.ip, request: request.body });
          return reply.status(201).send(result);
        },
      );
      return Promise.resolve();
    };

    await app.register(publicReads);
    await app.register(strangerForms);
    await app.register(signedInRoutes);
    await app.register(revokeRoutes(p));

    /** A thread past its expiry or withdrawn answers 410, and the refusal is on the record. */
    async function readableOrAudit(
      thread: ThreadRef,
      address: string,
      ip: string,
      action: 'message.read' | 'attachment.downloaded',
    ): Promise<void> {
      try {
        await assertReadable(ctx, thread, new Date());
      } catch (e) {
        if (e instanceof HttpError) {
          await p.audit(ctx.store.db, {
            actor: recipientActor(address),
            action,
            target: threadTarget(thread),
            outcome: 'denied',
            sourceIp: ip,
            detail: { thread: thread.id, reason: e.code === 'REVOKED' ? 'revoked' : 'expired' },
          });
        }
        throw e;
      }
    }
  };
}

/** The recipient the signed-in routes' hook let in; only those routes call it. */
function recipientOf(request: FastifyRequest): PortalSession {
  if (request.recipient === undefined)
    throw new Error('route needs the session hook of the signed-in routes');
  return request.recipient;
}

function threadTarget(thread: ThreadRef): string {
  return thread.kind === 'envelope' ? `envelope:${thread.envelopeId}` : `thread:${thread.id}`;
}
