import { newToken, sha256 } from '../ids';
import { HttpError } from '../errors';
import { renderPasswordChangedMail, renderResetMail } from '../mail/portal-mail';
import { insertOutboxRows, prepareOutboxRow } from '../outbox/enqueue';
import { findLink, linkStatus } from './links';
import { assertAcceptablePassword } from './passwords';
import { recipientActor, type Portal } from './portal';
import type { PortalSession } from './sessions';

/**
 * Registration, sign-in and password reset. Every answer a stranger gets is
 * the same whether or not an address has an account: sign-in failures say
 * "address or password", a reset request is always accepted, and an unknown
 * address costs the same argon2 work as a known one.
 */

export interface Signed {
  /** The new session id, for the cookie. */
  sessionId: string;
  session: PortalSession;
  /** The thread the secure link pointed to, when the link is this recipient's and readable. */
  threadId?: string;
}

export async function register(
  p: Portal,
  input: { linkToken: string | undefined; password: string; ip: string },
): Promise<Signed> {
  const now = new Date();
  const client = p.throttle.forClient('register', input.ip);
  await p.throttle.check([client], now);
  const link = await findLink(p.ctx, input.linkToken);
  if (link === undefined) {
    await p.throttle.fail([client], now);
    throw new HttpError(
      'TOKEN_NOT_VALID',
      'this registration link is not valid; open the link in your secure-message e-mail again',
    );
  }
  const status = linkStatus(link, now);
  if (status === 'revoked')
    throw new HttpError('REVOKED', `the sender withdrew this secure message; contact ${link.sender}`);
  if (status === 'expired')
    throw new HttpError('EXPIRED', `this secure message has expired; contact ${link.sender}`);
  if (link.registered) {
    await p.audit(p.ctx.store.db, {
      actor: recipientActor(link.address),
      action: 'recipient.registered',
      target: `envelope:${link.envelopeId}`,
      outcome: 'denied',
      sourceIp: input.ip,
      detail: { reason: 'already registered' },
    });
    throw new HttpError(
      'ALREADY_REGISTERED',
      'this address already has an account: sign in with your password',
    );
  }
  assertAcceptablePassword(input.password, link.address);
  const passwordHash = await p.hasher.hash(input.password);
  const at = now.toISOString();
  try {
    return await p.ctx.store.transact(async (trx) => {
      await trx
        .insertInto('portal_accounts')
        .values({
          address: link.address,
          password_hash: passwordHash,
          created_at: at,
          password_changed_at: at,
        })
        .execute();
      // The notice's "first time: register" line reads this.
      await trx
        .insertInto('recipients')
        .values({ address: link.address, registered_at: at })
        .onConflict((oc) => oc.column('address').doUpdateSet({ registered_at: at }))
        .execute();
      const { id, session } = await p.sessions.create(trx, link.address, now);
      await p.audit(trx, [
        {
          actor: recipientActor(link.address),
          action: 'recipient.registered',
          target: `envelope:${link.envelopeId}`,
          outcome: 'ok',
          sourceIp: input.ip,
        },
        {
          actor: recipientActor(link.address),
          action: 'signin.ok',
          target: `recipient:${link.address}`,
          outcome: 'ok',
          sourceIp: input.ip,
          detail: { via: 'registration' },
        },
      ]);
      return { sessionId: id, session, threadId: link.threadId };
    });
  } catch (e) {
    if (e instanceof HttpError) throw e;
    // Two registrations raced on one address: the first one won.
    const exists = await p.ctx.store.db
      .selectFrom('portal_accounts')
      .select('address')
      .where('address', '=', link.address)
      .executeTakeFirst();
    if (exists !== undefined) {
      throw new HttpError(
        'ALREADY_REGISTERED',
        'this address already has an account: sign in with your password',
      );
    }
    throw e;
  }
}

