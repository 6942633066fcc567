/**
 * Two server instances on one PostgreSQL store and one S3 bucket, as a
 * deployment behind a load balancer runs them: a sender's attachment taken by
 * instance A is downloaded by its recipient through instance B's portal, and
 * no attachment touches either instance's disk.
 *
 * The instances share the data folder for their keys only (the test helpers
 * keep keys there); blobs are asserted to be in the bucket and nowhere else.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Thread } from '../../../src/shared/portal-api';
import { buildApp } from '../../../src/server/app';
import { createSenderVerifier } from '../../../src/server/auth/sender-auth';
import { createBlobStore } from '../../../src/server/blobs/index';
import { S3BlobStore } from '../../../src/server/blobs/s3-blob-store';
import { loadConfig } from '../../../src/server/config';
import type { ServerContext } from '../../../src/server/context';
import { loadOrCreateKeyring } from '../../../src/server/crypto/keyring';
import { createDevIssuer } from '../../../src/server/dev/dev-issuer';
import { buildOrgPolicy } from '../../../src/server/policy';
import { openStore } from '../../../src/server/store/db';
import { createTlsChecker } from '../../../src/server/tls-check/index';
import { openTestServer, type TestServer } from '../helpers/context';
import { startTestS3, S3_CREDENTIALS, type TestS3 } from '../helpers/s3';
import { PG_ADMIN_URL } from '../helpers/stores';
import { registered, sendEnvelope, type SentEnvelope } from '../portal/helpers';

// The SDK's credential chain ends at the cloud's instance-metadata address: tests never reach off this machine.
process.env.AWS_EC2_METADATA_DISABLED = 'true';

const PREFIX = 'attachments/';
const ROSTER = Buffer.from('member 4471, claim line 1\n'.repeat(4000));
/** Over one S3 part (5 MiB) and over what the portal decrypts whole (4 MiB): uploaded in parts, read as a stream. */
const SCAN = Buffer.from(Array.from({ length: 6 * 1024 * 1024 + 123 }, (_, i) => (i * 31) % 253));

/** Every file under a folder, recursively. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(folder, e.name)) : [join(folder, e.name)],
  );
}

/**
 * A second instance, built as openTestServer builds one, on the first one's
 * database (a connection pool of its own) and keys, with its own blob store
 * made from the same configuration.
 */
async function openSecondInstance(first: TestServer, env: NodeJS.ProcessEnv): Promise<TestServer> {
  const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(first.store.db);
  const databaseUrl = new URL(PG_ADMIN_URL);
  databaseUrl.pathname = `/${rows[0]!.name}`;
  const dataDir = first.store.dataDir;
  const store = await openStore({ databaseUrl: databaseUrl.toString(), dataDir });
  const vars: NodeJS.ProcessEnv = { DATA_DIR: dataDir, PUBLIC_URL: 'https://secure.plan.example', ...env };
  const config = loadConfig(vars, vars.SECURE_ENVELOPE_CONFIG ?? '');
  const issuer = await createDevIssuer(dataDir);
  const ctx: ServerContext = {
    config,
    store,
    keyring: await loadOrCreateKeyring(dataDir),
    blobs: createBlobStore(config),
    verifier: createSenderVerifier(issuer.verifierOptions()),
    policy: buildOrgPolicy(config),
    tlsChecker: createTlsChecker(config, store),
    devIssuer: issuer,
  };
  const app = buildApp(ctx);
  await app.ready();
  const cleanup = async () => {
    await app.close();
    await ctx.tlsChecker.close();
    await store.close();
  };
  return {
    ctx,
    app,
    store: { ...store, dataDir, databaseUrl: databaseUrl.toString(), cleanup },
    issuer,
    token: (address = 'rep@plan.example') => issuer.issue({ address, name: 'Rita Rep' }),
    cleanup,
  };
}

