/**
 * The checker as a service, on SQLite and PostgreSQL: signed-in senders only,
 * the deadline and the background probe, one probe per domain (in one
 * instance and across instances sharing a store), probe budgets per sender,
 * the SSRF guard, request limits, admin overrides and MTA-STS policy caching.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDevIssuer } from '../../../src/server/dev/dev-issuer';
import { loadConfig, type Config } from '../../../src/server/config';
import { createTlsChecker, type TlsChecker } from '../../../src/server/tls-check/index';
import type { TlsCheckConfig } from '../../../src/server/tls-check/config';
import { normalizeMailDomain, type TlsVerdict } from '../../../src/shared/tls-verdict';
import { openTestServer, type TestServer } from '../helpers/context';
import { openTestStore, STORE_KINDS } from '../helpers/stores';
import { startTlsPeers, type TlsPeers } from './peers';

const DEADLINE_MS = 700;
const SLOW_GREETING_MS = 1500;

let peers: TlsPeers;
let configDir: string;
let configFile: string;

beforeAll(async () => {
  peers = await startTlsPeers({ slowGreetingMs: SLOW_GREETING_MS });
  configDir = mkdtempSync(join(tmpdir(), 'se-tls-config-'));
  configFile = join(configDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      tlsCheck: {
        deadlineMs: DEADLINE_MS,
        dnsTimeoutMs: 600,
        greetingTimeoutMs: 5000,
        maxDomainsPerRequest: 5,
        clientProbesPerMinute: 5,
      },
    }),
  );
});

afterAll(async () => {
  await peers.close();
  rmSync(configDir, { recursive: true, force: true });
});

const ascii = (domain: string): string => normalizeMailDomain(domain)!;

/** An IPv4 address as the two hex groups of an IPv6 address ("127.1.2.4" → "7f01:204"). */
function hex(v4: string): string {
  const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
  return `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
}

describe.each(STORE_KINDS)('the TLS checker as a service (%s)', (kind) => {
  let server: TestServer;
  const extra: TlsChecker[] = [];

  beforeAll(async () => {
    server = await openTestServer(kind, {
      SECURE_ENVELOPE_CONFIG: configFile,
      SECURE_ENVELOPE_DNS_SERVERS: peers.dnsServers,
      SECURE_ENVELOPE_EXTRA_CA: peers.extraCaFile,
      SECURE_ENVELOPE_ALLOW_PRIVATE_MX: '1',
    });
  });

  afterAll(async () => {
    await Promise.all(extra.map((c) => c.close()));
    await server.cleanup();
  });

  /** Another checker on the same store: what a second server instance would be. */
  function instance(tls: Partial<TlsCheckConfig> = {}, policy: Partial<Config['policy']> = {}): TlsChecker {
    const base = server.ctx.config;
    const checker = createTlsChecker(
      {
        ...base,
        // The route's tight per-client budget is for its own test only.
        tlsCheck: { ...base.tlsCheck, clientProbesPerMinute: 120, ...tls },
        policy: { ...base.policy, ...policy },
      },
      server.store,
    );
    extra.push(checker);
    return checker;
  }

  async function post(
    payload: unknown,
    options: { remoteAddress?: string; sender?: string; authorization?: string | null } = {},
  ) {
    const authorization =
      options.authorization === undefined
        ? `Bearer ${await server.token(options.sender ?? 'rep@plan.example')}`
        : options.authorization;
    return server.app.inject({
      method: 'POST',
      url: '/v1/tls/check',
      payload: payload as object,
      remoteAddress: options.remoteAddress ?? '127.0.0.1',
      headers: authorization === null ? {} : { authorization },
    });
  }

  /** Distinct verified domains no other test (or store kind) asks about. */
  const fresh = (n: number): string => peers.bulkDomain(n + (kind === 'sqlite' ? 0 : 1000));

  it('answers strangers 401 before reading their request, and starts no probe for them', async () => {
    const before = server.ctx.tlsChecker.stats().probesStarted;
    const dnsBefore = peers.dnsQueries();
    // Many addresses, no token: what drained the shared budget before sign-in was required.
    const strangers = await Promise.all(
      Array.from({ length: 26 }, (_, i) =>
        post(
          { domains: [1, 2, 3, 4, 5].map((n) => fresh(100 + i * 5 + n)) },
          {
            remoteAddress: `198.51.100.${i + 1}`,
            authorization: null,
          },
        ),
      ),
    );
    for (const r of strangers) {
      expect(r.statusCode).toBe(401);
      expect(r.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(r.headers['www-authenticate']).toBe('Bearer');
    }
    for (const authorization of ['Bearer not.a.token', 'Basic cmVwOnB3', `Bearer ${'x'.repeat(40)}`]) {
      const r = await post({ domains: [fresh(300)] }, { authorization });
      expect(r.statusCode, authorization).toBe(401);
      expect(['UNAUTHENTICATED', 'TOKEN_INVALID']).toContain(r.json<{ code: string }>().code);
    }
    // A well-formed token signed with a key this server does not trust (another data folder's issuer).
    const elsewhere = mkdtempSync(join(tmpdir(), 'se-other-issuer-'));
    try {
      const token = await (await createDevIssuer(elsewhere)).issue({ address: 'rep@plan.example' });
      const forged = await post({ domains: [fresh(300)] }, { authorization: `Bearer ${token}` });
      expect(forged.statusCode).toBe(401);
      expect(forged.json<{ code: string }>().code).toBe('TOKEN_INVALID');
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
    expect(server.ctx.tlsChecker.stats().probesStarted).toBe(before);
    expect(peers.dnsQueries()).toBe(dnsBefore);
    // The senders' budget is untouched: a real sender's new domain gets its verdict.
    const real = await post({ domains: [fresh(301)] }, { sender: 'carol@plan.example' });
    expect(real.statusCode).toBe(200);
    expect(real.json<{ results: TlsVerdict[] }>().results[0]).toMatchObject({ level: 'verified' });
  });

  it('answers unknown at the deadline, keeps probing, and serves the result once it lands', async () => {
    const before = peers.connections('slow');
    const started = Date.now();
    const first = await post({ domains: [peers.domains.slow] });
    const elapsed = Date.now() - started;
    expect(first.statusCode).toBe(200);
    const [pending] = first.json<{ results: TlsVerdict[] }>().results;
    expect(pending).toMatchObject({ level: 'unknown', detail: { reason: 'pending', cached: false } });
    expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(elapsed).toBeLessThan(DEADLINE_MS + 500);
    // A pending answer is not a verdict to keep: it says to ask again soon.
    expect(Date.parse(pending!.expiresAt) - Date.parse(pending!.checkedAt)).toBeLessThanOrEqual(5000);

    let verdict: TlsVerdict | undefined;
    for (let i = 0; i < 40 && verdict?.level !== 'verified'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      verdict = (await post({ domains: [peers.domains.slow] })).json<{ results: TlsVerdict[] }>().results[0];
    }
    expect(verdict?.level).toBe('verified');
    const [later] = (await post({ domains: [peers.domains.slow] })).json<{ results: TlsVerdict[] }>().results;
    expect(later).toMatchObject({ level: 'verified', detail: { cached: true } });
    // The polling requests joined the one probe, then read its cached result.
    expect(peers.connections('slow') - before).toBe(1);
  });

  it('runs one probe per domain however many requests ask at once', async () => {
    const before = peers.connections('self-signed');
    const statsBefore = server.ctx.tlsChecker.stats();
    const responses = await Promise.all(
      Array.from({ length: 25 }, () => post({ domains: [peers.domains['self-signed']] })),
    );
    for (const r of responses) {
      expect(r.statusCode).toBe(200);
      expect(r.json<{ results: TlsVerdict[] }>().results[0]!.level).toBe('opportunistic');
    }
    const stats = server.ctx.tlsChecker.stats();
    expect(peers.connections('self-signed') - before).toBe(1);
    expect(stats.probesStarted - statsBefore.probesStarted).toBe(1);
    expect(stats.probesJoined - statsBefore.probesJoined).toBe(24);
    expect(stats.maxConcurrentPerDomain).toBe(1);
  });

  it('budgets new probes per sender: one sender spending its budget leaves the others theirs', async () => {
    // Both senders behind one office address, as a whole organisation's NAT would put them.
    const office = '203.0.113.9';
    const mallory = { sender: 'mallory@plan.example', remoteAddress: office };
    const first = await post({ domains: [1, 2, 3, 4, 5].map(fresh) }, mallory);
    expect(first.json<{ results: TlsVerdict[] }>().results.map((v) => v.detail.reason)).not.toContain(
      'rate-limited',
    );
    const sixth = await post({ domains: [fresh(6)] }, mallory);
    expect(sixth.statusCode).toBe(200);
    expect(sixth.json<{ results: TlsVerdict[] }>().results[0]).toMatchObject({
      level: 'unknown',
      detail: { reason: 'rate-limited' },
    });
    // Another address does not give the same sender a new budget.
    const moved = await post({ domains: [fresh(7)] }, { ...mallory, remoteAddress: '203.0.113.10' });
    expect(moved.json<{ results: TlsVerdict[] }>().results[0]!.detail.reason).toBe('rate-limited');
    // Another sender at the same address gets a real verdict for a domain never asked about.
    const rita = await post({ domains: [fresh(8)] }, { sender: 'rita@plan.example', remoteAddress: office });
    expect(rita.json<{ results: TlsVerdict[] }>().results[0]).toMatchObject({
      domain: fresh(8),
      level: 'verified',
    });
  });

  it('runs one probe per domain across instances sharing the store', async () => {
    const before = peers.connections('wrong-name');
    const [a, b] = [instance(), instance()];
    const domain = ascii(peers.domains['wrong-name']);
    const [ra, rb] = await Promise.all([
      a.check([domain], { wait: true }),
      b.check([domain], { wait: true }),
    ]);
    expect(ra[0]!.level).toBe('opportunistic');
    expect(rb[0]!.level).toBe('opportunistic');
    expect(peers.connections('wrong-name') - before).toBe(1);
    expect(a.stats().probesStarted + b.stats().probesStarted).toBe(1);
    // A third instance answers from the store without probing.
    const c = instance();
    const [rc] = await c.check([domain]);
    expect(rc).toMatchObject({ level: 'opportunistic', detail: { cached: true } });
    expect(c.stats()).toMatchObject({ probesStarted: 0, storeHits: 1 });
  });

  it('budgets new probes per client and overall, and still serves cached verdicts', async () => {
    const checker = instance({ clientProbesPerMinute: 2, globalProbesPerMinute: 3 });
    const [nullMx, nx, none, mixed] = [
      peers.domains['null-mx'],
      peers.domains.nxdomain,
      peers.domains.none,
      peers.domains.mixed,
    ].map(ascii) as [string, string, string, string];
    const first = await checker.check([nullMx, nx], { client: 'alice', wait: true });
    expect(first.map((v) => v.level)).toEqual(['no-mail', 'no-mail']);
    const [limited] = await checker.check([none], { client: 'alice', wait: true });
    expect(limited).toMatchObject({ level: 'unknown', detail: { reason: 'rate-limited', cached: false } });
    // Cached verdicts cost no probe.
    checker.clearMemory();
    const cached = await checker.check([nullMx], { client: 'alice' });
    expect(cached[0]).toMatchObject({ level: 'no-mail', detail: { cached: true } });
    // Another client has its own budget, until the global one is spent.
    const [bob] = await checker.check([none], { client: 'bob', wait: true });
    expect(bob!.level).toBe('none');
    const [carol] = await checker.check([mixed], { client: 'carol', wait: true });
    expect(carol!.detail.reason).toBe('rate-limited');
    expect(checker.stats().rateLimited).toBe(2);
  });

  it('refuses loopback and private MX targets unless the test setting allows them', async () => {
    const checker = instance({ allowPrivateMx: false });
    const before = peers.connections('verified');
    const domains = [peers.domains['a-only'], peers.domains['private-mx']].map(ascii);
    const results = await checker.check(domains, { wait: true, fresh: true });
    for (const v of results) {
      expect(v).toMatchObject({ level: 'unknown', detail: { reason: 'refused-address' } });
      expect(v.mx[0]!.status).toBe('refused');
      expect(v.mx[0]!.error).toMatch(/loopback or private address/);
    }
    expect(peers.connections('verified')).toBe(before);
  });

  it.each([
    ['nat64', (v4: string) => `64:ff9b::${hex(v4)}`],
    ['ipv4-compatible', (v4: string) => `::${hex(v4)}`],
    ['sixto4', (v4: string) => `2002:${hex(v4)}::1`],
    ['teredo', (v4: string) => `2001:0:${hex(v4)}:0:ffff:${hex(v4)}`],
  ])(
    'never dials an MX behind an IPv6 transition address (%s), even where private MX are allowed',
    async (label, aaaa) => {
      // The embedded IPv4 address is the verified peer's own: dialled, it would answer.
      const domain = peers.ipv6MxDomain(`${label}-${kind}`, aaaa(peers.addresses.verified));
      const checker = instance({ allowPrivateMx: true });
      const before = peers.connections('verified');
      const [v] = await checker.check([domain], { wait: true });
      expect(v).toMatchObject({ level: 'unknown', detail: { reason: 'refused-address' } });
      expect(v!.mx[0]).toMatchObject({ status: 'refused' });
      expect(v!.mx[0]!.error).toMatch(/transition addresses are never dialled/);
      expect(peers.connections('verified')).toBe(before);
    },
  );

  it('refuses an MTA-STS policy host on a private address the same way', async () => {
    // The MX verdict comes from the shared cache; the policy fetch must still be refused.
    await server.ctx.tlsChecker.check([ascii(peers.domains['mta-sts-testing'])], { wait: true });
    const checker = instance({ allowPrivateMx: false });
    const fetches = peers.policyFetches('mta-sts-mismatch');
    const [v] = await checker.check([ascii(peers.domains['mta-sts-mismatch'])], { wait: true });
    expect(v!.detail.mtaSts).toMatchObject({ status: 'invalid' });
    expect(v!.detail.mtaSts!.error).toContain('loopback or private address');
    expect(peers.policyFetches('mta-sts-mismatch')).toBe(fetches);
  });

  it('caps the batch and refuses bad names with a clear 400', async () => {
    const six = Array.from({ length: 6 }, (_, i) => `d${i}.example`);
    const tooMany = await post({ domains: six });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json()).toEqual({
      code: 'TOO_MANY_DOMAINS',
      message: 'ask about at most 5 domains at a time',
    });
    const huge = await post({ domains: Array.from({ length: 501 }, () => 'a.example') });
    expect(huge.json<{ code: string }>().code).toBe('TOO_MANY_DOMAINS');
    // A body far beyond any allowed batch is refused before it is parsed.
    const oversized = await post({ domains: ['a.example'], padding: 'x'.repeat(300_000) });
    expect(oversized.statusCode).toBe(400);
    expect(oversized.json()).toEqual({
      code: 'TOO_MANY_DOMAINS',
      message: 'the request is too large; ask about at most 5 domains at a time',
    });
    const notJson = await server.app.inject({
      method: 'POST',
      url: '/v1/tls/check',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await server.token()}` },
      payload: '{"domains": [',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json<{ code: string }>().code).toBe('VALIDATION_FAILED');

    for (const bad of ['rep@clinic.example', '127.0.0.1', 'localhost', 'http://x.example/', 'exa mple.org']) {
      const r = await post({ domains: ['fine.example', bad] });
      expect(r.statusCode).toBe(400);
      const body = r.json<{ code: string; message: string }>();
      expect(body.code).toBe('INVALID_DOMAIN');
      expect(body.message).toContain('domains.1');
      expect(body.message).toContain('is not a mail domain');
    }
    for (const payload of [
      {},
      { domains: [] },
      { domains: 'a.example' },
      { domains: [42] },
      { domains: ['x'.repeat(1001)] },
    ]) {
      const r = await post(payload);
      expect(r.statusCode).toBe(400);
      expect(r.json<{ code: string }>().code).toBe('VALIDATION_FAILED');
      expect(Object.keys(r.json<object>()).sort()).toEqual(['code', 'message']);
    }
  });

  it('answers one result per requested domain, in order, duplicates included', async () => {
    const r = await post({ domains: [peers.domains.nxdomain, peers.domains.idn, peers.domains.nxdomain] });
    expect(r.statusCode).toBe(200);
    const { results } = r.json<{ results: TlsVerdict[] }>();
    expect(results.map((v) => v.domain)).toEqual([
      peers.domains.nxdomain,
      ascii(peers.domains.idn),
      peers.domains.nxdomain,
    ]);
  });

  it('reports admin overrides beside the measured level, which stays as found', async () => {
    const verified = ascii(peers.domains.verified);
    const none = ascii(peers.domains.none);
    const checker = instance(
      {},
      { alwaysSecure: [verified], knownGood: [peers.zone], tlsMinimum: 'mta-sts' },
    );
    const [v, n, m] = await checker.check([verified, none, ascii(peers.domains['mta-sts'])], { wait: true });
    expect(v).toMatchObject({
      level: 'verified',
      policy: { override: 'always-secure', minimumLevel: 'mta-sts', protected: false },
    });
    // knownGood lists the zone: its subdomains are covered.
    expect(n).toMatchObject({ level: 'none', policy: { override: 'known-good', protected: true } });
    expect(m).toMatchObject({ level: 'mta-sts', policy: { override: 'known-good', protected: true } });

    const strict = instance({}, { knownGood: [], alwaysSecure: [], tlsMinimum: 'mta-sts' });
    const [v2, m2] = await strict.check([verified, ascii(peers.domains['mta-sts'])]);
    expect(v2!.policy).toEqual({ override: null, minimumLevel: 'mta-sts', protected: false });
    expect(m2!.policy.protected).toBe(true);
  });

  it('caches an MTA-STS policy by its id and fetches it again when the TXT id changes', async () => {
    const checker = instance();
    const domain = ascii(peers.domains['mta-sts']);
    await checker.check([domain], { wait: true });
    const fetches = peers.policyFetches('mta-sts');
    const [again] = await checker.check([domain], { wait: true, fresh: true });
    expect(again!.level).toBe('mta-sts');
    expect(peers.policyFetches('mta-sts')).toBe(fetches);

    const original = `version: STSv1\r\nmode: enforce\r\nmx: *.${peers.zone}\r\nmax_age: 86400\r\n`;
    try {
      peers.setMtaStsPolicy(
        'mta-sts',
        `version: STSv1\r\nmode: testing\r\nmx: *.${peers.zone}\r\nmax_age: 600\r\n`,
      );
      peers.setMtaStsTxt('mta-sts', 'v=STSv1; id=changed2;');
      const [changed] = await checker.check([domain], { wait: true, fresh: true });
      expect(peers.policyFetches('mta-sts')).toBe(fetches + 1);
      expect(changed).toMatchObject({
        level: 'verified',
        detail: { mtaSts: { id: 'changed2', mode: 'testing' } },
      });
      const row = await server.store.db
        .selectFrom('tls_mta_sts_policies')
        .select(['policy_id'])
        .where('domain', '=', domain)
        .executeTakeFirst();
      expect(row?.policy_id).toBe('changed2');
      // The TXT record gone: the cached policy stays in force until its max_age (RFC 8461 §5.1).
      peers.setMtaStsTxt('mta-sts', null);
      const [gone] = await checker.check([domain], { wait: true, fresh: true });
      expect(gone!.detail.mtaSts).toMatchObject({ status: 'valid', id: 'changed2' });
      expect(peers.policyFetches('mta-sts')).toBe(fetches + 1);
    } finally {
      peers.setMtaStsPolicy('mta-sts', original);
      peers.setMtaStsTxt('mta-sts', 'v=STSv1; id=mtasts1;');
    }
  });

  it('ends a verdict built on cached MX evidence no later than that evidence', async () => {
    const short = instance({ ttlGoodSeconds: 100 });
    await short.check([ascii(peers.domains.verified)], { wait: true, fresh: true });
    const idn = ascii(peers.domains.idn);
    await server.store.db.deleteFrom('tls_domain_verdicts').where('domain', '=', idn).execute();
    const long = instance({ ttlGoodSeconds: 6 * 3600 });
    const before = peers.connections('verified');
    const [v] = await long.check([idn], { wait: true });
    expect(v!.level).toBe('verified');
    expect(peers.connections('verified')).toBe(before);
    const holds = Date.parse(v!.expiresAt) - Date.parse(v!.checkedAt);
    expect(holds).toBeLessThanOrEqual(100_000);
    expect(holds).toBeGreaterThan(50_000);
  });

  it('answers unknown, not an error, when the shared store is out of reach', async () => {
    const lost = await openTestStore(kind);
    const checker = createTlsChecker(server.ctx.config, lost);
    await lost.cleanup();
    const [v] = await checker.check([ascii(peers.domains.none)], { wait: true });
    expect(v).toMatchObject({ level: 'unknown', detail: { reason: 'mx-error' } });
    await checker.close();
  });

  it('stops background probes promptly on close', async () => {
    const checker = createTlsChecker(
      { ...server.ctx.config, tlsCheck: { ...server.ctx.config.tlsCheck, deadlineMs: 100 } },
      server.store,
    );
    const [v] = await checker.check([ascii(peers.domains.silent)], { fresh: true });
    expect(v!.detail.reason).toBe('pending');
    const started = Date.now();
    await checker.close();
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(checker.check(['x.example'])).rejects.toThrow('closed');
  });

  it('never sent MAIL FROM or RCPT TO', () => {
    expect(peers.mailCommands()).toBe(0);
  });
});

