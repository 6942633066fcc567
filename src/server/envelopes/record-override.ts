import type { RecordOverrideRequest, RecordOverrideResponse } from '../../shared/api';
import { scanText } from '../../detect/index';
import { appendAudit } from '../audit/audit-log';
import { auditList } from '../audit/detail-list';
import type { Sender } from '../auth/sender-auth';
import type { ServerContext } from '../context';
import { HttpError } from '../errors';
import { newId } from '../ids';
import { senderActor, senderDetail } from './authorise';

/**
 * Puts on the record that a sender sends flagged mail as is: who, when, what
 * was found (types and counts, never values), which domains made it unsafe
 * and why, to whom, and the sender's reason. The add-in lets the message go
 * only after this answer, so no override leaves without its record.
 *
 * The reason is the one free text the audit log takes, so it is short and is
 * itself checked: a reason that quotes the member's SSN would put in the log
 * exactly what the log must never hold.
 */
export async function recordOverride(
  ctx: ServerContext,
  input: { sender: Sender; request: RecordOverrideRequest; sourceIp: string | null },
): Promise<RecordOverrideResponse> {
  const { sender, request } = input;
  const reason = request.reason.trim();
  if (reason === '' && ctx.policy.overrideReason !== 'optional') {
    throw new HttpError(
      'OVERRIDE_REASON_REJECTED',
      'your organization asks for a reason to send this message as is: say why it must go this way',
    );
  }
  if (reason !== '' && scanText(reason, 'text', ctx.policy.detection).length > 0) {
    throw new HttpError(
      'OVERRIDE_REASON_REJECTED',
      'the reason holds sensitive data itself: say why the message must go as is without quoting it',
    );
  }
  const id = newId();
  const at = new Date();
  await appendAudit(ctx.store.db, ctx.keyring.auditKey, ctx.store.dialect, {
    actor: senderActor(sender),
    action: 'message.override',
    target: `override:${id}`,
    outcome: 'ok',
    sourceIp: input.sourceIp,
    at,
    detail: {
      draft: request.draft,
      reason: reason === '' ? null : reason,
      found: auditList(
        Object.entries(request.findings)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([type, n]) => `${type}×${n}`),
      ),
      unscanned: request.unscanned,
      domains: auditList(request.domains.map((d) => `${d.domain} (${d.why}, ${d.level})`)),
      recipients: auditList(request.recipients),
      recipientCount: request.recipients.length,
      ...senderDetail(sender),
    },
  });
  return { id, recordedAt: at.toISOString() };
}
