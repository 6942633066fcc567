import { createHash } from 'node:crypto';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors as joseErrors,
  jwtVerify,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { ErrorCode } from '../../shared/errors';
import { HttpError } from '../errors';

/**
 * Sender authentication: the add-in sends an Entra ID access token (obtained
 * with Nested App Authentication) as `Authorization: Bearer <token>`; this
 * module verifies it and says who the sender is. Every failure is an
 * `AuthError` with a stable code, so the add-in can tell "sign in again" from
 * "your organization is not allowed" without parsing messages.
 */

/** Who sent the request, as the identity provider vouches for it. */
export interface Sender {
  /** Stable id of the user: Entra `oid` (same across apps in the tenant), else `sub`. */
  subject: string;
  tenantId: string;
  /** The sender's mail address, lower-cased. */
  address: string;
  name?: string;
}

export interface SenderVerifier {
  /** Verifies the raw `Authorization` header value; throws `AuthError` or `KeySetUnavailableError`. */
  verify(authorizationHeader: string | undefined): Promise<Sender>;
}

/** Signing keys fetched from the identity provider (Entra: `https://login.microsoftonline.com/<tid>/discovery/v2.0/keys`). */
export interface RemoteJwksSource {
  url: string;
  /** Per fetch; small, because the whole on-send decision must finish inside Outlook's 5 s. Default 3000. */
  timeoutMs?: number;
  /** Minimum gap between refetches triggered by an unknown `kid` (key rotation). Default 30000. */
  cooldownMs?: number;
  /** Keys are refetched after this age even without an unknown `kid`. Default 600000. */
  cacheMaxAgeMs?: number;
}

/** Signing keys held in memory (the development issuer, tests). */
export interface LocalJwksSource {
  keys: JSONWebKeySet;
}

export interface SenderVerifierOptions {
  /** Exact `iss` values accepted; Entra v2: `https://login.microsoftonline.com/<tid>/v2.0`. */
  issuers: readonly string[];
  /** `aud` values accepted: the API's client id and/or its App ID URI. */
  audience: string | readonly string[];
  /** Allowed `tid` values. Must be explicit; `'*'` (any tenant) is refused unless mode is development. */
  tenants: readonly string[];
  /** A delegated scope that must appear in the space-separated `scp` claim. */
  requiredScope: string;
  /** Accepted signature algorithms, asymmetric only. Default `['RS256']` (what Entra signs with). */
  algorithms?: readonly string[];
  /** Allowed clock skew for `exp`/`nbf`. Default 60. */
  clockToleranceSeconds?: number;
  jwks: RemoteJwksSource | LocalJwksSource;
  /** Only relaxes the `'*'` tenant rule. Default production. */
  mode?: 'development' | 'production';
}

/** Accepts any tenant; development only. */
export const ANY_TENANT = '*';

export type AuthErrorCode = Extract<
  ErrorCode,
  | 'UNAUTHENTICATED'
  | 'TOKEN_EXPIRED'
  | 'TOKEN_INVALID'
  | 'TOKEN_WRONG_AUDIENCE'
  | 'TOKEN_WRONG_ISSUER'
  | 'TOKEN_WRONG_TENANT'
  | 'TOKEN_MISSING_SCOPE'
>;

/**
 * Finer than the code, for logs and audit: which check refused the token.
 * Clients should branch on `code` only.
 */
export type AuthFailureReason =
  | 'no-header'
  | 'not-bearer'
  | 'malformed'
  | 'expired'
  | 'not-yet-valid'
  | 'bad-signature'
  | 'unknown-key'
  | 'alg-not-allowed'
  | 'claim-invalid'
  | 'wrong-audience'
  | 'wrong-issuer'
  | 'wrong-tenant'
  | 'missing-scope'
  | 'no-subject'
  | 'no-address';

/** A refused credential (401). Never carries the token or its claims, so it is safe to log. */
export class AuthError extends HttpError {
  declare readonly code: AuthErrorCode;

  constructor(
    code: AuthErrorCode,
    readonly reason: AuthFailureReason,
    message: string,
  ) {
    super(code, message);
    this.name = 'AuthError';
  }

