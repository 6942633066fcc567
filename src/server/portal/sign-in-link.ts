import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { signInLinkRequest, type SignInResult } from '../../shared/portal-api';
import { HttpError } from '../errors';
import { acceptSignInLinkRequest, mailSignInLink, signInWithLink } from './account';
import type { Portal } from './portal';
import { PRE_SESSION_COOKIE, SESSION_COOKIE, SIGN_IN_LINK_COOKIE } from './sessions';

/** The few hundred bytes an address needs; nothing larger is read. */
const FORM_BODY_BYTES = 8 * 1024;

/**
 * E-mailed one-time sign-in links, and the Retry-After header for the
 * portal's waits:
 *
 * - `POST /portal/api/sign-in-link` `{address}` → 202, the same for every
 *   address; the link is mailed after the answer has left;
 * - `GET /portal/sign-in-link?token=…` keeps the token in a cookie and
 *   redirects to the page, which asks for a click (a scanner that follows
 *   links in mail must not spend it);
 * - `POST /portal/api/sign-in-link/use` signs in with the cookie's token.
 *
 * Registered into the portal's own scope (not a child of it), so that its
 * onError hook also gives the sign-in route's RATE_LIMITED and SIGN_IN_BUSY
 * answers their Retry-After.
 */
export function signInLinkRoutes(p: Portal): FastifyPluginAsync {
  const plugin = (app: FastifyInstance): Promise<void> => {
    const publicOrigin = new URL(p.ctx.config.publicUrl).origin;
    const cookieOptions = (maxAgeSeconds?: number) => ({
      path: '/',
      secure: true,
      httpOnly: true,
      sameSite: 'strict' as const,
      ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
    });
    const strangerLimit = {
      rateLimit: { max: p.config.throttle.strangerRequestsPerMinute, timeWindow: 60_000 },
    };

    app.addHook('onError', (_request, reply, error, done) => {
      const wait = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
      if (error instanceof HttpError && typeof wait === 'number')
        void reply.header('retry-after', String(wait));
      done();
    });

    // Link mails still being written when the server stops are finished first.
    const pending = new Set<Promise<void>>();
    app.addHook('onClose', async () => {
      await Promise.allSettled([...pending]);
    });

    /**
     * The same checks as every other state-changing portal request, before
     * the body is read: this server's own origin, not a cross-site request,
     * and the CSRF token of the cookies it came with. Without them, another
     * site could sign a visitor in to an account of its choosing.
     */
    const guard = (request: FastifyRequest): void => {
      const origin = request.headers.origin;
      if (origin !== undefined && !allowedOrigin(origin, request)) {
        throw new HttpError('CSRF_REJECTED', 'this request came from another site and was refused');
      }
      if (request.headers['sec-fetch-site'] === 'cross-site') {
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
      // A developer's machine may open the page at another loopback name than PUBLIC_URL says.
      if (p.ctx.config.mode !== 'development') return false;
      const host = request.headers.host;
      return host !== undefined && (origin === `https://${host}` || origin === `http://${host}`);
    };
    const form = {
      onRequest: (request: FastifyRequest, _reply: FastifyReply, done: () => void): void => {
        guard(request);
        done();
      },
      bodyLimit: FORM_BODY_BYTES,
      config: strangerLimit,
    };

    app.post('/portal/api/sign-in-link', form, async (request, reply) => {
      const parsed = signInLinkRequest.safeParse(request.body ?? {});
      if (!parsed.success) {
        throw new HttpError('INVALID_ADDRESS', 'address: must be an e-mail address such as name@example.org');
      }
      await acceptSignInLinkRequest(p, { ip: request.ip });
      const work = mailSignInLink(p, { address: parsed.data.address, ip: request.ip }).catch((e: unknown) => {
        request.log.error(
          { err: { message: e instanceof Error ? e.message : 'unknown' } },
          'sign-in link not queued',
        );
      });
      pending.add(work);
      void work.finally(() => pending.delete(work));
      const minutes = p.config.signInLinkMinutes;
      return reply.status(202).send({
        message: `If this address has an account, a sign-in link is on its way. It works once, for ${minutes} minutes. If none arrives, use the newest sign-in link you received in the last ${minutes} minutes.`,
      });
    });

    app.get('/portal/sign-in-link', { config: strangerLimit }, async (request, reply) => {
      const { token } = request.query as { token?: unknown };
      if (typeof token === 'string' && token !== '') {
        void reply.setCookie(
          SIGN_IN_LINK_COOKIE,
          token.slice(0, 100),
          cookieOptions(p.config.signInLinkMinutes * 60),
        );
      }
      return reply.redirect('/portal/#/email-link-sign-in', 303);
    });

    app.post('/portal/api/sign-in-link/use', form, async (request, reply): Promise<SignInResult> => {
      const signed = await signInWithLink(p, {
        token: request.cookies[SIGN_IN_LINK_COOKIE],
        ip: request.ip,
        oldSessionId: request.cookies[SESSION_COOKIE],
      });
      void reply.clearCookie(SIGN_IN_LINK_COOKIE, cookieOptions());
      void reply.setCookie(SESSION_COOKIE, signed.sessionId, cookieOptions(p.config.absoluteMinutes * 60));
      return {
        address: signed.session.address,
        csrfToken: p.sessions.csrfToken('session', signed.sessionId),
        idleExpiresAt: signed.session.idleExpiresAt.toISOString(),
        absoluteExpiresAt: signed.session.absoluteExpiresAt.toISOString(),
      };
    });
    return Promise.resolve();
  };
  // Fastify's own marker for "register into the caller's scope" (what fastify-plugin sets).
  Object.assign(plugin, { [Symbol.for('skip-override')]: true });
  return plugin;
}
