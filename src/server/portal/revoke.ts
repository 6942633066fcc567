import type { FastifyPluginAsync } from 'fastify';
import { revokeParams, revokeRequest, revokeResult } from '../../shared/portal-api';
import { requireSender, senderOf } from '../auth/sender-hook';
import { senderActor, senderDetail } from '../envelopes/authorise';
import { HttpError } from '../errors';
import type { ZodTypeProvider } from '../http/schemas';
import type { Portal } from './portal';

/**
 * `POST /v1/envelopes/:id/revoke`: the sender withdraws an envelope. Only the
 * envelope's own sender may; for anyone else the envelope does not exist.
 * From then on its recipients are told plainly that it was withdrawn.
 */
export function revokeRoutes(p: Portal): FastifyPluginAsync {
  return (plugin) => {
    requireSender(plugin, p.ctx);
    const app = plugin.withTypeProvider<ZodTypeProvider>();
    app.post(
      '/v1/envelopes/:id/revoke',
      { schema: { params: revokeParams, body: revokeRequest, response: { 200: revokeResult } } },
      async (request) => {
        const sender = senderOf(request);
        const { id } = request.params;
        const db = p.ctx.store.db;
        const envelope = /^[\w-]{1,64}$/.test(id)
          ? await db
              .selectFrom('envelopes')
              .select(['id', 'revoked_at'])
              .where('id', '=', id)
              .where('sender_subject', '=', sender.subject)
              .where('tenant_id', '=', sender.tenantId)
              .executeTakeFirst()
          : undefined;
        if (envelope === undefined) throw new HttpError('NOT_FOUND', 'no such envelope of yours');
        if (envelope.revoked_at !== null) return { id, revokedAt: envelope.revoked_at };
        const at = new Date().toISOString();
        await p.ctx.store.transact(async (trx) => {
          await trx
            .updateTable('envelopes')
            .set({ revoked_at: at })
            .where('id', '=', id)
            .where('revoked_at', 'is', null)
            .execute();
          await p.audit(trx, {
            actor: senderActor(sender),
            action: 'envelope.revoked',
            target: `envelope:${id}`,
            outcome: 'ok',
            sourceIp: request.ip,
            detail: senderDetail(sender),
          });
        });
        return { id, revokedAt: at };
      },
    );
    return Promise.resolve();
  };
}
