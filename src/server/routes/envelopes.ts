import type { FastifyPluginAsync } from 'fastify';
import {
  apiErrorResponse,
  createEnvelopeRequest,
  createEnvelopeResponse,
  envelopeOutcomeRequest,
  envelopeOutcomeResponse,
  envelopeParams,
  idempotencyHeaders,
  changeExpiryRequest,
  changeExpiryResponse,
  recordOverrideRequest,
  recordOverrideResponse,
  sentItemsQuery,
  sentItemsResponse,
  resendLinksRequest,
  resendLinksResponse,
} from '../../shared/api';
import { requireSender, senderOf } from '../auth/sender-hook';
import { base64BodyBytes } from '../body-limits';
import type { ServerContext } from '../context';
import { createEnvelope } from '../envelopes/create-envelope';
import { settleOutcome } from '../envelopes/idempotency';
import { changeExpiry } from '../envelopes/change-expiry';
import { recordOverride } from '../envelopes/record-override';
import { sentItems } from '../envelopes/sent-items';
import { resendLinks } from '../envelopes/resend-links';
import type { ZodTypeProvider } from '../http/schemas';

/** Up to 500 addresses of at most 254 characters, with room for JSON. */
const RESEND_BODY_BYTES = 192 * 1024;
/** As many addresses, and a hundred domains beside them. */
const OVERRIDE_BODY_BYTES = 224 * 1024;

export function envelopeRoutes(ctx: ServerContext): FastifyPluginAsync {
  return (plugin) => {
    // The sender is checked before the body is read: a stranger cannot make
    // the server receive and parse a 40 MB request.
    requireSender(plugin, ctx);
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    const totalMb = Math.floor(ctx.config.limits.totalBytes / 1024 / 1024);
    app.post(
      '/v1/envelopes',
      {
        schema: {
          summary: 'Secure a message: encrypt it, notify its recipients, answer the notice Outlook sends',
          headers: idempotencyHeaders,
          body: createEnvelopeRequest,
          response: { 201: createEnvelopeResponse, '4xx': apiErrorResponse },
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
        const response = await createEnvelope(ctx, {
          sender: senderOf(request),
          request: request.body,
          idempotencyKey: request.headers['idempotency-key'],
          sourceIp: request.ip,
        });
        return reply.status(201).send(response);
      },
    );
    app.post(
      '/v1/envelopes/outcome',
      {
        schema: {
          summary:
            'What became of the send an Idempotency-Key names, when its answer was lost: sent, or not sent (and never will be)',
          headers: idempotencyHeaders,
          body: envelopeOutcomeRequest,
          response: { 200: envelopeOutcomeResponse, '4xx': apiErrorResponse },
        },
        bodyLimit: 1024,
      },
      async (request) => settleOutcome(ctx, senderOf(request).subject, request.headers['idempotency-key']),
    );
    app.post(
      '/v1/envelopes/:id/expiry',
      {
        schema: {
          summary: 'Move a secure message’s expiry later or sooner (its links move with it)',
          params: envelopeParams,
          body: changeExpiryRequest,
          response: { 200: changeExpiryResponse, '4xx': apiErrorResponse },
        },
        bodyLimit: 1024,
      },
      async (request) =>
        changeExpiry(ctx, {
          sender: senderOf(request),
          envelopeId: request.params.id,
          expiresAt: request.body.expiresAt,
          sourceIp: request.ip,
        }),
    );
    app.get(
      '/v1/sent',
      {
        schema: {
          summary:
            "The sender's own secure messages, newest first: each recipient's notice delivery, opens and replies",
          querystring: sentItemsQuery,
          response: { 200: sentItemsResponse, '4xx': apiErrorResponse },
        },
      },
      async (request) => sentItems(ctx, senderOf(request), request.query.limit),
    );
    app.post(
      '/v1/overrides',
      {
        schema: {
          summary:
            'Record that flagged mail goes as is: what was found (types and counts), to which domains and why, and the reason',
          body: recordOverrideRequest,
          response: { 201: recordOverrideResponse, '4xx': apiErrorResponse },
        },
        bodyLimit: OVERRIDE_BODY_BYTES,
      },
      async (request, reply) => {
        const recorded = await recordOverride(ctx, {
          sender: senderOf(request),
          request: request.body,
          sourceIp: request.ip,
        });
        return reply.status(201).send(recorded);
      },
    );
    app.post(
      '/v1/envelopes/:id/resend',
      {
        schema: {
          summary: 'Send recipients a fresh secure link, all of them or those listed',
          params: envelopeParams,
          body: resendLinksRequest,
          response: { 200: resendLinksResponse, '4xx': apiErrorResponse },
        },
        bodyLimit: RESEND_BODY_BYTES,
      },
      async (request) =>
        resendLinks(ctx, {
          sender: senderOf(request),
          envelopeId: request.params.id,
          addresses: request.body.recipients,
          sourceIp: request.ip,
        }),
    );
    return Promise.resolve();
  };
}