export async function signIn(
  p: Portal,
  input: {
    address: string;
    password: string;
    ip: string;
    linkToken: string | undefined;
    oldSessionId: string | undefined;
  },
): Promise<Signed> {
  const now = new Date();
  const keys = [p.throttle.forAddress('signin', input.address), p.throttle.forClient('signin', input.ip)];
  try {
    await p.throttle.check(keys, now);
  } catch (e) {
    await p.audit(p.ctx.store.db, {
      actor: recipientActor(input.address),
      action: 'signin.failed',
      target: `recipient:${input.address}`,
      outcome: 'denied',
      sourceIp: input.ip,
      detail: { reason: 'throttled' },
    });
    throw e;
  }
  const account = await p.ctx.store.db
    .selectFrom('portal_accounts')
    .select('password_hash')
    .where('address', '=', input.address)
    .executeTakeFirst();
  const ok = await p.hasher.verify(account?.password_hash, input.password);
  if (!ok) {
    await p.throttle.fail(keys, now);
    await p.audit(p.ctx.store.db, {
      actor: recipientActor(input.address),
      action: 'signin.failed',
      target: `recipient:${input.address}`,
      outcome: 'failed',
      sourceIp: input.ip,
      detail: { reason: account === undefined ? 'no account' : 'wrong password' },
    });
    throw new HttpError('SIGN_IN_FAILED', 'the e-mail address or the password is not right');
  }
  await p.throttle.clear([keys[0]!]);
  const link = await findLink(p.ctx, input.linkToken);
  const threadId =
    link !== undefined && link.address === input.address && linkStatus(link, now) === 'ok'
      ? link.threadId
      : undefined;
  return p.ctx.store.transact(async (trx) => {
    // A new id at every sign-in: a session id planted before sign-in is worth nothing after it.
    if (input.oldSessionId !== undefined) await p.sessions.end(trx, sha256(input.oldSessionId));
    const { id, session } = await p.sessions.create(trx, input.address, now);
    await p.audit(trx, {
      actor: recipientActor(input.address),
      action: 'signin.ok',
      target: `recipient:${input.address}`,
      outcome: 'ok',
      sourceIp: input.ip,
    });
    return { sessionId: id, session, ...(threadId !== undefined ? { threadId } : {}) };
  });
}

/** Always resolves the same way: whether the address has an account is not the asker's business. */
export async function requestReset(p: Portal, input: { address: string; ip: string }): Promise<void> {
  const now = new Date();
  const client = p.throttle.forClient('forgot', input.ip);
  await p.throttle.check([client], now);
  // Every request counts for the client: each one may send an e-mail.
  await p.throttle.fail([client], now);
  const perAddress = p.throttle.forAddress('forgot', input.address, p.config.throttle.resetMailsPerAddress);
  const sent = await p.throttle.count(perAddress, now);
  const account = await p.ctx.store.db
    .selectFrom('portal_accounts')
    .select('address')
    .where('address', '=', input.address)
    .executeTakeFirst();
  const base = {
    actor: recipientActor(input.address),
    action: 'password.reset.requested' as const,
    target: `recipient:${input.address}`,
    sourceIp: input.ip,
  };
  if (account === undefined || sent >= p.config.throttle.resetMailsPerAddress) {
    await p.audit(p.ctx.store.db, {
      ...base,
      outcome: 'denied',
      detail: { reason: account === undefined ? 'no account' : 'too many requests' },
    });
    return;
  }
  await p.throttle.fail([perAddress], now);
  const token = newToken();
  const expires = new Date(now.getTime() + p.config.resetMinutes * 60_000);
  const { publicUrl, org } = p.ctx.config;
  const host = new URL(publicUrl).hostname;
  const tokenHash = sha256(token);
  const row = await prepareOutboxRow(
    p.ctx.keyring,
    {
      to: input.address,
      mail: renderResetMail({
        orgName: org.name,
        supportContact: org.supportContact,
        link: `${publicUrl}/portal/reset/${token}`,
        minutes: p.config.resetMinutes,
      }),
      // The token's hash, not the token: Message-IDs are stored and logged in the clear.
      messageId: `<reset.${sha256(tokenHash).slice(0, 22)}@${host}>`,
      envelopeId: 'portal:password-reset',
      recipientId: `recipient:${input.address}`,
    },
    now,
  );
  await p.ctx.store.transact(async (trx) => {
    await trx
      .insertInto('portal_reset_tokens')
      .values({
        token_hash: tokenHash,
        address: input.address,
        created_at: now.toISOString(),
        expires_at: expires.toISOString(),
        used_at: null,
      })
      .execute();
    await insertOutboxRows(trx, [row]);
    await p.audit(trx, { ...base, outcome: 'ok', detail: { outbox: row.id } });
  });
}

