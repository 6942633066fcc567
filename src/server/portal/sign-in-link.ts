import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import {
  acceptedNote,
  signInLinkQuery,
  signInLinkRequest,
  signInResult,
  signInWithLinkRequest,
  type SignInResult,
} from '../../shared/portal-api';
import type { ZodTypeProvider } from '../http/schemas';
import { acceptSignInLinkRequest, mailSignInLink, signInWithLink } from './account';
import type { Portal } from './portal';
import { SESSION_COOKIE, SIGN_IN_LINK_COOKIE } from './sessions';

/**
 * E-mailed one-time sign-in links:
 *
 * - `POST /portal/api/sign-in-link` `{address}` → 202, the same for every
 *   address; the link is mailed after the answer has left;
 * - `GET /portal/sign-in-link?token=…` keeps the token in a cookie and
 *   redirects to the page, which asks for a click (a scanner that follows
 *   links in mail must not spend it);
 * - `POST /portal/api/sign-in-link/use` signs in with the cookie's token.
 *
 * Registered among the portal's stranger forms, whose hooks give the POSTs
 * the same checks as every other state-changing portal request before the
 * body is read (this server's own origin, not a cross-site request, the CSRF
 * token of the cookies it came with; without them, another site could sign a
 * visitor in to an account of its choosing) and a form's few kilobytes.
 */
export function signInLinkRoutes(p: Portal): FastifyPluginAsync {
  return (scope: FastifyInstance): Promise<void> => {
    const app = scope.withTypeProvider<ZodTypeProvider>();
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

    // Link mails still being written when the server stops are finished first.
    const pending = new Set<Promise<void>>();
    app.addHook('onClose', async () => {
      await Promise.allSettled([...pending]);
    });

    app.post(
      '/portal/api/sign-in-link',
      { config: strangerLimit, schema: { body: signInLinkRequest, response: { 202: acceptedNote } } },
      async (request, reply) => {
        await acceptSignInLinkRequest(p, { ip: request.ip });
        const work = mailSignInLink(p, { address: request.body.address, ip: request.ip }).catch(
          (e: unknown) => {
            request.log.error(
              { err: { message: e instanceof Error ? e.message : 'unknown' } },
              'sign-in link not queued',
            );
          },
        );
        pending.add(work);
        void work.finally(() => pending.delete(work));
        const minutes = p.config.signInLinkMinutes;
        return reply.status(202).send({
          message: `If this address has an account, a sign-in link is on its way. It works once, for ${minutes} minutes. If none arrives, use the newest sign-in link you received in the last ${minutes} minutes.`,
        });
      },
    );

    app.get(
      '/portal/sign-in-link',
      { config: strangerLimit, schema: { querystring: signInLinkQuery } },
      async (request, reply) => {
        const { token } = request.query;
        if (token !== undefined && token !== '') {
          void reply.setCookie(
            SIGN_IN_LINK_COOKIE,
            token.slice(0, 100),
            cookieOptions(p.config.signInLinkMinutes * 60),
          );
        }
        return reply.redirect('/portal/#/email-link-sign-in', 303);
      },
    );

    app.post(
      '/portal/api/sign-in-link/use',
      {
        config: strangerLimit,
        schema: { body: signInWithLinkRequest, response: { 200: signInResult } },
      },
      async (request, reply): Promise<SignInResult> => {
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
      },
    );
    return Promise.resolve();
  };
}
