import type { FastifyPluginAsync } from 'fastify';
import { createEnvelopeRequest, resendLinksRequest } from '../../shared/api';
import { base64BodyBytes } from '../body-limits';
import type { ServerContext } from '../context';
import { createEnvelope } from '../envelopes/create-envelope';
import { resendLinks } from '../envelopes/resend-links';
import type { Sender } from '../auth/sender-auth';
import { HttpError } from '../errors';

const IDEMPOTENCY_KEY = /^[\w.:-]{8,200}$/;

/** Up to 500 addresses of at most 254 characters, with room for JSON. */
const RESEND_BODY_BYTES = 192 * 1024;

export function envelopeRoutes(ctx: ServerContext): FastifyPluginAsync {
  return (app) => {
    // The sender is checked before the body is read: a stranger cannot make
    // the server receive and parse a 40 MB request.
    const senders = new WeakMap<object, Sender>();
    const totalMb = Math.floor(ctx.config.limits.totalBytes / 1024 / 1024);
    app.post(
      '/v1/envelopes',
      {
        onRequest: async (request) => {
          senders.set(request, await ctx.verifier.verify(request.headers.authorization));
        },
        // The only route of the API that takes a whole message: attachments up to the configured total, base64 in JSON.
        bodyLimit: base64BodyBytes(ctx.config.limits.totalBytes),
        config: {
          tooLarge: {
            code: 'ENVELOPE_TOO_LARGE',
            message: `the request is too large; messages may be at most ${totalMb} MB`,
          },
        },
      },
      async (request, reply) => {
        const sender = senders.get(request)!;
        const key = request.headers['idempotency-key'];
        if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
          throw new HttpError(
            'IDEMPOTENCY_KEY_REQUIRED',
            'send an Idempotency-Key header (8-200 letters, digits, ".", ":", "_" or "-") so a retry cannot send twice',
          );
        }
        const parsed = createEnvelopeRequest.safeParse(request.body);
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new HttpError(
            issue.path.length > 0 &&
              ['from', 'to', 'cc', 'bcc'].includes(String(issue.path[0])) &&
              issue.code !== 'too_big'
              ? 'INVALID_ADDRESS'
              : 'VALIDATION_FAILED',
            `${issue.path.join('.') || 'body'}: ${issue.message}`,
          );
        }
        const response = await createEnvelope(ctx, {
          sender,
          request: parsed.data,
          idempotencyKey: key,
          sourceIp: request.ip,
        });
        return reply.status(201).send(response);
      },
    );
    app.post(
      '/v1/envelopes/:id/resend',
      {
        onRequest: async (request) => {
          senders.set(request, await ctx.verifier.verify(request.headers.authorization));
        },
        bodyLimit: RESEND_BODY_BYTES,
      },
      async (request) => {
        const sender = senders.get(request)!;
        const { id } = request.params as { id: string };
        const parsed = resendLinksRequest.safeParse(request.body ?? {});
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          throw new HttpError('INVALID_ADDRESS', `${issue.path.join('.') || 'body'}: ${issue.message}`);
        }
        return resendLinks(ctx, {
          sender,
          envelopeId: id,
          addresses: parsed.data.recipients,
          sourceIp: request.ip,
        });
      },
    );
    return Promise.resolve();
  };
}
