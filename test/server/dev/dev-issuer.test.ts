import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createDevIssuer,
  DEV_ISSUER_AUDIENCE,
  DEV_ISSUER_KEY_FILE,
  DEV_ISSUER_SCOPE,
  DEV_ISSUER_TENANT_ID,
  DEV_ISSUER_URL,
} from '../../../src/server/dev/dev-issuer';
import { createSenderVerifier } from '../../../src/server/auth/sender-auth';

let dataDir: string;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'se-dev-issuer-'));
});

afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const keyFile = (): string => join(dataDir, DEV_ISSUER_KEY_FILE);
const onPosix = process.platform !== 'win32';

describe('createDevIssuer', () => {
  it('creates the key file on first run, private to the owner', async () => {
    await createDevIssuer(dataDir);
    if (onPosix) expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(readFileSync(keyFile(), 'utf8')) as { privateJwk: { d?: string } };
    expect(stored.privateJwk.d).toBeTypeOf('string');
  });

  it('creates the data folder when it is missing', async () => {
    const nested = join(dataDir, 'a', 'b');
    const issuer = await createDevIssuer(nested);
    await expect(
      createSenderVerifier(issuer.verifierOptions()).verify(
        `Bearer ${await issuer.issue({ address: 'a@b.example' })}`,
      ),
    ).resolves.toBeDefined();
  });

  it('keeps the key across restarts', async () => {
    const first = await createDevIssuer(dataDir);
    const token = await first.issue({ address: 'rep@plan.example' });
    const second = await createDevIssuer(dataDir);
    expect(second.jwks()).toEqual(first.jwks());
    await expect(
      createSenderVerifier(second.verifierOptions()).verify(`Bearer ${token}`),
    ).resolves.toMatchObject({ address: 'rep@plan.example' });
  });

  it('gives two processes starting at once the same key', async () => {
    const [a, b, c] = await Promise.all([
      createDevIssuer(dataDir),
      createDevIssuer(dataDir),
      createDevIssuer(dataDir),
    ]);
    expect(b.jwks()).toEqual(a.jwks());
    expect(c.jwks()).toEqual(a.jwks());
  });

  it.runIf(onPosix)('tightens a key file that lost its mode', async () => {
    await createDevIssuer(dataDir);
    chmodSync(keyFile(), 0o644);
    await createDevIssuer(dataDir);
    expect(statSync(keyFile()).mode & 0o777).toBe(0o600);
  });

  it('refuses a corrupt key file rather than replacing it silently', async () => {
    writeFileSync(keyFile(), '{"not":"a key"}', { mode: 0o600 });
    await expect(createDevIssuer(dataDir)).rejects.toThrow(/delete it/);
  });
});

describe('issue', () => {
  it('signs an Entra-shaped token with every claim the verifier needs', async () => {
    const issuer = await createDevIssuer(dataDir);
    const before = Math.floor(Date.now() / 1000);
    const token = await issuer.issue({ address: ' Rep@Plan.Example ', name: 'Rita Rep', ttlSeconds: 600 });
    const header = decodeProtectedHeader(token);
    expect(header).toEqual({ alg: 'ES256', typ: 'JWT', kid: issuer.jwks().keys[0]!.kid });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({
      iss: DEV_ISSUER_URL,
      aud: DEV_ISSUER_AUDIENCE,
      tid: DEV_ISSUER_TENANT_ID,
      preferred_username: 'rep@plan.example',
      name: 'Rita Rep',
      scp: DEV_ISSUER_SCOPE,
    });
    expect(claims.sub).toBe(claims.oid);
    expect(claims.iat).toBeGreaterThanOrEqual(before);
    expect(claims.exp! - claims.iat!).toBe(600);
  });

  it('gives an address the same subject every time, and another address another', async () => {
    const issuer = await createDevIssuer(dataDir);
    const verifier = createSenderVerifier(issuer.verifierOptions());
    const subjectOf = async (address: string) =>
      (await verifier.verify(`Bearer ${await issuer.issue({ address })}`)).subject;
    expect(await subjectOf('rep@plan.example')).toBe(await subjectOf('REP@plan.example'));
    expect(await subjectOf('rep@plan.example')).not.toBe(await subjectOf('other@plan.example'));
  });

  it.each([
    [{ address: 'not-an-address' }, /address/],
    [{ address: 'a@b.example', ttlSeconds: 0 }, /ttlSeconds/],
    [{ address: 'a@b.example', ttlSeconds: 1.5 }, /ttlSeconds/],
    [{ address: 'a@b.example', ttlSeconds: 7 * 24 * 3600 }, /ttlSeconds/],
  ])('refuses %j', async (request, message) => {
    const issuer = await createDevIssuer(dataDir);
    await expect(issuer.issue(request)).rejects.toThrow(message);
  });
});

describe('jwks and verifierOptions', () => {
  it('publish only the public key', async () => {
    const issuer = await createDevIssuer(dataDir);
    const { keys } = issuer.jwks();
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(keys[0]).not.toHaveProperty('d');
    expect(JSON.stringify(issuer.verifierOptions())).not.toContain('"d"');
  });

  it('trust exactly the development issuer', async () => {
    const issuer = await createDevIssuer(dataDir);
    expect(issuer.verifierOptions()).toMatchObject({
      issuers: [DEV_ISSUER_URL],
      audience: DEV_ISSUER_AUDIENCE,
      tenants: [DEV_ISSUER_TENANT_ID],
      requiredScope: DEV_ISSUER_SCOPE,
      algorithms: ['ES256'],
    });
    // The reserved .invalid TLD: this issuer can never be mistaken for a real identity provider.
    expect(new URL(DEV_ISSUER_URL).hostname.endsWith('.invalid')).toBe(true);
  });

  it('do not let one data folder accept tokens from another', async () => {
    const other = mkdtempSync(join(tmpdir(), 'se-dev-issuer-other-'));
    try {
      const mine = await createDevIssuer(dataDir);
      const theirs = await createDevIssuer(other);
      const token = await theirs.issue({ address: 'rep@plan.example' });
      await expect(
        createSenderVerifier(mine.verifierOptions()).verify(`Bearer ${token}`),
      ).rejects.toMatchObject({
        code: 'TOKEN_INVALID',
        reason: 'unknown-key',
      });
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