  /** The RFC 6750 challenge for the `WWW-Authenticate` response header. */
  get wwwAuthenticate(): string {
    if (this.code === 'UNAUTHENTICATED') return 'Bearer';
    const error = this.code === 'TOKEN_MISSING_SCOPE' ? 'insufficient_scope' : 'invalid_token';
    return `Bearer error="${error}", error_description="${this.message.replace(/["\\]/g, "'")}"`;
  }
}

/**
 * The server could not check the token at all (the identity provider's keys
 * are unreachable or broken). Not the sender's fault, so not a 401: the
 * add-in must not answer it by signing the user in again.
 */
export class KeySetUnavailableError extends HttpError {
  declare readonly code: 'INTERNAL';

  constructor(message: string, cause: unknown) {
    super('INTERNAL', message);
    this.name = 'KeySetUnavailableError';
    // Kept for operators' logs; fetch and JWKS errors hold no token material.
    this.cause = cause;
  }
}

// Entra tokens are a few KB; anything far larger is not a token worth parsing.
const MAX_TOKEN_LENGTH = 16 * 1024;
// Symmetric algorithms would let anyone holding the key mint tokens, and a JWKS has no business holding one.
const ASYMMETRIC_ALGORITHM = /^(?:RS|PS|ES)(?:256|384|512)$|^EdDSA$|^Ed25519$/;
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);
// A mail address as Entra puts it in preferred_username/upn/email; other shapes (phone numbers) are skipped.
const ADDRESS = /^[^\s@]+@[^\s@]+$/;

export function createSenderVerifier(options: SenderVerifierOptions): SenderVerifier {
  const settings = checkOptions(options);
  const remote = 'url' in options.jwks;
  const getKey: JWTVerifyGetKey =
    'url' in options.jwks
      ? createRemoteJWKSet(jwksUrl(options.jwks.url), {
          timeoutDuration: options.jwks.timeoutMs ?? 3000,
          cooldownDuration: options.jwks.cooldownMs ?? 30_000,
          cacheMaxAge: options.jwks.cacheMaxAgeMs ?? 600_000,
        })
      : createLocalJWKSet(options.jwks.keys);

  const verified = new VerifiedTokens();
  return {
    async verify(authorizationHeader) {
      const token = bearerToken(authorizationHeader);
      const known = verified.get(token);
      if (known !== undefined) return known;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, getKey, {
          issuer: settings.issuers,
          audience: settings.audience,
          algorithms: settings.algorithms,
          clockTolerance: settings.clockToleranceSeconds,
          // jose accepts a token without `exp`; such a token would never expire.
          requiredClaims: ['exp'],
        }));
      } catch (error) {
        throw translate(error, remote, settings.audience);
      }
      const sender = senderFrom(payload, settings.tenants, settings.requiredScope);
      verified.add(token, sender, payload.exp!);
      return sender;
    },
  };
}

/**
 * Tokens already verified, so an add-in sending many messages with one token
 * is not re-verified each time. Keyed by the token's hash (the whole token,
 * signature included: an altered token is a different key); an entry lives
 * until the token expires and at most a few minutes, so a key withdrawn from
 * the JWKS stops working soon.
 */
class VerifiedTokens {
  private static readonly MAX_ENTRIES = 1000;
  private static readonly MAX_AGE_MS = 5 * 60_000;
  private readonly entries = new Map<string, { sender: Sender; until: number }>();

  get(token: string): Sender | undefined {
    const key = createHash('sha256').update(token).digest('base64url');
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (Date.now() >= entry.until) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.sender;
  }

  add(token: string, sender: Sender, exp: number): void {
    const key = createHash('sha256').update(token).digest('base64url');
    if (this.entries.size >= VerifiedTokens.MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, { sender, until: Math.min(exp * 1000, Date.now() + VerifiedTokens.MAX_AGE_MS) });
  }
}

interface Settings {
  issuers: string[];
  audience: string[];
  tenants: ReadonlySet<string>;
  requiredScope: string;
  algorithms: string[];
  clockToleranceSeconds: number;
}