describe('attachments in S3, shared by two server instances', () => {
  let s3: TestS3;
  let configDir: string;
  let a: TestServer;
  let b: TestServer | undefined;
  let envelope: SentEnvelope;

  beforeAll(async () => {
    s3 = await startTestS3();
    configDir = mkdtempSync(join(tmpdir(), 'se-s3-config-'));
    const file = join(configDir, 'config.json');
    // The portal hashes cheaply and limits generously here (as in the portal tests); the bucket's
    // credentials are in the file, everything else about the store in the environment.
    writeFileSync(
      file,
      JSON.stringify({
        org: { name: 'Health Plan', supportContact: 'Provider Services, 1-800-555-0100' },
        limits: { requestsPerMinute: 100_000 },
        portal: {
          argon2: { memoryKiB: 8192, passes: 1, lanes: 1 },
          throttle: { strangerRequestsPerMinute: 100_000 },
        },
        blobs: { s3: { ...S3_CREDENTIALS } },
      }),
    );
    const env: NodeJS.ProcessEnv = {
      SECURE_ENVELOPE_CONFIG: file,
      BLOB_STORE: 's3',
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.bucket,
      S3_PREFIX: PREFIX,
      S3_FORCE_PATH_STYLE: 'true',
    };
    a = await openTestServer('postgres', env);
    b = await openSecondInstance(a, env);
    envelope = await sendEnvelope(a, {
      to: ['desk@clinic.example'],
      attachments: [
        { name: 'roster.csv', contentType: 'text/csv', contentBase64: ROSTER.toString('base64') },
        { name: 'scan.bin', contentType: 'application/octet-stream', contentBase64: SCAN.toString('base64') },
      ],
    });
  }, 60_000);
  afterAll(async () => {
    for (const t of [b, a]) {
      if (t === undefined) continue;
      if (t.ctx.blobs instanceof S3BlobStore) await t.ctx.blobs.close();
      await t.cleanup();
    }
    await s3.close();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('gives each instance its own S3 store from the configuration', () => {
    for (const t of [a, b!]) {
      expect(t.ctx.blobs).toBeInstanceOf(S3BlobStore);
      expect(t.ctx.blobs).toMatchObject({ bucket: s3.bucket, prefix: PREFIX });
    }
    expect(b!.ctx.blobs).not.toBe(a.ctx.blobs);
  });

  it('keeps the attachments as objects under the prefix, in ciphertext', async () => {
    const stored = await a.ctx.store.db
      .selectFrom('attachments')
      .select('blob_key')
      .where('envelope_id', '=', envelope.id)
      .execute();
    expect(stored.length).toBe(2);
    expect(await s3.keys()).toEqual(stored.map((r) => `${PREFIX}${r.blob_key}`).sort());
    for (const r of stored) {
      const object = await s3.read(`${PREFIX}${r.blob_key}`);
      expect(object.includes(ROSTER.subarray(0, 40))).toBe(false);
      expect(object.includes(SCAN.subarray(1000, 1040))).toBe(false);
    }
  });

  it("lets the recipient download them through the other instance's portal, byte for byte", async () => {
    const desk = await registered(b!, envelope, 'desk@clinic.example');
    const threads = (await desk.get('/portal/api/threads')).json<{ threads: { id: string }[] }>().threads;
    expect(threads.length).toBe(1);
    const view = (await desk.get(`/portal/api/threads/${threads[0]!.id}`)).json<Thread>();
    const message = view.messages[0]!;
    const byName = new Map(message.attachments.map((x) => [x.name, x.id]));
    for (const [name, bytes] of [
      ['roster.csv', ROSTER],
      ['scan.bin', SCAN],
    ] as const) {
      const res = await desk.get(`/portal/api/messages/${message.id}/attachments/${byName.get(name)!}`);
      expect(res.statusCode).toBe(200);
      expect(res.rawPayload.length).toBe(bytes.length);
      expect(res.rawPayload.equals(bytes)).toBe(true);
    }
  });

  it('puts no blob on the local disk', async () => {
    const dataDir = a.store.dataDir;
    expect(existsSync(join(dataDir, 'blobs'))).toBe(false);
    const keys = (
      await a.ctx.store.db
        .selectFrom('attachments')
        .select('blob_key')
        .where('envelope_id', '=', envelope.id)
        .execute()
    ).map((r) => r.blob_key);
    const files = filesUnder(dataDir);
    for (const file of files) for (const key of keys) expect(file).not.toContain(key);
    // Keys, the audit anchor and the development issuer's key: a few kilobytes, not megabytes of ciphertext.
    const bytes = files.reduce((n, file) => n + statSync(file).size, 0);
    expect(bytes).toBeLessThan(64 * 1024);
  });
});
