import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, generateSecret, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevIssuer, DEV_ISSUER_TENANT_ID, type DevIssuer } from '../../../src/server/dev/dev-issuer';
import {
  AuthError,
  createSenderVerifier,
  type AuthErrorCode,
  type AuthFailureReason,
  type SenderVerifier,
} from '../../../src/server/auth/sender-auth';
import { HttpError } from '../../../src/server/errors';
import { AUDIENCE, createTestIdp, now, SCOPE, signWith, TENANT, type TestIdp } from './tokens';

let dataDir: string;
let dev: DevIssuer;
let devVerifier: SenderVerifier;
let idp: TestIdp;
let verifier: SenderVerifier;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'se-auth-'));
  dev = await createDevIssuer(dataDir);
  devVerifier = createSenderVerifier(dev.verifierOptions());
  idp = await createTestIdp();
  verifier = createSenderVerifier(idp.options());
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** The verification must fail with this code (and reason), and the message must not echo the token. */
async function expectRefused(
  pending: Promise<unknown>,
  code: AuthErrorCode,
  reason?: AuthFailureReason,
  token?: string,
): Promise<AuthError> {
  const error: unknown = await pending.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(AuthError);
  const authError = error as AuthError;
  expect(authError.code).toBe(code);
  if (reason !== undefined) expect(authError.reason).toBe(reason);
  if (token !== undefined) {
    expect(authError.message).not.toContain(token.split('.')[1]);
    expect(JSON.stringify(authError)).not.toContain(token.split('.')[1]);
  }
  return authError;
}

const bearer = (token: string): string => `Bearer ${token}`;

describe('valid tokens', () => {
  it('accepts a development issuer token and extracts the sender', async () => {
    const token = await dev.issue({ address: 'Rep@Plan.Example', name: 'Rita Rep' });
    const sender = await devVerifier.verify(bearer(token));
    expect(sender).toEqual({
      subject: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      tenantId: DEV_ISSUER_TENANT_ID,
      address: 'rep@plan.example',
      name: 'Rita Rep',
    });
  });

  it('accepts an Entra-shaped token: oid over sub, address lower-cased', async () => {
    const sender = await verifier.verify(bearer(await idp.mint()));
    expect(sender).toEqual({
      subject: '4b0c8a5e-1f7e-4a55-9a1e-0c2f6f1d2a11',
      tenantId: TENANT,
      address: 'rita.rep@plan.example',
      name: 'Rita Rep',
    });
  });

  it('falls back to sub, upn and email, and leaves name out when absent', async () => {
    const upn = await idp.mint({
      oid: undefined,
      preferred_username: undefined,
      upn: 'U@Plan.Example',
      name: undefined,
    });
    expect(await verifier.verify(bearer(upn))).toEqual({
      subject: 'pairwise-subject-for-this-app',
      tenantId: TENANT,
      address: 'u@plan.example',
    });
    // A phone-number username is no mail address; the next claim that is one wins.
    const email = await idp.mint({ preferred_username: '+15551234567', email: 'e@plan.example' });
    expect((await verifier.verify(bearer(email))).address).toBe('e@plan.example');
  });

  it('accepts the scheme in any case and surrounding whitespace', async () => {
    const token = await idp.mint();
    await expect(verifier.verify(`  bearer   ${token} `)).resolves.toMatchObject({ tenantId: TENANT });
  });

  it('accepts the required scope among others', async () => {
    const token = await idp.mint({ scp: `openid profile ${SCOPE} Mail.Read` });
    await expect(verifier.verify(bearer(token))).resolves.toMatchObject({ tenantId: TENANT });
  });

  it('accepts any listed audience', async () => {
    const both = createSenderVerifier(idp.options({ audience: ['api://other', AUDIENCE] }));
    await expect(both.verify(bearer(await idp.mint()))).resolves.toMatchObject({ tenantId: TENANT });
  });
});

