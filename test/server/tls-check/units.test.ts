import { createSecureContext } from 'node:tls';
import { describe, expect, it } from 'vitest';
import { memoryCache, type StoredVerdict } from '../../../src/server/tls-check/cache';
import { tlsCheckConfig } from '../../../src/server/tls-check/config';
import type { DnsAnswer, MailDns } from '../../../src/server/tls-check/dns';
import { awaitOtherHolder, withLease } from '../../../src/server/tls-check/lease';
import { domainVerdict, interimVerdict } from '../../../src/server/tls-check/outcomes';
import { createProber } from '../../../src/server/tls-check/probe';
import { RecentVerdicts } from '../../../src/server/tls-check/recent-verdicts';
import { SingleFlight } from '../../../src/server/tls-check/single-flight';

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function verdict(domain: string, expiresInMs: number): StoredVerdict {
  return {
    ...interimVerdict(domain, 'verified', 'all-mx-verified'),
    expiresAt: new Date(Date.now() + expiresInMs).toISOString(),
  };
}

describe('single flight', () => {
  it('joins running work for a key, and starts afresh once it settled', async () => {
    const flight = new SingleFlight<number>();
    const gate = deferred<number>();
    let starts = 0;
    const start = (): Promise<number> => {
      starts++;
      return gate.promise;
    };
    const first = flight.run('a', start);
    const second = flight.run('a', start);
    expect([first.joined, second.joined, starts]).toEqual([false, true, 1]);
    expect(second.work).toBe(first.work);
    expect(flight.get('a')).toBe(first.work);
    gate.resolve(7);
    expect(await second.work).toBe(7);
    await Promise.resolve();
    expect(flight.get('a')).toBeUndefined();
    flight.run('a', () => Promise.resolve(8));
    expect(starts).toBe(1);
  });

  it('forgets failed work too, and keeps keys apart', async () => {
    const flight = new SingleFlight<number>();
    const failing = flight.run('a', () => Promise.reject(new Error('no')));
    const other = flight.run('b', () => Promise.resolve(1));
    expect(other.joined).toBe(false);
    await expect(failing.work).rejects.toThrow('no');
    await other.work;
    await Promise.resolve();
    expect(flight.size).toBe(0);
  });
});

describe('recent verdicts', () => {
  it('answers marked as cached until the shorter of its own TTL and the verdict’s expiry', () => {
    const recent = new RecentVerdicts(30);
    const now = Date.now();
    recent.remember(verdict('long.example', 3_600_000), now);
    recent.remember(verdict('short.example', 1000), now);
    expect(recent.get('long.example', now)?.detail.cached).toBe(true);
    expect(recent.get('long.example', now + 31_000)).toBeUndefined();
    expect(recent.get('short.example', now + 500)).toBeDefined();
    expect(recent.get('short.example', now + 2000)).toBeUndefined();
  });

  it('keeps nothing with a TTL of 0, and drops the oldest entry when full', () => {
    const off = new RecentVerdicts(0);
    off.remember(verdict('a.example', 60_000));
    expect(off.size).toBe(0);
    const small = new RecentVerdicts(30, 2);
    small.remember(verdict('a.example', 60_000));
    small.remember(verdict('b.example', 60_000));
    small.remember(verdict('a.example', 60_000));
    small.remember(verdict('c.example', 60_000));
    expect(small.get('b.example')).toBeUndefined();
    expect(small.get('a.example')).toBeDefined();
    expect(small.get('c.example')).toBeDefined();
  });
});

