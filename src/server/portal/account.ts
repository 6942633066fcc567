import { newToken, sha256 } from '../ids';
import { HttpError } from '../errors';
import { renderPasswordChangedMail, renderResetMail, renderSignInLinkMail } from '../mail/portal-mail';
import { insertOutboxRows, prepareOutboxRow } from '../outbox/enqueue';
import { findLink, linkStatus } from './links';
import { assertAcceptablePassword } from './passwords';
import { recipientActor, type Portal } from './portal';
import type { PortalSession } from './sessions';
import { WaitError, type Reservation } from './throttle';

/**
 * Registration, sign-in, password reset and e-mailed sign-in links. Every
 * answer a stranger gets is the same whether or not an address has an
 * account: sign-in failures say "address or password", reset and sign-in-link
 * requests are always accepted, and an unknown address costs the same argon2
 * work, in the same queue, as a known one.
 *
 * Nobody can lock an owner out: a guesser's failures first slow down only
 * that guesser (per address and client); when many guessers together reach
 * the address's own limit, password sign-in to it waits for everyone, but a
 * link mailed to the address still signs its owner in.
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
  // Three counts: this client's guesses at this address (a lone guesser waits
  // without touching the owner), everyone's guesses at this address (many
  // guessers together; the owner then signs in by e-mailed link), and this
  // client's guesses at any address (one guesser trying many accounts).
  const pair = p.throttle.forAddressAndClient('signin', input.address, input.ip);
  const address = p.throttle.forAddress('signin', input.address);
  const client = p.throttle.forClient('signin', input.ip);
  // Shed load before anything is counted or written: refusing must stay cheap in a flood.
  p.hasher.assertCapacity();
  let reservation: Reservation;
  try {
    // The attempt is taken before the password is checked, so guesses sent
    // at once cannot all pass a check that none of them has counted yet.
    reservation = await p.ctx.store.transact((trx) => p.throttle.reserve(trx, [pair, address, client], now));
  } catch (e) {
    if (!(e instanceof WaitError)) throw e;
    await p.ctx.store.transact((trx) =>
      p.audit(trx, {
        actor: recipientActor(input.address),
        action: 'signin.failed',
        target: `recipient:${input.address}`,
        outcome: 'denied',
        sourceIp: input.ip,
        detail: { reason: 'throttled' },
      }),
    );
    throw new WaitError(
      `${e.message}, or sign in with a link sent to your e-mail ("Email me a sign-in link")`,
      e.retryAfterSeconds,
    );
  }
  const account = await p.ctx.store.db
    .selectFrom('portal_accounts')
    .select('password_hash')
    .where('address', '=', input.address)
    .executeTakeFirst();
  let ok: boolean;
  try {
    ok = await p.hasher.verify(account?.password_hash, input.password);
  } catch (e) {
    // Refused for want of a turn: no password was checked, so the attempt does not count.
    await p.throttle.giveBack(reservation);
    throw e;
  }
  if (!ok) {
    await p.ctx.store.transact((trx) =>
      p.audit(trx, {
        actor: recipientActor(input.address),
        action: 'signin.failed',
        target: `recipient:${input.address}`,
        outcome: 'failed',
        sourceIp: input.ip,
        detail: { reason: account === undefined ? 'no account' : 'wrong password' },
      }),
    );
    throw new HttpError('SIGN_IN_FAILED', 'the e-mail address or the password is not right');
  }
  // The right password: this client's guesses at the address are forgotten,
  // and the attempt taken from the shared counts is given back, so signing
  // in never adds to a lockout (nor lifts one that others' guesses earned).
  await p.throttle.clear([pair]);
  await p.throttle.giveBack(reservation, [address, client]);
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
  const account = await p.ctx.store.db
    .selectFrom('portal_accounts')
    .select('address')
    .where('address', '=', input.address)
    .executeTakeFirst();
  // Counted and read in one statement: two requests at once cannot both take the last mail.
  const sent = account === undefined ? 0 : await p.throttle.tally(perAddress, now);
  const base = {
    actor: recipientActor(input.address),
    action: 'password.reset.requested' as const,
    target: `recipient:${input.address}`,
    sourceIp: input.ip,
  };
  if (account === undefined || sent > p.config.throttle.resetMailsPerAddress) {
    await p.audit(p.ctx.store.db, {
      ...base,
      outcome: 'denied',
      detail: { reason: account === undefined ? 'no account' : 'too many requests' },
    });
    return;
  }
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

/**
 * The first half of a sign-in-link request, answered before the answer
 * leaves: the client's count (every request may send an e-mail). Throws
 * RATE_LIMITED alike for every address.
 */
export async function acceptSignInLinkRequest(p: Portal, input: { ip: string }): Promise<void> {
  const now = new Date();
  const client = p.throttle.forClient('signin-link', input.ip);
  await p.throttle.check([client], now);
  await p.throttle.fail([client], now);
}