describe('missing or malformed credentials', () => {
  it.each([undefined, '', '   ', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer ', 'garbage', 'Bearer a.b.c extra'])(
    'refuses header %j as UNAUTHENTICATED',
    async (header) => {
      await expectRefused(verifier.verify(header), 'UNAUTHENTICATED');
    },
  );

  it.each(['garbage', 'a.b', 'a.b.c', 'e30.e30.', '!!.??.**', `${'a'.repeat(20_000)}.b.c`])(
    'refuses token %j as TOKEN_INVALID',
    async (token) => {
      await expectRefused(verifier.verify(bearer(token)), 'TOKEN_INVALID', 'malformed');
    },
  );

  it('tells the sender how to fix a missing header', async () => {
    const error = await expectRefused(verifier.verify(undefined), 'UNAUTHENTICATED', 'no-header');
    expect(error.message).toMatch(/Bearer/);
    expect(error.wwwAuthenticate).toBe('Bearer');
  });
});

describe('claims', () => {
  it('refuses a token for another audience', async () => {
    const token = await idp.mint({ aud: 'api://someone-else' });
    const error = await expectRefused(
      verifier.verify(bearer(token)),
      'TOKEN_WRONG_AUDIENCE',
      'wrong-audience',
      token,
    );
    expect(error.message).toContain(AUDIENCE);
  });

  it('refuses a token without an audience', async () => {
    const token = await idp.mint({ aud: undefined });
    await expectRefused(verifier.verify(bearer(token)), 'TOKEN_WRONG_AUDIENCE');
  });

  it('refuses a token from another issuer', async () => {
    const token = await idp.mint({ iss: 'https://login.microsoftonline.com/common/v2.0' });
    await expectRefused(verifier.verify(bearer(token)), 'TOKEN_WRONG_ISSUER', 'wrong-issuer', token);
  });

  it('refuses a token expired beyond the clock tolerance', async () => {
    const token = await idp.mint({ iat: now() - 3700, exp: now() - 120 });
    const error = await expectRefused(verifier.verify(bearer(token)), 'TOKEN_EXPIRED', 'expired', token);
    expect(error.wwwAuthenticate).toContain('error="invalid_token"');
  });

  it('accepts a token expired within the clock tolerance', async () => {
    const token = await idp.mint({ iat: now() - 3600, exp: now() - 30 });
    await expect(verifier.verify(bearer(token))).resolves.toMatchObject({ tenantId: TENANT });
  });

  it('honours a custom clock tolerance', async () => {
    const strict = createSenderVerifier(idp.options({ clockToleranceSeconds: 0 }));
    const token = await idp.mint({ exp: now() - 5 });
    await expectRefused(strict.verify(bearer(token)), 'TOKEN_EXPIRED');
  });

  it('refuses a token that never expires', async () => {
    const token = await idp.mint({ exp: undefined });
    await expectRefused(verifier.verify(bearer(token)), 'TOKEN_INVALID', 'claim-invalid');
  });

  it('refuses a token that is not valid yet (nbf), within tolerance accepts it', async () => {
    const early = await idp.mint({ nbf: now() + 600 });
    await expectRefused(verifier.verify(bearer(early)), 'TOKEN_INVALID', 'not-yet-valid', early);
    const skewed = await idp.mint({ nbf: now() + 30 });
    await expect(verifier.verify(bearer(skewed))).resolves.toMatchObject({ tenantId: TENANT });
  });

  it('refuses a token without the required scope', async () => {
    const token = await idp.mint({ scp: 'openid profile User.Read' });
    const error = await expectRefused(
      verifier.verify(bearer(token)),
      'TOKEN_MISSING_SCOPE',
      'missing-scope',
      token,
    );
    expect(error.message).toContain(SCOPE);
    expect(error.wwwAuthenticate).toContain('error="insufficient_scope"');
  });

  it.each([{ scp: undefined }, { scp: `${SCOPE}.All` }, { scp: [SCOPE] }, { scp: SCOPE.toLowerCase() }])(
    'refuses scope claim %j',
    async (claims) => {
      await expectRefused(verifier.verify(bearer(await idp.mint(claims))), 'TOKEN_MISSING_SCOPE');
    },
  );

  it('refuses a tenant that is not listed, and a token without tid', async () => {
    const other = await idp.mint({ tid: '11111111-2222-3333-4444-555555555555' });
    await expectRefused(verifier.verify(bearer(other)), 'TOKEN_WRONG_TENANT', 'wrong-tenant', other);
    const none = await idp.mint({ tid: undefined });
    await expectRefused(verifier.verify(bearer(none)), 'TOKEN_WRONG_TENANT');
  });

  it("accepts any tenant with '*' in development only", async () => {
    const anyTenant = createSenderVerifier(idp.options({ tenants: ['*'], mode: 'development' }));
    const other = await idp.mint({ tid: '11111111-2222-3333-4444-555555555555' });
    await expect(anyTenant.verify(bearer(other))).resolves.toMatchObject({
      tenantId: '11111111-2222-3333-4444-555555555555',
    });
    expect(() => createSenderVerifier(idp.options({ tenants: ['*'] }))).toThrow(/development/);
    expect(() => createSenderVerifier(idp.options({ tenants: ['*'], mode: 'production' }))).toThrow(
      /development/,
    );
  });

  it('refuses a token without a mail address', async () => {
    const token = await idp.mint({ preferred_username: undefined });
    await expectRefused(verifier.verify(bearer(token)), 'TOKEN_INVALID', 'no-address', token);
    const notAnAddress = await idp.mint({ preferred_username: 'rita', upn: 'not an address' });
    await expectRefused(verifier.verify(bearer(notAnAddress)), 'TOKEN_INVALID', 'no-address');
  });

  it('refuses a token that names no user', async () => {
    const token = await idp.mint({ oid: undefined, sub: undefined });
    await expectRefused(verifier.verify(bearer(token)), 'TOKEN_INVALID', 'no-subject');
  });
});

describe('signatures and keys', () => {
  it('refuses a token signed by an unknown key (kid)', async () => {
    const foreign = await createTestIdp('foreign-key');
    const token = await foreign.mint();
    await expectRefused(verifier.verify(bearer(token)), 'TOKEN_INVALID', 'unknown-key', token);
  });

  it('refuses a foreign token wearing a trusted kid', async () => {
    const foreign = await createTestIdp(idp.kid);
    const token = await foreign.mint();
    await expectRefused(verifier.verify(bearer(token)), 'TOKEN_INVALID', 'bad-signature', token);
  });

  it('refuses a foreign ES256 token against the development issuer', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const kid = dev.jwks().keys[0]!.kid!;
    const token = await signWith(privateKey, { alg: 'ES256', kid }, { ...devClaims(), oid: 'intruder' });
    await expectRefused(devVerifier.verify(bearer(token)), 'TOKEN_INVALID', 'bad-signature', token);
  });

  it('refuses a tampered payload', async () => {
    const token = await dev.issue({ address: 'rep@plan.example' });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    claims.preferred_username = 'ceo@plan.example';
    const forged = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
    await expectRefused(devVerifier.verify(bearer(forged)), 'TOKEN_INVALID', 'bad-signature', forged);
  });

  it('refuses an HS256 token, even one keyed with the public key', async () => {
    const secret = await generateSecret('HS256');
    const token = await signWith(secret, { alg: 'HS256', kid: idp.kid }, await claimsOf(idp.mint()));
    await expectRefused(verifier.verify(bearer(token)), 'TOKEN_INVALID', 'alg-not-allowed', token);
    const confused = await signWith(
      new TextEncoder().encode(JSON.stringify(idp.publicJwk)),
      { alg: 'HS256', kid: idp.kid },
      await claimsOf(idp.mint()),
    );
    await expectRefused(verifier.verify(bearer(confused)), 'TOKEN_INVALID', 'alg-not-allowed');
  });

  it("refuses an unsigned token (alg 'none')", async () => {
    const token = new UnsecuredJWT(await claimsOf(idp.mint())).encode();
    await expectRefused(verifier.verify(bearer(token)), 'TOKEN_INVALID', 'alg-not-allowed', token);
  });

  it('refuses an algorithm outside the allow-list even with a matching key', async () => {
    const es = await createTestIdp('es-key', 'ES256');
    const rsOnly = createSenderVerifier({ ...idp.options(), jwks: { keys: { keys: [es.publicJwk] } } });
    await expectRefused(rsOnly.verify(bearer(await es.mint())), 'TOKEN_INVALID', 'alg-not-allowed');
  });
});