export async function resetPassword(
  p: Portal,
  input: { token: string | undefined; password: string; ip: string },
): Promise<{ address: string }> {
  const now = new Date();
  const client = p.throttle.forClient('reset', input.ip);
  await p.throttle.check([client], now);
  const tokenHash =
    input.token !== undefined && /^[\w-]{20,100}$/.test(input.token) ? sha256(input.token) : undefined;
  const row =
    tokenHash === undefined
      ? undefined
      : await p.ctx.store.db
          .selectFrom('portal_reset_tokens')
          .select(['address', 'expires_at', 'used_at'])
          .where('token_hash', '=', tokenHash)
          .executeTakeFirst();
  const notValid = () =>
    new HttpError(
      'TOKEN_NOT_VALID',
      'this reset link was already used or is too old; ask for a new one with "Forgot password"',
    );
  if (
    row === undefined ||
    row.used_at !== null ||
    Date.parse(row.expires_at) <= now.getTime() ||
    tokenHash === undefined
  ) {
    await p.throttle.fail([client], now);
    await p.audit(p.ctx.store.db, {
      actor: row === undefined ? 'anonymous' : recipientActor(row.address),
      action: 'password.reset',
      target: row === undefined ? 'recipient:unknown' : `recipient:${row.address}`,
      outcome: 'failed',
      sourceIp: input.ip,
      detail: { reason: row === undefined ? 'unknown link' : row.used_at !== null ? 'used' : 'expired' },
    });
    throw notValid();
  }
  const address = row.address;
  assertAcceptablePassword(input.password, address);
  const passwordHash = await p.hasher.hash(input.password);
  const { publicUrl, org } = p.ctx.config;
  const mail = await prepareOutboxRow(
    p.ctx.keyring,
    {
      to: address,
      mail: renderPasswordChangedMail({
        orgName: org.name,
        supportContact: org.supportContact,
        portalUrl: `${publicUrl}/portal/`,
        at: now,
      }),
      messageId: `<password-changed.${sha256(`${tokenHash}:changed`).slice(0, 22)}@${new URL(publicUrl).hostname}>`,
      envelopeId: 'portal:password-changed',
      recipientId: `recipient:${address}`,
    },
    now,
  );
  await p.ctx.store.transact(async (trx) => {
    // Single use, even when two requests race: only one of them flips used_at.
    const used = await trx
      .updateTable('portal_reset_tokens')
      .set({ used_at: now.toISOString() })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw notValid();
    // Any other reset link of the account dies with this one.
    await trx
      .updateTable('portal_reset_tokens')
      .set({ used_at: now.toISOString() })
      .where('address', '=', address)
      .where('used_at', 'is', null)
      .execute();
    await trx
      .updateTable('portal_accounts')
      .set({ password_hash: passwordHash, password_changed_at: now.toISOString() })
      .where('address', '=', address)
      .execute();
    const ended = await p.sessions.endAll(trx, address);
    await insertOutboxRows(trx, [mail]);
    await p.audit(trx, {
      actor: recipientActor(address),
      action: 'password.reset',
      target: `recipient:${address}`,
      outcome: 'ok',
      sourceIp: input.ip,
      detail: { sessionsEnded: ended },
    });
  });
  await p.throttle.clear([p.throttle.forAddress('signin', address)]);
  return { address };
}
