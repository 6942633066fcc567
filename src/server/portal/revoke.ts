import type { FastifyPluginAsync } from 'fastify';
import { revokeParams, revokeRequest, revokeResult, type RevokeResult } from '../../shared/portal-api';
import type { Sender } from '../auth/sender-auth';
import { requireSender, senderOf } from '../auth/sender-hook';
import { findOwnEnvelope, senderActor, senderDetail } from '../envelopes/authorise';
import { auditList } from '../audit/detail-list';
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
        const envelope = await findOwnEnvelope(p.ctx, sender, id);
        const only = request.body.recipients;
        if (envelope.revoked_at !== null) return { id, revokedAt: envelope.revoked_at };
        if (only !== undefined) return withdrawFrom(request.ip, sender, id, only);
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

  /**
   * Withdraws the message from some of its recipients: their links and
   * threads answer "withdrawn", the others still read it. Every address must
   * be one of the envelope's recipients, or nothing changes.
   */
  async function withdrawFrom(
    ip: string,
    sender: Sender,
    id: string,
    addresses: readonly string[],
  ): Promise<RevokeResult> {
    const wanted = [...new Set(addresses.map((a) => a.toLowerCase()))];
    const db = p.ctx.store.db;
    const rows = await db
      .selectFrom('envelope_recipients')
      .select(['address', 'revoked_at'])
      .where('envelope_id', '=', id)
      .where('address', 'in', wanted)
      .execute();
    const unknown = wanted.filter((a) => !rows.some((r) => r.address === a));
    if (unknown.length > 0) {
      throw new HttpError(
        'INVALID_ADDRESS',
        `not a recipient of this message: ${unknown.slice(0, 3).join(', ')}`,
      );
    }
    const at = new Date().toISOString();
    await p.ctx.store.transact(async (trx) => {
      await trx
        .updateTable('envelope_recipients')
        .set({ revoked_at: at })
        .where('envelope_id', '=', id)
        .where('address', 'in', wanted)
        .where('revoked_at', 'is', null)
        .execute();
      await p.audit(trx, {
        actor: senderActor(sender),
        action: 'envelope.revoked',
        target: `envelope:${id}`,
        outcome: 'ok',
        sourceIp: ip,
        detail: { ...senderDetail(sender), recipients: auditList(wanted), recipientCount: wanted.length },
      });
    });
    return {
      id,
      revokedAt: null,
      recipients: rows.map((r) => ({ address: r.address, revokedAt: r.revoked_at ?? at })),
    };
  }
}
