import cookie from '@fastify/cookie';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import {
  forgotPasswordRequest,
  newMessageRequest,
  registerRequest,
  replyRequest,
  resetPasswordRequest,
  signInRequest,
  type SessionInfo,
  type SignInResult,
} from '../../shared/portal-api';
import { base64BodyBytes, FORM_BODY_BYTES } from '../body-limits';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';
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

/** The recipient portal: `/portal/`, `/portal/api/*`, secure links `/r/<token>`. */
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
    const requireSession = async (
      request: FastifyRequest,
      reply: FastifyReply,
      touch = true,
    ): Promise<PortalSession> => {
      const found = await lookup(request, reply, touch);
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

    // Every state-changing route is checked in preParsing, which runs after
    // the rate limits (onRequest) and before a byte of the body is read: a
    // request from another site, without the page's CSRF token or (where one
    // is needed) without a session is refused without the server receiving,
    // holding or parsing its body.
    /** Forms (sign-in, registration, passwords, sign-out): the CSRF check, then a few kilobytes at most. */
    const form = {
      preParsing: (
        request: FastifyRequest,
        _reply: FastifyReply,
        _payload: unknown,
        done: () => void,
      ): void => {
        guard(request);
        done();
      },
      bodyLimit: FORM_BODY_BYTES,
    };
    /** Replies and new messages: the CSRF check and the session, and only then room for attachments. */
    const sessions = new WeakMap<FastifyRequest, PortalSession>();
    const composeMb = Math.floor(p.config.messageAttachmentBytes / 1024 / 1024);
    const compose = {
      preParsing: async (request: FastifyRequest, reply: FastifyReply): Promise<undefined> => {
        guard(request);
        sessions.set(request, await requireSession(request, reply));
        return undefined;
      },
      bodyLimit: base64BodyBytes(p.config.messageAttachmentBytes),
      config: {
        tooLarge: {
          code: 'ATTACHMENT_TOO_LARGE' as const,
          message: `the message is too large; its attachments may come to at most ${composeMb} MB in all`,
        },
      },
    };

    // ---- links -------------------------------------------------------------

    app.get('/r/:token', strangerLimit, async (request, reply) => {
      const { token } = request.params as { token: string };
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
    });

    app.get('/portal/reset/:token', strangerLimit, async (request, reply) => {
      const { token } = request.params as { token: string };
      await p.throttle.check([p.throttle.forClient('reset', request.ip)], new Date());
      void reply.setCookie(RESET_COOKIE, token.slice(0, 100), cookieOptions(p.config.resetMinutes * 60));
      return reply.redirect('/portal/#/reset', 303);
    });

    // ---- the page ----------------------------------------------------------

    app.get('/portal', (_request, reply) => reply.redirect('/portal/', 301));
    app.get('/portal/', (_request, reply) => sendShell(reply));
    app.get('/portal/assets/portal.js', (_request, reply) => sendScript(reply));
    app.get('/portal/assets/*', () => {
      throw new HttpError('NOT_FOUND', 'no such file');
    });
    // Refused before parsing, so a body sent to a route that does not exist is never read.
    app.all(
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
    app.get('/portal/*', (_request, reply) => sendShell(reply));

    // ---- session -----------------------------------------------------------

    app.get(
      '/portal/api/session',
      async (request, reply): Promise<SessionInfo & { endedReason?: string }> => {
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

    app.get('/portal/api/link', async (request, reply) => {
      const found = await lookup(request, reply, true);
      const link = await findLink(ctx, request.cookies[LINK_COOKIE]);
      return linkState(ctx, link, found.session?.address, new Date());
    });

    app.post('/portal/api/register', { ...strangerLimit, ...form }, async (request, reply) => {
      const body = parse(registerRequest, request.body);
      const signed = await register(p, {
        linkToken: request.cookies[LINK_COOKIE],
        password: body.password,
        ip: request.ip,
      });
      return signedIn(reply, signed);
    });

    app.post('/portal/api/sign-in', { ...strangerLimit, ...form }, async (request, reply) => {
      const body = parse(signInRequest, request.body);
      const signed = await signIn(p, {
        address: body.address,
        password: body.password,
        ip: request.ip,
        linkToken: request.cookies[LINK_COOKIE],
        oldSessionId: request.cookies[SESSION_COOKIE],
      });
      return signedIn(reply, signed);
    });

    app.post('/portal/api/sign-out', form, async (request, reply) => {
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

    app.post('/portal/api/password/forgot', { ...strangerLimit, ...form }, async (request, reply) => {
      const body = parse(forgotPasswordRequest, request.body);
      await requestReset(p, { address: body.address, ip: request.ip });
      return reply.status(202).send({
        message: 'If this address has an account, a reset link is on its way. It works once, for 30 minutes.',
      });
    });

    app.post('/portal/api/password/reset', { ...strangerLimit, ...form }, async (request, reply) => {
      const body = parse(resetPasswordRequest, request.body);
      await resetPassword(p, {
        token: request.cookies[RESET_COOKIE],
        password: body.password,
        ip: request.ip,
      });
      // Whatever session this browser had ended with the others.
      for (const name of [RESET_COOKIE, SESSION_COOKIE]) clear(reply, name);
      return reply.status(204).send();
    });

    // ---- messages ----------------------------------------------------------

    app.get('/portal/api/threads', async (request, reply) => {
      const session = await requireSession(request, reply);
      return { threads: await listThreads(ctx, session.address) };
    });

    app.get('/portal/api/threads/:id', async (request, reply) => {
      const session = await requireSession(request, reply);
      const { id } = request.params as { id: string };
      const thread = await findThread(ctx, session.address, id);
      await readableOrAudit(thread, session.address, request.ip, 'message.read');
      const view = await loadThread(ctx, session.address, thread);
      const now = new Date().toISOString();
      await ctx.store.transact(async (trx) => {
        await trx
          .insertInto('portal_reads')
          .values({ thread_id: thread.id, address: session.address, read_at: now })
          .onConflict((oc) => oc.column('thread_id').doUpdateSet({ read_at: now }))
          .execute();
        await p.audit(trx, {
          actor: recipientActor(session.address),
          action: 'message.read',
          target: threadTarget(thread),
          outcome: 'ok',
          sourceIp: request.ip,
          detail: { thread: thread.id, messages: view.messages.length },
        });
      });
      return view;
    });

    app.get('/portal/api/messages/:messageId/attachments/:attachmentId', async (request, reply) => {
      const session = await requireSession(request, reply);
      const { messageId, attachmentId } = request.params as { messageId: string; attachmentId: string };
      const attachment = await findAttachment(ctx, session.address, messageId, attachmentId);
      await readableOrAudit(attachment.thread, session.address, request.ip, 'attachment.downloaded');
      // Decrypted and sent there; the outcome goes on the record once every chunk has authenticated.
      return sendAttachment(p, reply, {
        attachment,
        messageId,
        address: session.address,
        ip: request.ip,
        target: threadTarget(attachment.thread),
      });
    });

    app.post('/portal/api/threads/:id/reply', compose, async (request, reply) => {
      const session = sessions.get(request)!;
      const { id } = request.params as { id: string };
      const body = parse(replyRequest, request.body);
      const message = await sendReply(p, {
        address: session.address,
        ip: request.ip,
        threadId: id,
        request: body,
      });
      return reply.status(201).send({ message });
    });

    app.get('/portal/api/correspondents', async (request, reply) => {
      const session = await requireSession(request, reply);
      const correspondents = await listCorrespondents(ctx, session.address);
      return { correspondents: correspondents.map((address) => ({ address })) };
    });

    app.post('/portal/api/messages', compose, async (request, reply) => {
      const session = sessions.get(request)!;
      const body = parse(newMessageRequest, request.body);
      const result = await startMessage(p, { address: session.address, ip: request.ip, request: body });
      return reply.status(201).send(result);
    });

    await app.register(revokeRoutes(p));
    await app.register(signInLinkRoutes(p));

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

function threadTarget(thread: ThreadRef): string {
  return thread.kind === 'envelope' ? `envelope:${thread.envelopeId}` : `thread:${thread.id}`;
}

/** A body that does not fit the contract: PASSWORD_REJECTED for the password's own rules, else VALIDATION_FAILED. */
function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.join('.');
  if (field === 'password' && (issue.code === 'too_small' || issue.code === 'too_big')) {
    throw new HttpError(
      'PASSWORD_REJECTED',
      issue.code === 'too_small' ? 'use at least 8 characters' : 'use at most 128 characters',
    );
  }
  if (field === 'address' || field === 'to') {
    throw new HttpError('INVALID_ADDRESS', `${field}: must be an e-mail address such as name@example.org`);
  }
  throw new HttpError('VALIDATION_FAILED', `${field || 'body'}: ${issue.message}`);
}