describe('probe lease', () => {
  it('runs the work holding the lease, refuses a second holder meanwhile, and releases it', async () => {
    const cache = memoryCache();
    const gate = deferred<string>();
    const first = withLease(
      cache,
      { domain: 'd.example', holder: 'one', leaseMs: 10_000 },
      () => gate.promise,
    );
    await new Promise((r) => setTimeout(r, 0));
    expect(
      await withLease(cache, { domain: 'd.example', holder: 'two', leaseMs: 10_000 }, () =>
        Promise.resolve('x'),
      ),
    ).toBeNull();
    gate.resolve('done');
    expect(await first).toBe('done');
    expect(
      await withLease(cache, { domain: 'd.example', holder: 'two', leaseMs: 10_000 }, () =>
        Promise.resolve('x'),
      ),
    ).toBe('x');
  });

  it('leaves the lease alone when told the store is no longer to be touched', async () => {
    const cache = memoryCache();
    await withLease(cache, { domain: 'd.example', holder: 'one', leaseMs: 10_000, keep: () => false }, () =>
      Promise.resolve(1),
    );
    expect(
      await withLease(cache, { domain: 'd.example', holder: 'two', leaseMs: 10_000 }, () =>
        Promise.resolve(2),
      ),
    ).toBeNull();
  });

  it('finds the other holder’s verdict in the shared cache, or gives up in time', async () => {
    const cache = memoryCache();
    const signal = new AbortController().signal;
    setTimeout(() => void cache.putVerdict(verdict('d.example', 60_000)), 20);
    expect((await awaitOtherHolder(cache, 'd.example', 2000, signal, 5))?.domain).toBe('d.example');
    const started = Date.now();
    expect(await awaitOtherHolder(cache, 'e.example', 60, signal, 5)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('outcomes', () => {
  it('interim answers are never findings and say when to ask again', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const pending = interimVerdict('d.example', 'unknown', 'pending', '', now);
    expect(pending.expiresAt).toBe('2026-01-01T00:00:05.000Z');
    expect(interimVerdict('d.example', 'unknown', 'rate-limited', '', now).expiresAt).toBe(
      '2026-01-01T00:01:00.000Z',
    );
    expect(interimVerdict('d.example', 'unknown', 'mx-error', 'boom', now)).toMatchObject({
      expiresAt: '2026-01-01T00:00:00.000Z',
      detail: { message: 'boom', cached: false },
    });
  });

  it('a finding holds as long as its level earns, with the reason worded', () => {
    const ttls = { ttlGoodSeconds: 100, ttlWeakSeconds: 10, ttlUnknownSeconds: 1 };
    const now = Date.parse('2026-01-01T00:00:00Z');
    const v = domainVerdict(ttls, 'd.example', [], null, 'no-mail', 'null-mx', '', undefined, now);
    expect(v.detail.message).toMatch(/null MX/);
    expect(Date.parse(v.expiresAt)).toBeGreaterThan(now);
  });
});

describe('domain probe without a network', () => {
  const answers: Record<string, DnsAnswer<{ exchange: string; priority: number }>> = {
    'gone.example': { kind: 'nxdomain' },
    'null.example': { kind: 'records', records: [{ exchange: '.', priority: 0 }] },
    'broken.example': { kind: 'failure', error: 'SERVFAIL' },
    'bare.example': { kind: 'nodata' },
  };
  const dns: MailDns = {
    mx: (d) => Promise.resolve(answers[d] ?? { kind: 'nxdomain' }),
    addresses: () => Promise.resolve({ kind: 'nodata' }),
    txt: () => Promise.resolve({ kind: 'nodata' }),
  };
  const context = createSecureContext({});
  const prober = createProber({
    cfg: tlsCheckConfig.parse({}),
    dns,
    cache: memoryCache(),
    ehloName: 'test.example',
    probeTrust: context,
    trust: context,
    closing: new AbortController().signal,
  });

  it.each([
    ['gone.example', 'no-mail', 'no-such-domain'],
    ['null.example', 'no-mail', 'null-mx'],
    ['broken.example', 'unknown', 'dns-failure'],
    ['bare.example', 'no-mail', 'no-mail-host'],
  ])('%s is %s (%s)', async (domain, level, reason) => {
    const v = await prober.probeDomain(domain, false, new AbortController().signal);
    expect(v).toMatchObject({ domain, level, mx: [], detail: { reason, cached: false } });
  });
});
