/**
 * An Entra-like identity provider for auth tests: its own RS256 key, issuer,
 * tenant and audience, and a `mint` that signs any claims, so each test can
 * break exactly one thing about an otherwise valid token.
 */
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import type { SenderVerifierOptions } from '../../../src/server/auth/sender-auth';

export const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const ISSUER = `https://login.microsoftonline.com/${TENANT}/v2.0`;
export const AUDIENCE = 'api://secure-envelope.plan.example';
export const SCOPE = 'Envelope.Send';

export interface TestIdp {
  kid: string;
  publicJwk: JWK;
  privateKey: CryptoKey;
  /** A valid token, with `claims` merged over the defaults (undefined removes a claim). */
  mint(claims?: Record<string, unknown>, header?: { alg?: string; kid?: string }): Promise<string>;
  options(overrides?: Partial<SenderVerifierOptions>): SenderVerifierOptions;
}

export const now = (): number => Math.floor(Date.now() / 1000);

export async function createTestIdp(kid = 'idp-key-1', alg = 'RS256'): Promise<TestIdp> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  const idp: TestIdp = {
    kid,
    publicJwk,
    privateKey,
    mint: (claims = {}, header = {}) =>
      signWith(privateKey, { alg, kid, ...header }, { ...validClaims(), ...claims }),
    options: (overrides = {}) => ({
      issuers: [ISSUER],
      audience: AUDIENCE,
      tenants: [TENANT],
      requiredScope: SCOPE,
      algorithms: [alg],
      jwks: { keys: { keys: [publicJwk] } },
      ...overrides,
    }),
  };
  return idp;
}

export function validClaims(): Record<string, unknown> {
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    tid: TENANT,
    oid: '4b0c8a5e-1f7e-4a55-9a1e-0c2f6f1d2a11',
    sub: 'pairwise-subject-for-this-app',
    preferred_username: 'Rita.Rep@Plan.Example',
    name: 'Rita Rep',
    scp: SCOPE,
    iat: now(),
    exp: now() + 3600,
  };
}

export function signWith(
  key: CryptoKey | Uint8Array,
  header: { alg: string; kid?: string },
  claims: Record<string, unknown>,
): Promise<string> {
  const payload: JWTPayload = {};
  for (const [name, value] of Object.entries(claims)) if (value !== undefined) payload[name] = value;
  return new SignJWT(payload).setProtectedHeader(header).sign(key);
}
