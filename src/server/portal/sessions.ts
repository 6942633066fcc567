import { hkdfSync, createHmac, timingSafeEqual } from 'node:crypto';
import type { Transaction } from 'kysely';
import { newToken, sha256 } from '../ids';
import type { Db } from '../store/db';
import type { Database } from '../store/schema';
import type { PortalConfig } from './config';

/**
 * Portal sessions. The session id is 256 random bits that live only in the
 * browser's `__Host-` cookie; the store keeps its SHA-256, so a copy of the
 * database opens no session. A session ends after `idleMinutes` without a
 * request (HIPAA automatic logoff) and at the latest `absoluteMinutes` after
 * sign-in; every sign-in makes a new id (no fixation).
 *
 * CSRF: the token for a request is an HMAC of the session id (or, before
 * sign-in, of a random pre-session cookie) under a key derived from the key
 * file, so it needs no storage, is different for every session, and cannot be
 * computed by a page that cannot read the HttpOnly cookie.
 */

export const SESSION_COOKIE = '__Host-se-session';
export const PRE_SESSION_COOKIE = '__Host-se-pre';
export const LINK_COOKIE = '__Host-se-link';
export const RESET_COOKIE = '__Host-se-reset';
/** Carries an e-mailed sign-in link's token from the link to the page's "Sign in" button. */
export const SIGN_IN_LINK_COOKIE = '__Host-se-sign-in-link';

/** A session's last-seen time is written at most this often: an idle timer with this much slack. */
const TOUCH_EVERY_MS = 15_000;

export interface PortalSession {
  idHash: string;
  address: string;
  idleExpiresAt: Date;
  absoluteExpiresAt: Date;
}

export type SessionLookup =
  | { status: 'active'; session: PortalSession }
  | { status: 'none' }
  | { status: 'ended'; reason: 'idle' | 'absolute'; address: string; idHash: string };

export class SessionManager {
  readonly #csrfKey: Buffer;

  constructor(
    private readonly db: Db,
    private readonly config: PortalConfig,
    auditKey: Uint8Array,
  ) {
    // A key of its own, derived from the key file, so CSRF tokens say nothing about the audit key.
    this.#csrfKey = Buffer.from(hkdfSync('sha256', auditKey, 'secure-envelope', 'portal/csrf/v1', 32));
  }

  /** Creates a session in the caller's transaction; the id goes into the cookie, its hash into the store. */
  async create(
    trx: Transaction<Database>,
    address: string,
    now: Date,
  ): Promise<{ id: string; session: PortalSession }> {
    const id = newToken();
    const absolute = new Date(now.getTime() + this.config.absoluteMinutes * 60_000);
    await trx
      .insertInto('portal_sessions')
      .values({
        id_hash: sha256(id),
        address,
        created_at: now.toISOString(),
        last_seen_at: now.toISOString(),
        absolute_expires_at: absolute.toISOString(),
      })
      .execute();
    return {
      id,
      session: {
        idHash: sha256(id),
        address,
        idleExpiresAt: this.#idleEnd(now, absolute),
        absoluteExpiresAt: absolute,
      },
    };
  }

  /**
   * The session a cookie names. `touch` counts the request as activity (every
   * API call does, except reading the session's own state).
   */
  async lookup(id: string | undefined, now: Date, touch: boolean): Promise<SessionLookup> {
    if (id === undefined || id === '' || id.length > 100) return { status: 'none' };
    const idHash = sha256(id);
    const row = await this.db
      .selectFrom('portal_sessions')
      .select(['address', 'last_seen_at', 'absolute_expires_at'])
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    if (row === undefined) return { status: 'none' };
    const lastSeen = new Date(row.last_seen_at);
    const absolute = new Date(row.absolute_expires_at);
    if (now >= absolute) return { status: 'ended', reason: 'absolute', address: row.address, idHash };
    if (now.getTime() >= lastSeen.getTime() + this.config.idleMinutes * 60_000) {
      return { status: 'ended', reason: 'idle', address: row.address, idHash };
    }
    let seen = lastSeen;
    if (touch && now.getTime() - lastSeen.getTime() >= TOUCH_EVERY_MS) {
      await this.db
        .updateTable('portal_sessions')
        .set({ last_seen_at: now.toISOString() })
        .where('id_hash', '=', idHash)
        .execute();
      seen = now;
    }
    return {
      status: 'active',
      session: {
        idHash,
        address: row.address,
        idleExpiresAt: this.#idleEnd(seen, absolute),
        absoluteExpiresAt: absolute,
      },
    };
  }

  async end(trx: Transaction<Database> | Db, idHash: string): Promise<void> {
    await trx.deleteFrom('portal_sessions').where('id_hash', '=', idHash).execute();
  }

  /** Ends every session of an account (a password reset); resolves to how many there were. */
  async endAll(trx: Transaction<Database>, address: string): Promise<number> {
    const result = await trx.deleteFrom('portal_sessions').where('address', '=', address).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** The CSRF token for a session id or a pre-session id. */
  csrfToken(kind: 'session' | 'pre', id: string): string {
    return createHmac('sha256', this.#csrfKey).update(`${kind}:${id}`).digest('base64url');
  }

  /** Whether `token` is the CSRF token of the session or pre-session the request's cookies hold. */
  csrfMatches(token: string | undefined, cookies: { session?: string; pre?: string }): boolean {
    if (token === undefined || token === '') return false;
    const given = Buffer.from(token);
    const candidates: string[] = [];
    if (cookies.session !== undefined && cookies.session !== '')
      candidates.push(this.csrfToken('session', cookies.session));
    if (cookies.pre !== undefined && cookies.pre !== '') candidates.push(this.csrfToken('pre', cookies.pre));
    let ok = false;
    for (const expected of candidates) {
      const e = Buffer.from(expected);
      // Constant time: the comparison must not tell an attacker how much of a guess was right.
      if (e.length === given.length && timingSafeEqual(e, given)) ok = true;
    }
    return ok;
  }

  #idleEnd(lastSeen: Date, absolute: Date): Date {
    return new Date(Math.min(lastSeen.getTime() + this.config.idleMinutes * 60_000, absolute.getTime()));
  }
}