describe('errors', () => {
  it('are HttpErrors with status 401 and a {code, message} body', async () => {
    const error = await expectRefused(verifier.verify('Basic x'), 'UNAUTHENTICATED');
    expect(error).toBeInstanceOf(HttpError);
    expect(error.status).toBe(401);
    expect(error.toJSON()).toEqual({ code: 'UNAUTHENTICATED', message: error.message });
  });

  it('keep no token claims in a cause', async () => {
    const token = await idp.mint({ aud: 'api://someone-else' });
    const error = await expectRefused(verifier.verify(bearer(token)), 'TOKEN_WRONG_AUDIENCE');
    expect(error.cause).toBeUndefined();
  });
});

describe('configuration', () => {
  it.each([
    ['no issuers', { issuers: [] }, /issuer/],
    ['empty audience', { audience: '' }, /audience/],
    ['no tenants', { tenants: [] }, /tenant/],
    ['a symmetric algorithm', { algorithms: ['RS256', 'HS256'] }, /HS256/],
    ["'none'", { algorithms: ['none'] }, /none/],
    ['two scopes in one', { requiredScope: 'a b' }, /requiredScope/],
    ['a negative tolerance', { clockToleranceSeconds: -1 }, /clockTolerance/],
    ['a plain-http JWKS URL', { jwks: { url: 'http://login.example/keys' } }, /https/],
    ['a JWKS URL that is no URL', { jwks: { url: '' } }, /URL/],
  ])('refuses %s at start-up', (_label, overrides, message) => {
    expect(() => createSenderVerifier(idp.options(overrides))).toThrow(message);
  });
});

function devClaims(): Record<string, unknown> {
  const options = dev.verifierOptions();
  return {
    iss: options.issuers[0],
    aud: options.audience,
    tid: options.tenants[0],
    preferred_username: 'intruder@plan.example',
    scp: options.requiredScope,
    iat: now(),
    exp: now() + 600,
  };
}

async function claimsOf(pending: Promise<string>): Promise<Record<string, unknown>> {
  const payload = (await pending).split('.')[1]!;
  return JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
}
