/**
 * A flood of sign-ins, each client under its own limits, must not take the
 * server's cores: password hashing runs a few at a time through one bounded
 * queue, and what does not fit is told 503 SIGN_IN_BUSY with Retry-After at
 * once. An address without an account goes through the same queue and the
 * same argon2id work as one with an account.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PasswordHasher } from '../../../src/server/portal/passwords';
import type { TestServer } from '../helpers/context';
import { Browser, openPortalServer, PASSWORD, registered, sendEnvelope } from './helpers';

/** argon2id at the cost the portal ships with (OWASP's recommendation). */
const SHIPPED_COST = { memoryKiB: 19_456, passes: 2, lanes: 1 };

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function median(values: readonly number[]): number {
  return percentile(values, 50);
}

describe('a flood of sign-ins for unknown addresses', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await openPortalServer('sqlite', { argon2: { ...SHIPPED_COST, maxConcurrent: 1, maxQueued: 8 } });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('sheds what the hashing queue cannot take with 503 and Retry-After, and /healthz stays fast', async () => {
    const clients = Array.from({ length: 60 }, (_, i) => new Browser(t, `10.40.${i}.9`));
    for (const c of clients) await c.session();

    const flood = { on: true };
    const health: number[] = [];
    const probe = (async () => {
      while (flood.on) {
        const t0 = performance.now();
        const res = await t.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '10.41.0.1' });
        health.push(performance.now() - t0);
        expect(res.statusCode).toBe(200);
        await new Promise((r) => setTimeout(r, 20));
      }
    })();
    const answers: LightMyRequestResponse[] = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        clients[i % 60]!.signIn(`nobody-${i}@clinic.example`, 'some guess or other'),
      ),
    ).finally(() => {
      flood.on = false;
    });
    await probe;

    const busy = answers.filter((a) => a.statusCode === 503);
    const checked = answers.filter((a) => a.statusCode === 401);
    // Every answer is one of the two: checked and wrong, or refused for want of a turn.
    expect(busy.length + checked.length).toBe(300);
    expect(busy.length).toBeGreaterThan(0);
    expect(checked.length).toBeGreaterThanOrEqual(9);
    for (const a of busy) {
      const body = a.json<{ code: string; message: string }>();
      expect(body.code).toBe('SIGN_IN_BUSY');
      expect(body.message).toMatch(/try again in \d+ s/);
      expect(Number(a.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    }
    // A loaded two-core machine still answers health checks promptly.
    expect(health.length).toBeGreaterThan(3);
    expect(
      percentile(health, 95),
      `health latencies ${health.map((h) => h.toFixed(0)).join(' ')}`,
    ).toBeLessThan(300);
  });
});

describe('an address without an account costs what one with an account costs', () => {
  let t: TestServer;
  const address = 'known@clinic.example';

  beforeAll(async () => {
    // One hash at a time and no waiting: a second check while one runs is refused. A
    // costlier hash than shipped, so that one runs long enough to send the second meanwhile.
    t = await openPortalServer('sqlite', {
      argon2: { memoryKiB: 65_536, passes: 3, lanes: 1, maxConcurrent: 1, maxQueued: 0 },
    });
    await registered(t, await sendEnvelope(t, { to: [address] }), address);
  });
  afterAll(async () => {
    await t.cleanup();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  /** Starts `first`; once its password is being checked, sends `second` and answers with both. */
  async function whileChecking(
    first: () => Promise<LightMyRequestResponse>,
    second: () => Promise<LightMyRequestResponse>,
  ): Promise<[LightMyRequestResponse, LightMyRequestResponse]> {
    const spy = vi.spyOn(PasswordHasher.prototype, 'verify');
    const a = first();
    // Until the first one's password is being checked.
    while (spy.mock.calls.length === 0) await new Promise((r) => setTimeout(r, 1));
    spy.mockRestore();
    const b = await second();
    return [await a, b];
  }

  it('waits in the same queue: a sign-in for an unknown address is refused while a known one is checked, and the other way round', async () => {
    const x = new Browser(t, '10.42.0.1');
    const y = new Browser(t, '10.42.0.2');
    await x.session();
    await y.session();
    const [known, unknown] = await whileChecking(
      () => x.signIn(address, 'not the password'),
      () => y.signIn('nobody-here@clinic.example', 'not the password'),
    );
    expect(known.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(503);
    expect(unknown.json()).toMatchObject({ code: 'SIGN_IN_BUSY' });
    expect(unknown.headers['retry-after']).toBeDefined();

    const [unknown2, known2] = await whileChecking(
      () => y.signIn('nobody-either@clinic.example', 'not the password'),
      () => x.signIn(address, PASSWORD),
    );
    expect(unknown2.statusCode).toBe(401);
    expect(known2.statusCode).toBe(503);
    // Refused for want of a turn, the attempt did not count: the right password works next.
    expect((await x.signIn(address, PASSWORD)).statusCode).toBe(200);
  });

  it('takes as long for an unknown address as for a wrong password of a known one', async () => {
    const b = new Browser(t, '10.43.0.1');
    await b.session();
    const known: number[] = [];
    const unknown: number[] = [];
    // Interleaved, so a busy moment of the machine falls on both alike.
    for (let i = 0; i < 8; i++) {
      for (const [who, times] of [
        [address, known],
        [`ghost-${i}@clinic.example`, unknown],
      ] as const) {
        const t0 = performance.now();
        const res = await b.signIn(who, 'not the password either');
        times.push(performance.now() - t0);
        expect(res.statusCode).toBe(401);
      }
      // Four per client and address keep under the lockout.
      if (i === 3) {
        b.ip = '10.43.0.2';
        await b.session();
      }
    }
    // Skipping the hash would make an unknown address many times faster; the bounds leave room for noise.
    const ratio = median(unknown) / median(known);
    expect(
      ratio,
      `known ${known.map(Math.round).join(' ')} / unknown ${unknown.map(Math.round).join(' ')}`,
    ).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
