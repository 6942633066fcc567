import type { FastifyPluginAsync } from 'fastify';
import { normalizeMailDomain, tlsCheckRequest, type TlsCheckResponse } from '../../shared/tls-verdict';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';

/**
 * `POST /v1/tls/check` `{domains}` → `{results}`: one verdict per domain, in
 * order, within the checker's deadline. Public like the policy (only domain
 * names travel), so new probes are budgeted per client address.
 */
export function tlsCheckRoutes(ctx: ServerContext): FastifyPluginAsync {
  return (app) => {
    app.post(
      '/v1/tls/check',
      {
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
        const domains = parseDomains(request.body, ctx.config.tlsCheck.maxDomainsPerRequest);
        const results = await ctx.tlsChecker.check(domains, { client: request.ip });
        return { results } satisfies TlsCheckResponse;
      },
    );
    return Promise.resolve();
  };
}

/** Enough for the largest batch allowed (500 names of 253 characters), with room for JSON. */
const BODY_LIMIT = 160 * 1024;

/** The request's domains in ASCII form, or a 400 that names the first bad one. */
export function parseDomains(body: unknown, max: number): string[] {
  const parsed = tlsCheckRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'too_big' && issue.path.length === 1) {
      throw new HttpError('TOO_MANY_DOMAINS', `ask about at most ${max} domains at a time`);
    }
    throw new HttpError(
      'VALIDATION_FAILED',
      `${issue.path.join('.') || 'body'}: ${issue.message} (send {"domains": ["example.org", ...]})`,
    );
  }
  const { domains } = parsed.data;
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
