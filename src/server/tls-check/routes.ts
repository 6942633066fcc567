import type { FastifyPluginAsync } from 'fastify';
import { apiErrorResponse } from '../../shared/api';
import { normalizeMailDomain, tlsCheckRequest, tlsCheckResponse } from '../../shared/tls-verdict';
import type { Sender } from '../auth/sender-auth';
import { requireSender, senderOf } from '../auth/sender-hook';
import type { ZodTypeProvider } from '../http/schemas';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';

/**
 * `POST /v1/tls/check` `{domains}` → `{results}`: one verdict per domain, in
 * order, within the checker's deadline. Every domain not yet cached costs
 * outbound DNS and SMTP probes, so only signed-in senders may ask (the same
 * bearer token as for envelopes), and new probes are budgeted per sender:
 * one sender, or anyone behind one address, cannot spend the others' budget.
 */
export function tlsCheckRoutes(ctx: ServerContext): FastifyPluginAsync {
  return (plugin) => {
    // The sender is checked before the body is read, as for envelopes.
    requireSender(plugin, ctx);
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    app.post(
      '/v1/tls/check',
      {
        schema: {
          summary: "Each domain's TLS verdict, as the organisation's policy reads it",
          body: tlsCheckRequest,
          response: { 200: tlsCheckResponse, '4xx': apiErrorResponse },
        },
        // Domain names only: a few kilobytes, not the 40 MB an envelope may be.
        bodyLimit: BODY_LIMIT,
        // Too large means too many domains here; anything else goes to the app's handler.
        errorHandler: (error, _request, reply): void => {
          if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error;
          const max = ctx.config.tlsCheck.maxDomainsPerRequest;
          const refusal = new HttpError(
            'TOO_MANY_DOMAINS',
            `the request is too large; ask about at most ${max} domains at a time`,
          );
          void reply.status(refusal.status).send(refusal.toJSON());
        },
      },
      async (request) => {
        const domains = normalizeDomains(request.body.domains, ctx.config.tlsCheck.maxDomainsPerRequest);
        const results = await ctx.tlsChecker.check(domains, { client: budgetKey(senderOf(request)) });
        return { results };
      },
    );
    return Promise.resolve();
  };
}

/** A sender's probe budget: the identity provider's stable user id within its tenant, not the address it asks from. */
function budgetKey(sender: Sender): string {
  return `sender:${sender.tenantId}/${sender.subject}`;
}

/** Enough for the largest batch allowed (500 names of 253 characters), with room for JSON. */
const BODY_LIMIT = 160 * 1024;

/** The request's domains in ASCII form, or a 400 that names the first bad one. */
export function normalizeDomains(domains: readonly string[], max: number): string[] {
  if (domains.length > max) {
    throw new HttpError('TOO_MANY_DOMAINS', `ask about at most ${max} domains at a time`);
  }
  return domains.map((input, i) => {
    const domain = normalizeMailDomain(input);
    if (domain === null) {
      throw new HttpError(
        'INVALID_DOMAIN',
        `domains.${i}: ${JSON.stringify(input.slice(0, 80))} is not a mail domain ` +
          '(give the part after @, such as example.org)',
      );
    }
    return domain;
  });
}