/** Configuration mistakes stop the server at start-up rather than refuse every sender later. */
function checkOptions(options: SenderVerifierOptions): Settings {
  const fail = (why: string): never => {
    throw new Error(`sender authentication: ${why}`);
  };
  const issuers = options.issuers.filter((issuer) => issuer.length > 0);
  if (issuers.length === 0) fail('at least one trusted issuer is required');
  const audience = (typeof options.audience === 'string' ? [options.audience] : [...options.audience]).filter(
    (value) => value.length > 0,
  );
  if (audience.length === 0) fail('the API audience is required');
  if (options.tenants.length === 0) fail(`list the allowed tenant ids (or '${ANY_TENANT}' in development)`);
  if (options.tenants.includes(ANY_TENANT) && options.mode !== 'development') {
    fail(`'${ANY_TENANT}' (any tenant) is accepted only in development`);
  }
  if (!/^\S+$/.test(options.requiredScope)) fail('requiredScope must be one scope name');
  const algorithms = [...(options.algorithms ?? ['RS256'])];
  if (algorithms.length === 0) fail('at least one algorithm is required');
  for (const alg of algorithms) {
    if (!ASYMMETRIC_ALGORITHM.test(alg))
      fail(`algorithm '${alg}' is not allowed (asymmetric algorithms only)`);
  }
  const clockToleranceSeconds = options.clockToleranceSeconds ?? 60;
  if (!Number.isFinite(clockToleranceSeconds) || clockToleranceSeconds < 0) {
    fail('clockToleranceSeconds must be a non-negative number');
  }
  return {
    issuers,
    audience,
    tenants: new Set(options.tenants),
    requiredScope: options.requiredScope,
    algorithms,
    clockToleranceSeconds,
  };
}

/** Keys fetched over plain http could be swapped by anyone on the path; only loopback (tests) may use it. */
function jwksUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`sender authentication: the JWKS URL '${value}' is not a URL`);
  }
  const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopbackHttp) {
    throw new Error(`sender authentication: the JWKS URL must be https:// (got ${url.protocol})`);
  }
  return url;
}

function bearerToken(header: string | undefined): string {
  const value = header?.trim() ?? '';
  if (value === '') {
    throw new AuthError(
      'UNAUTHENTICATED',
      'no-header',
      'Sign-in required: send an Authorization header with a Bearer access token.',
    );
  }
  const match = /^Bearer +(\S+)$/i.exec(value);
  if (match === null) {
    throw new AuthError(
      'UNAUTHENTICATED',
      'not-bearer',
      'The Authorization header must be "Bearer <access token>".',
    );
  }
  const token = match[1]!;
  if (token.length > MAX_TOKEN_LENGTH || !/^[\w-]+\.[\w-]+\.[\w-]*$/.test(token)) {
    throw malformed();
  }
  return token;
}

function malformed(): AuthError {
  return new AuthError(
    'TOKEN_INVALID',
    'malformed',
    'The access token is malformed (expected a signed JWT).',
  );
}

/**
 * jose's error classes to our codes. Matched on jose's stable `code` strings.
 * The jose error is deliberately not kept as `cause`: claim errors carry the
 * whole payload (the sender's address and more), which must not reach logs.
 */
function translate(error: unknown, remote: boolean, audience: readonly string[]): Error {
  if (!(error instanceof joseErrors.JOSEError)) return unavailable(error, remote);
  if (error instanceof joseErrors.JWTClaimValidationFailed) return claimFailure(error, audience);
  switch (error.code) {
    case joseErrors.JWTExpired.code:
      return new AuthError(
        'TOKEN_EXPIRED',
        'expired',
        'The access token has expired: acquire a new token and retry.',
      );
    case joseErrors.JWSSignatureVerificationFailed.code:
      return new AuthError(
        'TOKEN_INVALID',
        'bad-signature',
        'The access token signature does not verify: the token was altered or signed by someone else.',
      );
    case joseErrors.JWKSNoMatchingKey.code:
    case joseErrors.JWKSMultipleMatchingKeys.code:
      return new AuthError(
        'TOKEN_INVALID',
        'unknown-key',
        'The access token was signed with a key this server does not trust (unknown key id).',
      );
    case joseErrors.JOSEAlgNotAllowed.code:
    case joseErrors.JOSENotSupported.code:
      return new AuthError(
        'TOKEN_INVALID',
        'alg-not-allowed',
        'The access token uses a signing algorithm this server does not accept.',
      );
    case joseErrors.JWSInvalid.code:
    case joseErrors.JWTInvalid.code:
      return malformed();
    default:
      // JWKS timeout, non-200 answer, unparsable or invalid key set: the key source failed, not the token.
      return unavailable(error, remote);
  }
}

