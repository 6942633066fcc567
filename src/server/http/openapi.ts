import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../app';
import { createSenderVerifier } from '../auth/sender-auth';
import { FsBlobStore } from '../blobs/fs-blob-store';
import { loadConfig } from '../config';
import { loadOrCreateKeyring } from '../crypto/keyring';
import { buildOrgPolicy } from '../policy';
import { openStore } from '../store/db';
import { createTlsChecker } from '../tls-check/index';

/**
 * The API's OpenAPI document, as a production server's routes declare it:
 * the app is built over a throwaway store (nothing is served or sent) and
 * asked for the document its schemas make. Stable for the same code, so the
 * written file shows in review what a change did to the API.
 */
export async function describeApi(): Promise<object> {
  const dataDir = await mkdtemp(join(tmpdir(), 'se-openapi-'));
  const env = { DATA_DIR: dataDir, PUBLIC_URL: 'https://secure.plan.example' };
  const config = loadConfig(env, '');
  const store = await openStore({ dataDir });
  const tlsChecker = createTlsChecker(config, store);
  try {
    const app = buildApp({
      config,
      store,
      keyring: await loadOrCreateKeyring(dataDir, env),
      blobs: new FsBlobStore(dataDir),
      // Never asked: no request reaches this app.
      verifier: createSenderVerifier({
        issuers: ['https://issuer.invalid'],
        audience: 'api://secure-envelope',
        tenants: ['00000000-0000-0000-0000-000000000000'],
        requiredScope: 'access_as_user',
        jwks: { url: 'https://issuer.invalid/keys' },
      }),
      policy: buildOrgPolicy(config),
      tlsChecker,
    });
    await app.ready();
    const document = app.swagger();
    await app.close();
    return document;
  } finally {
    await tlsChecker.close();
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
