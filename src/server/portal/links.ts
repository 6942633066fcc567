import type { LinkState } from '../../shared/portal-api';
import type { ServerContext } from '../context';
import { sha256 } from '../ids';

/**
 * What a secure link leads to. The link itself never shows content: it names
 * one envelope for one recipient, and says whether that recipient registers
 * or signs in. Once the recipient has registered (by this link or another),
 * every link leads to sign-in.
 */
export interface LinkTarget {
  /** The recipient's thread for this envelope. */
  threadId: string;
  envelopeId: string;
  address: string;
  sender: string;
  /** The sender's display name, or their address when there is none. */
  senderName: string;
  /** The earlier of the link's and the envelope's expiry. */
  expiresAt: string;
  revokedAt: string | null;
  registered: boolean;
}

export async function findLink(
  ctx: ServerContext,
  token: string | undefined,
): Promise<LinkTarget | undefined> {
  if (token === undefined || !/^[\w-]{20,100}$/.test(token)) return undefined;
  const row = await ctx.store.db
    .selectFrom('secure_links as l')
    .innerJoin('envelope_recipients as er', 'er.id', 'l.recipient_id')
    .innerJoin('envelopes as e', 'e.id', 'l.envelope_id')
    .leftJoin('recipients as r', 'r.address', 'er.address')
    .leftJoin('portal_accounts as a', 'a.address', 'er.address')
    .select([
      'er.id as threadId',
      'e.id as envelopeId',
      'er.address',
      'e.sender',
      'e.sender_name',
      'l.expires_at as linkExpiresAt',
      'e.expires_at as envelopeExpiresAt',
      (eb) => eb.fn.coalesce('e.revoked_at', 'er.revoked_at').as('revoked_at'),
      'r.registered_at',
      'a.address as account',
    ])
    .where('l.token_hash', '=', sha256(token))
    // A link is one envelope's: the join through its own recipient row keeps it there.
    .whereRef('er.envelope_id', '=', 'l.envelope_id')
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    threadId: row.threadId,
    envelopeId: row.envelopeId,
    address: row.address,
    sender: row.sender,
    senderName: row.sender_name ?? row.sender,
    expiresAt: row.linkExpiresAt < row.envelopeExpiresAt ? row.linkExpiresAt : row.envelopeExpiresAt,
    revokedAt: row.revoked_at,
    registered: row.registered_at !== null || row.account !== null,
  };
}

export function linkStatus(link: LinkTarget, now: Date): 'ok' | 'expired' | 'revoked' {
  if (link.revokedAt !== null) return 'revoked';
  if (Date.parse(link.expiresAt) <= now.getTime()) return 'expired';
  return 'ok';
}

export function linkState(
  ctx: ServerContext,
  link: LinkTarget | undefined,
  signedInAs: string | undefined,
  now: Date,
): LinkState {
  if (link === undefined) return { state: 'invalid' };
  const status = linkStatus(link, now);
  if (status !== 'ok') {
    return {
      state: status,
      senderName: link.senderName,
      senderAddress: link.sender,
      supportContact: ctx.config.org.supportContact,
    };
  }
  if (!link.registered) return { state: 'register', address: link.address, senderName: link.senderName };
  if (signedInAs === link.address) return { state: 'open', threadId: link.threadId };
  return { state: 'sign-in', address: link.address, threadId: link.threadId };
}
