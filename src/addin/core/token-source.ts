/**
 * The sender's access token for `POST /v1/envelopes`.
 *
 * - development: the server's built-in issuer (`/dev/token`);
 * - Entra ID: Nested App Authentication through MSAL where the runtime has a
 *   DOM (Outlook on the web, new Outlook, Mac): commands.html loads naa.js,
 *   which exposes `secureEnvelopeNaa`; MSAL is too large and too modern for
 *   the ES2016 commands bundle, so the JavaScript-only runtime of classic
 *   Outlook uses Office single sign-on (`Office.auth.getAccessToken`) when
 *   the manifest declares it.
 *
 * Tokens are kept in memory until a minute before they expire.
 */
import type { MailHost } from '../office/types';
import type { AddinConfig } from './config';
import { type FetchLike, HttpFailure, requestJson } from './http';

/** Installed by naa.js (browser runtimes only). */
export interface NaaBridge {
  getToken(): Promise<string>;
}
declare const secureEnvelopeNaa: NaaBridge | undefined;

export class TokenFailure extends Error {
  constructor(
    readonly kind: 'unavailable' | 'timeout' | 'unreachable',
    message: string,
  ) {
    super(message);
    this.name = 'TokenFailure';
  }
}

function expiry(token: string): number {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = JSON.parse(atobSafe(payload)) as { exp?: unknown };
    return typeof json.exp === 'number' ? json.exp * 1000 : 0;
  } catch {
    return 0;
  }
}

function atobSafe(b64url: string): string {
  const b64 = b64url.replace(/-/g, '+').replace(/_/g, '/');
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < b64.length; i++) {
    const v = alphabet.indexOf(b64.charAt(i));
    if (v < 0) continue;
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += String.fromCharCode((buffer >> bits) & 0xff);
    }
  }
  return out;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new TokenFailure('timeout', 'signing in took too long'));
    }, ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error('sign-in failed'));
      },
    );
  });
}

export class TokenSource {
  private cached: { token: string; until: number } | null = null;

  constructor(
    private readonly config: AddinConfig,
    private readonly fetchFn: FetchLike,
    private readonly now: () => number = Date.now,
  ) {}

  async get(host: MailHost, timeoutMs: number): Promise<string> {
    if (this.cached !== null && this.cached.until > this.now()) return this.cached.token;
    const token = await this.fetchToken(host, timeoutMs);
    const exp = expiry(token);
    this.cached = { token, until: exp > 0 ? exp - 60_000 : this.now() + 5 * 60_000 };
    return token;
  }

  private async fetchToken(host: MailHost, timeoutMs: number): Promise<string> {
    const auth = this.config.auth;
    if (auth.kind === 'development') {
      const url = `${this.config.apiBase}${auth.tokenPath}?address=${encodeURIComponent(host.userAddress())}`;
      try {
        const { body } = await requestJson<{ token?: unknown }>(this.fetchFn, url, { timeoutMs });
        if (typeof body.token !== 'string') throw new TokenFailure('unavailable', 'no token in the answer');
        return body.token;
      } catch (e) {
        if (e instanceof HttpFailure) {
          throw new TokenFailure(e.kind === 'timeout' ? 'timeout' : 'unreachable', e.message);
        }
        throw e;
      }
    }
    if (typeof secureEnvelopeNaa !== 'undefined') {
      try {
        return await withTimeout(secureEnvelopeNaa.getToken(), timeoutMs);
      } catch (e) {
        if (e instanceof TokenFailure) throw e;
        // Fall through to Office SSO: NAA can be unavailable on an older build.
      }
    }
    const sso = await withTimeout(host.ssoToken(), timeoutMs);
    if (sso !== null) return sso;
    throw new TokenFailure('unavailable', 'no way to sign in from here');
  }
}
