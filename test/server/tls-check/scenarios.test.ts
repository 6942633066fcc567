/**
 * Every peer scenario through `POST /v1/tls/check`, on SQLite and PostgreSQL:
 * real DNS, real SMTP servers on port 25 of loopback addresses, a real HTTPS
 * MTA-STS server, each verdict checked for its level and its evidence.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TlsVerdict } from '../../../src/shared/tls-verdict';
import { openTestServer, type TestServer } from '../helpers/context';
import { STORE_KINDS } from '../helpers/stores';
import { startTlsPeers, type TlsPeers, type TlsPeerScenario } from './peers';

let peers: TlsPeers;
let configDir: string;
let configFile: string;

beforeAll(async () => {
  peers = await startTlsPeers();
  configDir = mkdtempSync(join(tmpdir(), 'se-tls-config-'));
  configFile = join(configDir, 'config.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      tlsCheck: {
        deadlineMs: 4000,
        dnsTimeoutMs: 600,
        connectTimeoutMs: 1000,
        greetingTimeoutMs: 1000,
        commandTimeoutMs: 1000,
        handshakeTimeoutMs: 2000,
      },
    }),
  );
});

afterAll(async () => {
  await peers.close();
  rmSync(configDir, { recursive: true, force: true });
});

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0]!;
}

describe.each(STORE_KINDS)('TLS verdicts of the loopback peers (%s)', (kind) => {
  let server: TestServer;

  beforeAll(async () => {
    server = await openTestServer(kind, {
      SECURE_ENVELOPE_CONFIG: configFile,
      SECURE_ENVELOPE_DNS_SERVERS: peers.dnsServers,
      SECURE_ENVELOPE_EXTRA_CA: peers.extraCaFile,
      SECURE_ENVELOPE_ALLOW_PRIVATE_MX: '1',
    });
  });

  afterAll(async () => {
    await server.cleanup();
  });

  async function check(scenario: TlsPeerScenario): Promise<TlsVerdict> {
    const response = await server.app.inject({
      method: 'POST',
      url: '/v1/tls/check',
      headers: { authorization: `Bearer ${await server.token()}` },
      payload: { domains: [peers.domains[scenario]] },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ results: TlsVerdict[] }>();
    return only(body.results);
  }

  it('verified: STARTTLS, TLS 1.2+, a certificate from a trusted CA naming the MX', async () => {
    const v = await check('verified');
    expect(v).toMatchObject({ domain: peers.domains.verified, level: 'verified' });
    expect(v.detail.reason).toBe('all-mx-verified');
    const mx = only(v.mx);
    expect(mx).toMatchObject({
      host: peers.mxHosts.verified,
      priority: 10,
      address: peers.addresses.verified,
      status: 'probed',
      level: 'verified',
      starttls: true,
      trusted: true,
      nameMatches: true,
      validationError: null,
    });
    expect(['TLSv1.2', 'TLSv1.3']).toContain(mx.protocol);
    expect(mx.greeting).toContain(peers.mxHosts.verified);
    expect(mx.certificate?.subject).toBe(`CN=${peers.mxHosts.verified}`);
    expect(mx.certificate?.issuer).toContain('Secure Envelope Test CA');
    expect(mx.certificate?.altNames).toContain(peers.mxHosts.verified);
    expect(Date.parse(mx.certificate!.validTo)).toBeGreaterThan(Date.now());
    expect(v.policy).toEqual({ override: null, minimumLevel: 'verified', protected: true });
    // Good verdicts hold for hours.
    expect(Date.parse(v.expiresAt) - Date.parse(v.checkedAt)).toBeGreaterThan(3600_000);
  });

  it('none: the MX does not offer STARTTLS', async () => {
    const v = await check('none');
    expect(v.level).toBe('none');
    expect(only(v.mx)).toMatchObject({
      status: 'probed',
      level: 'none',
      starttls: false,
      protocol: null,
      certificate: null,
      error: 'STARTTLS is not offered',
    });
    expect(v.policy.protected).toBe(false);
  });

  it('opportunistic: a self-signed certificate', async () => {
    const v = await check('self-signed');
    expect(v.level).toBe('opportunistic');
    const mx = only(v.mx);
    expect(mx).toMatchObject({ starttls: true, trusted: false, nameMatches: true, level: 'opportunistic' });
    expect(mx.validationError).toContain('SELF_SIGNED');
    expect(mx.certificate?.issuer).toBe(mx.certificate?.subject);
  });

  it('opportunistic: a trusted certificate for another host', async () => {
    const v = await check('wrong-name');
    expect(v.level).toBe('opportunistic');
    const mx = only(v.mx);
    expect(mx).toMatchObject({ starttls: true, trusted: true, nameMatches: false });
    expect(mx.validationError).toContain('name mismatch');
    expect(mx.certificate?.subject).toBe('CN=mail.elsewhere.test');
  });

  it('opportunistic: a good certificate, but nothing newer than TLS 1.1', async () => {
    const v = await check('old-tls');
    expect(v.level).toBe('opportunistic');
    const mx = only(v.mx);
    expect(mx).toMatchObject({ starttls: true, protocol: 'TLSv1.1', trusted: true, nameMatches: true });
    expect(mx.validationError).toContain('older than TLS 1.2');
  });

  it('opportunistic: a certificate from the trusted CA that has expired', async () => {
    const v = await check('expired');
    expect(v.level).toBe('opportunistic');
    const mx = only(v.mx);
    expect(mx).toMatchObject({ starttls: true, trusted: false, nameMatches: true });
    expect(mx.validationError).toContain('CERT_HAS_EXPIRED (certificate expired)');
    expect(Date.parse(mx.certificate!.validTo)).toBeLessThan(Date.now());
  });

  it('unknown: a greeting that never ends is cut off, not buffered', async () => {
    const v = await check('flood');
    expect(v.level).toBe('unknown');
    expect(only(v.mx)).toMatchObject({ status: 'error', error: 'reply too long', greeting: null });
    expect(only(v.mx).elapsedMs).toBeLessThan(1000);
  });

  it('unknown: the MX answers 421 (a temporary refusal is never "none")', async () => {
    const v = await check('temp-fail');
    expect(v).toMatchObject({ level: 'unknown', detail: { reason: 'all-mx-unreachable' } });
    const mx = only(v.mx);
    expect(mx.status).toBe('unreachable');
    expect(mx.error).toContain('421');
    expect(Date.parse(v.expiresAt) - Date.parse(v.checkedAt)).toBeLessThanOrEqual(60_000);
  });

  it('unknown: STARTTLS offered, then refused for now with 454', async () => {
    const v = await check('starttls-temp');
    expect(v).toMatchObject({ level: 'unknown', detail: { reason: 'mx-error' } });
    expect(only(v.mx)).toMatchObject({ status: 'error', level: 'unknown', starttls: true });
    expect(only(v.mx).error).toContain('STARTTLS answered 454');
  });

  it('unknown: nothing listens on port 25', async () => {
    const v = await check('closed');
    expect(v.level).toBe('unknown');
    expect(only(v.mx)).toMatchObject({ status: 'unreachable', starttls: null });
    expect(only(v.mx).error).toContain('ECONNREFUSED');
  });

  it('unknown: the MX never greets (a timeout is never "none")', async () => {
    const v = await check('silent');
    expect(v.level).toBe('unknown');
    expect(only(v.mx)).toMatchObject({ status: 'unreachable', error: 'greeting timed out' });
    expect(Date.parse(v.expiresAt) - Date.parse(v.checkedAt)).toBeLessThanOrEqual(60_000);
  });

  it('mixed MX: the weakest reachable MX decides', async () => {
    const v = await check('mixed');
    expect(v).toMatchObject({ level: 'none', detail: { reason: 'weakest-mx' } });
    expect(v.mx.map((m) => [m.host, m.priority, m.level])).toEqual([
      [peers.mxHosts.verified, 10, 'verified'],
      [peers.mxHosts.none, 20, 'none'],
    ]);
    expect(v.detail.message).toContain(peers.mxHosts.none);
  });

  it('no-mail: a null MX (RFC 7505)', async () => {
    const v = await check('null-mx');
    expect(v).toMatchObject({ level: 'no-mail', mx: [], detail: { reason: 'null-mx' } });
  });

  it('no-mail: a domain that does not exist', async () => {
    const v = await check('nxdomain');
    expect(v).toMatchObject({ level: 'no-mail', detail: { reason: 'no-such-domain' } });
  });

  it('unknown: SERVFAIL and a DNS timeout, cached only briefly', async () => {
    for (const scenario of ['servfail', 'dns-timeout'] as const) {
      const v = await check(scenario);
      expect(v).toMatchObject({ level: 'unknown', detail: { reason: 'dns-failure' } });
      expect(Date.parse(v.expiresAt) - Date.parse(v.checkedAt)).toBeLessThanOrEqual(60_000);
    }
  });

  it('an A-only domain is its own implicit MX', async () => {
    const v = await check('a-only');
    expect(v.level).toBe('verified');
    expect(only(v.mx)).toMatchObject({
      host: peers.domains['a-only'],
      priority: null,
      address: peers.addresses.verified,
      nameMatches: true,
    });
  });

  it('an IDN domain is checked and reported in its ASCII form', async () => {
    const v = await check('idn');
    expect(peers.domains.idn).toContain('bücher');
    expect(v.domain).toBe(peers.domains.idn.replace('bücher', 'xn--bcher-kva'));
    expect(v.level).toBe('verified');
  });

  it('mta-sts: verified, with an enforce policy whose wildcard covers the MX', async () => {
    const v = await check('mta-sts');
    expect(v).toMatchObject({ level: 'mta-sts', detail: { reason: 'mta-sts-enforced' } });
    expect(v.detail.mtaSts).toEqual({
      status: 'valid',
      id: 'mtasts1',
      mode: 'enforce',
      mx: [`*.${peers.zone}`],
      maxAge: 86400,
      coversMx: true,
      error: null,
    });
  });

  it('a policy in testing mode leaves the domain verified', async () => {
    const v = await check('mta-sts-testing');
    expect(v.level).toBe('verified');
    expect(v.detail.mtaSts).toMatchObject({ status: 'valid', mode: 'testing', coversMx: true });
  });

  it.each([
    ['mta-sts-malformed', 'not "key: value"'],
    ['mta-sts-redirect', 'redirects are not followed'],
    ['mta-sts-oversized', 'larger than 65536 bytes'],
  ] as const)('%s: the policy is refused and the domain stays verified', async (scenario, why) => {
    const v = await check(scenario);
    expect(v.level).toBe('verified');
    expect(v.detail.mtaSts).toMatchObject({ status: 'invalid', mode: null });
    expect(v.detail.mtaSts?.error).toContain(why);
  });

  it('an enforce policy that does not cover the MX does not earn mta-sts', async () => {
    const v = await check('mta-sts-mismatch');
    expect(v.level).toBe('verified');
    expect(v.detail.mtaSts).toMatchObject({ status: 'valid', mode: 'enforce', coversMx: false });
  });

  it('never dials a cloud metadata address, even with private MX allowed', async () => {
    const v = await check('metadata-mx');
    expect(v).toMatchObject({ level: 'unknown', detail: { reason: 'refused-address' } });
    expect(only(v.mx)).toMatchObject({ status: 'refused', address: '169.254.169.254' });
  });

  it('never looks up or dials MX names that are not host names (localhost, underscores)', async () => {
    const before = peers.connections('verified');
    const v = await check('bad-mx-names');
    expect(v).toMatchObject({ level: 'unknown', detail: { reason: 'all-mx-unreachable' } });
    expect(v.mx.map((m) => [m.host, m.status, m.address, m.error])).toEqual([
      ['localhost', 'unreachable', null, 'the MX name is not a host name'],
      [`bad_name.${peers.zone}`, 'unreachable', null, 'the MX name is not a host name'],
    ]);
    expect(peers.connections('verified')).toBe(before);
  });

  it('stores verdicts and MX evidence in the shared store, and answers again from it', async () => {
    const before = peers.connections('none');
    const v = await check('none');
    expect(v.detail.cached).toBe(true);
    expect(peers.connections('none')).toBe(before);
    const row = await server.store.db
      .selectFrom('tls_domain_verdicts')
      .select(['level'])
      .where('domain', '=', peers.domains.none)
      .executeTakeFirst();
    expect(row?.level).toBe('none');
    const mxRow = await server.store.db
      .selectFrom('tls_mx_results')
      .select(['level'])
      .where('host', '=', peers.mxHosts['wrong-name'])
      .executeTakeFirst();
    expect(mxRow?.level).toBe('opportunistic');
  });

  it('never sent MAIL FROM or RCPT TO to any peer', () => {
    expect(peers.mailCommands()).toBe(0);
  });
});
