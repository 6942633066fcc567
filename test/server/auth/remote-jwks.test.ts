import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, type JWK } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import {
  AuthError,
  createSenderVerifier,
  KeySetUnavailableError,
  type RemoteJwksSource,
} from '../../../src/server/auth/sender-auth';
import { createTestIdp, TENANT } from './tokens';

/** A JWKS endpoint on loopback that counts its requests; `keys` and `status` can change mid-test. */
interface JwksServer {
  url: string;
  requests: number;
  keys: JWK[];
  status: number;
  /** Accept connections but never answer. */
  hang: boolean;
  close(): Promise<void>;
}

const servers: JwksServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function startJwksServer(keys: JWK[]): Promise<JwksServer> {
  const state: JwksServer = {
    url: '',
    requests: 0,
    keys,
    status: 200,
    hang: false,
    close: () => closeServer(server),
  };
  const server = createServer((request, response) => {
    state.requests += 1;
    if (state.hang) return;
    response.writeHead(state.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: state.keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/discovery/v2.0/keys`;
  servers.push(state);
  return state;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await closeServer(server);
  return port;
}

async function verifierFor(jwks: RemoteJwksSource) {
  const idp = await createTestIdp();
  return { idp, verifier: createSenderVerifier(idp.options({ jwks })) };
}

describe('remote JWKS', () => {
  it('verifies through the URL and caches the key set', async () => {
    const idp = await createTestIdp();
    const server = await startJwksServer([idp.publicJwk]);
    const verifier = createSenderVerifier(idp.options({ jwks: { url: server.url } }));
    for (let i = 0; i < 3; i += 1) {
      await expect(verifier.verify(`Bearer ${await idp.mint()}`)).resolves.toMatchObject({
        tenantId: TENANT,
      });
    }
    expect(server.requests).toBe(1);
  });

  it('fetches once for concurrent first requests', async () => {
    const idp = await createTestIdp();
    const server = await startJwksServer([idp.publicJwk]);
    const verifier = createSenderVerifier(idp.options({ jwks: { url: server.url } }));
    const token = await idp.mint();
    await Promise.all(Array.from({ length: 5 }, () => verifier.verify(`Bearer ${token}`)));
    expect(server.requests).toBe(1);
  });

  it('does not refetch for an unknown kid during the cooldown', async () => {
    const idp = await createTestIdp();
    const stranger = await createTestIdp('stranger');
    const server = await startJwksServer([idp.publicJwk]);
    const verifier = createSenderVerifier(idp.options({ jwks: { url: server.url, cooldownMs: 60_000 } }));
    await verifier.verify(`Bearer ${await idp.mint()}`);
    for (let i = 0; i < 3; i += 1) {
      await expect(verifier.verify(`Bearer ${await stranger.mint()}`)).rejects.toMatchObject({
        code: 'TOKEN_INVALID',
        reason: 'unknown-key',
      });
    }
    expect(server.requests).toBe(1);
  });

  it('picks up a rotated key after the cooldown', async () => {
    const idp = await createTestIdp('old-key');
    const rotated = await createTestIdp('new-key');
    const server = await startJwksServer([idp.publicJwk]);
    const verifier = createSenderVerifier(idp.options({ jwks: { url: server.url, cooldownMs: 0 } }));
    await verifier.verify(`Bearer ${await idp.mint()}`);
    server.keys = [idp.publicJwk, rotated.publicJwk];
    await expect(verifier.verify(`Bearer ${await rotated.mint()}`)).resolves.toMatchObject({
      tenantId: TENANT,
    });
    expect(server.requests).toBe(2);
  });

  it('fails fast and clearly when the JWKS endpoint never answers', async () => {
    const idp = await createTestIdp();
    const server = await startJwksServer([idp.publicJwk]);
    server.hang = true;
    const verifier = createSenderVerifier(idp.options({ jwks: { url: server.url, timeoutMs: 200 } }));
    const started = Date.now();
    const error: unknown = await verifier
      .verify(`Bearer ${await idp.mint()}`)
      .catch((caught: unknown) => caught);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error).toBeInstanceOf(KeySetUnavailableError);
    expect(error).not.toBeInstanceOf(AuthError);
    expect(error).toMatchObject({
      code: 'INTERNAL',
      status: 500,
      message: expect.stringMatching(/timed out/) as string,
    });
  });

  it('fails clearly when nothing listens at the JWKS URL', async () => {
    const { idp, verifier } = await verifierFor({
      url: `http://127.0.0.1:${await closedPort()}/keys`,
      timeoutMs: 1000,
    });
    const error: unknown = await verifier
      .verify(`Bearer ${await idp.mint()}`)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KeySetUnavailableError);
    expect((error as Error).message).toMatch(/signing keys could not be fetched/);
  });

  it('fails clearly on an error status, then recovers once the endpoint does', async () => {
    const idp = await createTestIdp();
    const server = await startJwksServer([idp.publicJwk]);
    server.status = 503;
    const verifier = createSenderVerifier(idp.options({ jwks: { url: server.url } }));
    const token = await idp.mint();
    await expect(verifier.verify(`Bearer ${token}`)).rejects.toBeInstanceOf(KeySetUnavailableError);
    server.status = 200;
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({ tenantId: TENANT });
  });

  it('refuses a key set that holds a private key', async () => {
    const idp = await createTestIdp();
    const server = await startJwksServer([
      { ...(await exportJWK(idp.privateKey)), kid: idp.kid, alg: 'RS256' },
    ]);
    const verifier = createSenderVerifier(idp.options({ jwks: { url: server.url } }));
    await expect(verifier.verify(`Bearer ${await idp.mint()}`)).rejects.toBeInstanceOf(
      KeySetUnavailableError,
    );
  });
});
