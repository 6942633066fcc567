import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/server/redis';
import { openTestServer, type TestServer } from './helpers/context';

/** The machine's Redis; `.ci/run` starts it when it is down. */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function requireRedis(): Promise<void> {
  const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 2_000, maxRetriesPerRequest: 0 });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    await probe.ping();
  } catch {
    throw new Error(`Redis is not reachable at ${REDIS_URL}: start it (see .ci/run) to run these tests`);
  } finally {
    probe.disconnect();
  }
}

describe('rate limits shared through Redis (REDIS_URL)', () => {
  const servers: TestServer[] = [];
  beforeAll(async () => {
    await requireRedis();
    // A prefix of this run's own, so parallel runs and old keys cannot interfere.
    const prefix = `se-test-${process.pid}-${Date.now()}:`;
    const file = join(tmpdir(), `se-redis-${process.pid}.json`);
    writeFileSync(file, JSON.stringify({ limits: { requestsPerMinute: 4 }, redisPrefix: prefix }));
    for (let i = 0; i < 2; i++) {
      servers.push(await openTestServer('sqlite', { SECURE_ENVELOPE_CONFIG: file, REDIS_URL }));
    }
  });
  afterAll(async () => {
    for (const s of servers) await s.cleanup();
  });

  it('counts a client’s requests across every instance of the server', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      const server = servers[i % 2]!;
      codes.push((await server.app.inject({ method: 'GET', url: '/v1/policy' })).statusCode);
    }
    // Each instance alone saw only three requests: a per-process limit would have let all six through.
    expect(codes).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('says plainly when REDIS_URL points at nothing', async () => {
    await expect(connectRedis('redis://127.0.0.1:1')).rejects.toThrow(/cannot reach Redis at REDIS_URL/);
    await expect(connectRedis('redis://:secret@127.0.0.1:1')).rejects.not.toThrow(/secret/);
  });
});