describe('configuration', () => {
  it('takes resolvers from the environment as a comma-separated string and from a file as an array', () => {
    const fromEnv = loadConfig(
      { SECURE_ENVELOPE_DNS_SERVERS: '127.0.0.1:5353, 127.0.0.2', SECURE_ENVELOPE_ALLOW_PRIVATE_MX: '1' },
      '',
    );
    expect(fromEnv.tlsCheck.dnsServers).toEqual(['127.0.0.1:5353', '127.0.0.2']);
    expect(fromEnv.tlsCheck.allowPrivateMx).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'se-tls-config-'));
    try {
      const file = join(dir, 'c.json');
      writeFileSync(file, JSON.stringify({ tlsCheck: { dnsServers: ['[::1]:53'], deadlineMs: 1000 } }));
      const fromFile = loadConfig({}, file);
      expect(fromFile.tlsCheck).toMatchObject({
        dnsServers: ['[::1]:53'],
        deadlineMs: 1000,
        allowPrivateMx: false,
      });
      writeFileSync(file, JSON.stringify({ tlsCheck: { deadlineMs: 10_000 } }));
      expect(() => loadConfig({}, file)).toThrow(/tlsCheck\.deadlineMs/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => loadConfig({ SECURE_ENVELOPE_DNS_SERVERS: 'dns.example:53' }, '')).toThrow(
      /tlsCheck\.dnsServers/,
    );
    expect(() => loadConfig({ SECURE_ENVELOPE_ALLOW_PRIVATE_MX: 'perhaps' }, '')).toThrow(/allowPrivateMx/);
    expect(loadConfig({}, '').tlsCheck.allowPrivateMx).toBe(false);
    expect(() => loadConfig({ SECURE_ENVELOPE_EXTRA_CA: '/nonexistent/ca.pem' }, '')).toThrow(
      'invalid configuration: tlsCheck.extraCaFile: must be a readable PEM file with at least one certificate',
    );
    expect(loadConfig({ SECURE_ENVELOPE_EXTRA_CA: peers.extraCaFile }, '').tlsCheck.extraCaFile).toBe(
      peers.extraCaFile,
    );
  });
});
