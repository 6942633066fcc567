/**
 * A complete server context over a real test store, with the development
 * issuer for tokens, for tests that drive the app through `inject`.
 */
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../src/server/app';
import { createDevIssuer, type DevIssuer } from '../../../src/server/dev/dev-issuer';
import { createSenderVerifier } from '../../../src/server/auth/sender-auth';
import { createBlobStore } from '../../../src/server/blobs/index';
import { loadConfig } from '../../../src/server/config';
import type { ServerContext } from '../../../src/server/context';
import { loadOrCreateKeyring } from '../../../src/server/crypto/keyring';
import { buildOrgPolicy } from '../../../src/server/policy';
import { createTlsChecker } from '../../../src/server/tls-check/index';
import { connectRedis } from '../../../src/server/redis';
import { openTestStore, type StoreKind, type TestStore } from './stores';

export interface TestServer {
  ctx: ServerContext;
  app: FastifyInstance;
  store: TestStore;
  issuer: DevIssuer;
  /** A bearer token for a sender at `address`. */
  token(address?: string): Promise<string>;
  cleanup(): Promise<void>;
}

export async function openTestServer(kind: StoreKind, env: NodeJS.ProcessEnv = {}): Promise<TestServer> {
  const store = await openTestStore(kind);
  const vars: NodeJS.ProcessEnv = {
    DATA_DIR: store.dataDir,
    PUBLIC_URL: 'https://secure.plan.example',
    ...env,
  };
  const config = loadConfig(vars, vars.SECURE_ENVELOPE_CONFIG ?? '');
  const keyring = await loadOrCreateKeyring(store.dataDir);
  const issuer = await createDevIssuer(store.dataDir);
  const ctx: ServerContext = {
    config,
    store,
    keyring,
    blobs: createBlobStore(config),
    verifier: createSenderVerifier(issuer.verifierOptions()),
    policy: buildOrgPolicy(config),
    tlsChecker: createTlsChecker(config, store),
    devIssuer: issuer,
    redis: config.redisUrl !== undefined ? await connectRedis(config.redisUrl) : undefined,
  };
  const app = buildApp(ctx);
  await app.ready();
  return {
    ctx,
    app,
    store,
    issuer,
    token: (address = 'rep@plan.example') => issuer.issue({ address, name: 'Rita Rep' }),
    async cleanup() {
      await app.close();
      await ctx.tlsChecker.close();
      await ctx.redis?.quit();
      await store.cleanup();
    },
  };
}
