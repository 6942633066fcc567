/**
 * The sender's secure messages as the server follows them (GET /v1/sent),
 * and the actions on one: withdraw it, or send a recipient a fresh link.
 */
import { MAX_EXPIRY_DAYS, type SentItem, type SentItemsResponse, type SentRecipient } from '../../shared/api';
import { type FetchLike, requestJson } from './http';

export interface SentApi {
  fetch: FetchLike;
  apiBase: string;
  token: () => Promise<string>;
}

const TIMEOUT_MS = 10_000;

export async function listSent(api: SentApi, limit = 10): Promise<SentItem[]> {
  const { body } = await requestJson<SentItemsResponse>(api.fetch, `${api.apiBase}/v1/sent?limit=${limit}`, {
    headers: { authorization: `Bearer ${await api.token()}` },
    timeoutMs: TIMEOUT_MS,
  });
  return body.envelopes;
}

const DAY_MS = 86_400_000;

/** Keeps the message readable `days` longer than it would have been (from now, if that is later). */
export async function extendExpiry(
  api: SentApi,
  item: Pick<SentItem, 'id' | 'expiresAt'>,
  days: number,
): Promise<void> {
  const from = Math.max(Date.now(), Date.parse(item.expiresAt));
  const expiresAt = new Date(
    Math.min(from + days * DAY_MS, Date.now() + MAX_EXPIRY_DAYS * DAY_MS),
  ).toISOString();
  await requestJson(api.fetch, `${api.apiBase}/v1/envelopes/${encodeURIComponent(item.id)}/expiry`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await api.token()}` },
    body: { expiresAt },
    timeoutMs: TIMEOUT_MS,
  });
}

/** Withdraws the message from everyone, or from the recipients named. */
export async function withdraw(api: SentApi, envelopeId: string, recipients?: string[]): Promise<void> {
  await requestJson(api.fetch, `${api.apiBase}/v1/envelopes/${encodeURIComponent(envelopeId)}/revoke`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await api.token()}` },
    body: recipients === undefined ? {} : { recipients },
    timeoutMs: TIMEOUT_MS,
  });
}

export async function resendLink(api: SentApi, envelopeId: string, address: string): Promise<void> {
  await requestJson(api.fetch, `${api.apiBase}/v1/envelopes/${encodeURIComponent(envelopeId)}/resend`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await api.token()}` },
    body: { recipients: [address] },
    timeoutMs: TIMEOUT_MS,
  });
}

/** One recipient's state in a few words: what a representative needs to know first. */
export function recipientStatus(r: SentRecipient): string {
  if (r.revokedAt !== null) return 'Withdrawn';
  if (r.repliedAt !== null) return 'Replied';
  if (r.lastOpenedAt !== null) return 'Opened';
  switch (r.notice) {
    case 'delivered':
      return 'Delivered';
    case 'retrying':
      return 'Delivery retrying';
    case 'dead-lettered':
      return 'Not delivered';
    default:
      return 'Queued';
  }
}