/**
 * The second half, run after the answer has left, so that how long the
 * answer takes says nothing about the address: when it has an account and
 * has not had `signInLinkMailsPerAddress` links in the last
 * `signInLinkMinutes`, a one-time link is queued for it. The count runs over
 * the links' own lifetime: whenever a request is refused for it, a link
 * mailed earlier in that time still works, so someone asking again and again
 * for another's address cannot keep its owner without a working link.
 */
export async function mailSignInLink(p: Portal, input: { address: string; ip: string }): Promise<void> {
  const now = new Date();
  const account = await p.ctx.store.db
    .selectFrom('portal_accounts')
    .select('address')
    .where('address', '=', input.address)
    .executeTakeFirst();
  if (account === undefined) return;
  const minutes = p.config.signInLinkMinutes;
  const cap = p.config.throttle.signInLinkMailsPerAddress;
  const sent = await p.throttle.tally(p.throttle.forAddress('signin-link', input.address, cap), now, minutes);
  if (sent > cap) return;
  const token = newToken();
  const tokenHash = sha256(token);
  const { publicUrl, org } = p.ctx.config;
  const row = await prepareOutboxRow(
    p.ctx.keyring,
    {
      to: input.address,
      mail: renderSignInLinkMail({
        orgName: org.name,
        supportContact: org.supportContact,
        // In the query, where every log redacts a `token`.
        link: `${publicUrl}/portal/sign-in-link?token=${token}`,
        minutes,
      }),
      // The token's hash, not the token: Message-IDs are stored and logged in the clear.
      messageId: `<sign-in.${sha256(tokenHash).slice(0, 22)}@${new URL(publicUrl).hostname}>`,
      envelopeId: 'portal:sign-in-link',
      recipientId: `recipient:${input.address}`,
    },
    now,
  );
  await p.ctx.store.transact(async (trx) => {
    await trx
      .insertInto('portal_sign_in_links')
      .values({
        token_hash: tokenHash,
        address: input.address,
        created_at: now.toISOString(),
        expires_at: new Date(now.getTime() + minutes * 60_000).toISOString(),
        used_at: null,
      })
      .execute();
    await insertOutboxRows(trx, [row]);
  });
}

/**
 * Signs in with an e-mailed link's token: it works once, until it expires,
 * whatever the password throttle says (having the mailbox is the proof).
 * Using it retires the address's other sign-in links.
 */
export async function signInWithLink(
  p: Portal,
  input: { token: string | undefined; ip: string; oldSessionId: string | undefined },
): Promise<Signed> {
  const now = new Date();
  const at = now.toISOString();
  const client = p.throttle.forClient('link', input.ip);
  await p.throttle.check([client], now);
  const tokenHash =
    input.token !== undefined && /^[\w-]{20,100}$/.test(input.token) ? sha256(input.token) : undefined;
  const notValid = () =>
    new HttpError(
      'TOKEN_NOT_VALID',
      'this sign-in link was already used or is too old; ask for a new one with "Email me a sign-in link"',
    );
  let signed: Signed;
  try {
    if (tokenHash === undefined) throw notValid();
    signed = await p.ctx.store.transact(async (trx) => {
      // Single use, even when two requests race: one statement both checks and spends it.
      const link = await trx
        .updateTable('portal_sign_in_links')
        .set({ used_at: at })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .returning('address')
        .executeTakeFirst();
      if (link === undefined) throw notValid();
      await trx
        .updateTable('portal_sign_in_links')
        .set({ used_at: at })
        .where('address', '=', link.address)
        .where('used_at', 'is', null)
        .execute();
      if (input.oldSessionId !== undefined) await p.sessions.end(trx, sha256(input.oldSessionId));
      const { id, session } = await p.sessions.create(trx, link.address, now);
      await p.audit(trx, {
        actor: recipientActor(link.address),
        action: 'signin.ok',
        target: `recipient:${link.address}`,
        outcome: 'ok',
        sourceIp: input.ip,
        detail: { via: 'e-mailed link' },
      });
      return { sessionId: id, session };
    });
  } catch (e) {
    if (!(e instanceof HttpError) || e.code !== 'TOKEN_NOT_VALID') throw e;
    await p.throttle.fail([client], now);
    await p.ctx.store.transact((trx) =>
      p.audit(trx, {
        actor: 'anonymous',
        action: 'signin.failed',
        target: 'recipient:unknown',
        outcome: 'failed',
        sourceIp: input.ip,
        detail: { reason: 'sign-in link not valid' },
      }),
    );
    throw e;
  }
  // The mailbox's owner, on this client: its guesses at the address are forgotten.
  await p.throttle.clear([p.throttle.forAddressAndClient('signin', signed.session.address, input.ip)]);
  return signed;
}