function claimFailure(error: joseErrors.JWTClaimValidationFailed, audience: readonly string[]): AuthError {
  if (error.claim === 'aud') {
    return new AuthError(
      'TOKEN_WRONG_AUDIENCE',
      'wrong-audience',
      `The access token was issued for another API: request a token for ${audience.join(' or ')}.`,
    );
  }
  if (error.claim === 'iss') {
    return new AuthError(
      'TOKEN_WRONG_ISSUER',
      'wrong-issuer',
      'The access token comes from an issuer this server does not trust.',
    );
  }
  if (error.claim === 'nbf' && error.reason === 'check_failed') {
    return new AuthError(
      'TOKEN_INVALID',
      'not-yet-valid',
      'The access token is not valid yet (nbf): check the clocks of this computer and the server.',
    );
  }
  return new AuthError(
    'TOKEN_INVALID',
    'claim-invalid',
    `The access token's "${error.claim}" claim is missing or invalid.`,
  );
}

function unavailable(error: unknown, remote: boolean): KeySetUnavailableError {
  const what =
    error instanceof joseErrors.JWKSTimeout
      ? 'the request timed out'
      : error instanceof Error
        ? error.message
        : 'unknown error';
  return new KeySetUnavailableError(
    remote
      ? `Sender authentication is unavailable: the identity provider's signing keys could not be fetched (${what}).`
      : `Sender authentication failed unexpectedly (${what}).`,
    error,
  );
}

/** The checks jose does not know about (tenant, scope), then the sender's identity. */
function senderFrom(payload: JWTPayload, tenants: ReadonlySet<string>, requiredScope: string): Sender {
  const tenantId = stringClaim(payload, 'tid');
  if (tenantId === undefined || !(tenants.has(tenantId) || tenants.has(ANY_TENANT))) {
    throw new AuthError(
      'TOKEN_WRONG_TENANT',
      'wrong-tenant',
      "The access token's organization (tenant) is not allowed to use this service; ask your administrator to add it.",
    );
  }
  const scopes = stringClaim(payload, 'scp')?.split(' ') ?? [];
  if (!scopes.includes(requiredScope)) {
    throw new AuthError(
      'TOKEN_MISSING_SCOPE',
      'missing-scope',
      `The access token lacks the '${requiredScope}' scope: request it when acquiring the token.`,
    );
  }
  const subject = stringClaim(payload, 'oid') ?? stringClaim(payload, 'sub');
  if (subject === undefined) {
    throw new AuthError('TOKEN_INVALID', 'no-subject', 'The access token names no user (oid or sub).');
  }
  const address = ['preferred_username', 'upn', 'email']
    .map((claim) => stringClaim(payload, claim)?.trim().toLowerCase())
    .find((value) => value !== undefined && ADDRESS.test(value));
  if (address === undefined) {
    throw new AuthError(
      'TOKEN_INVALID',
      'no-address',
      'The access token carries no mail address (preferred_username, upn or email); sign in with a mailbox account.',
    );
  }
  const name = stringClaim(payload, 'name');
  return name === undefined ? { subject, tenantId, address } : { subject, tenantId, address, name };
}

function stringClaim(payload: JWTPayload, claim: string): string | undefined {
  const value = payload[claim];
  return typeof value === 'string' && value !== '' ? value : undefined;
}
