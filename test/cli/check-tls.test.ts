/**
 * `secure-envelope check-tls`, run as a user runs it (a child process), against
 * the loopback peers, and compared with what `POST /v1/tls/check` answers.
 */
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TlsVerdict } from '../../src/shared/tls-verdict';
import { openTestServer, type TestServer } from '../server/helpers/context';
import { startTlsPeers, type TlsPeers } from '../server/tls-check/peers';
import { repoRoot } from './run-cli';

let peers: TlsPeers;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  peers = await startTlsPeers();
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    SECURE_ENVELOPE_DNS_SERVERS: peers.dnsServers,
    SECURE_ENVELOPE_EXTRA_CA: peers.extraCaFile,
    SECURE_ENVELOPE_ALLOW_PRIVATE_MX: '1',
  };
});

afterAll(async () => {
  await peers.close();
});

/** Runs the CLI without blocking this process: the peers answer from its event loop. */
function checkTls(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/secure-envelope.js', 'check-tls', ...args], {
      cwd: repoRoot,
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => {
      resolve({ status, stdout, stderr });
    });
    child.stdin.end();
  });
}

describe('secure-envelope check-tls', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await openTestServer('sqlite', env);
  });

  afterAll(async () => {
    await server.cleanup();
  });

  it('prints the same verdicts as the API with --json', async () => {
    const domains = [
      peers.domains.verified,
      peers.domains.none,
      peers.domains['mta-sts'],
      peers.domains.mixed,
    ];
    const run = await checkTls(['--json', ...domains]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const cli = (JSON.parse(run.stdout) as { results: TlsVerdict[] }).results;
    const api = (
      await server.app.inject({
        method: 'POST',
        url: '/v1/tls/check',
        headers: { authorization: `Bearer ${await server.token()}` },
        payload: { domains },
      })
    ).json<{ results: TlsVerdict[] }>().results;
    const essence = (v: TlsVerdict) => ({
      domain: v.domain,
      level: v.level,
      reason: v.detail.reason,
      policy: v.policy,
      mtaSts: v.detail.mtaSts,
      mx: v.mx.map((m) => ({
        host: m.host,
        priority: m.priority,
        level: m.level,
        starttls: m.starttls,
        trusted: m.trusted,
        nameMatches: m.nameMatches,
        subject: m.certificate?.subject ?? null,
      })),
    });
    expect(cli.map(essence)).toEqual(api.map(essence));
    expect(cli.map((v) => v.level)).toEqual(['verified', 'none', 'mta-sts', 'none']);
  });

  it('prints the verdict and per-MX evidence readably', async () => {
    const run = await checkTls([peers.domains.mixed, peers.domains['self-signed']]);
    expect(run.status).toBe(0);
    const out = run.stdout;
    expect(out).toContain(`${peers.domains.mixed}: none`);
    expect(out).toContain(`MX 10 ${peers.mxHosts.verified} [${peers.addresses.verified}]: verified`);
    expect(out).toContain(`MX 20 ${peers.mxHosts.none} [${peers.addresses.none}]: none`);
    expect(out).toMatch(/STARTTLS\s+not offered/);
    expect(out).toMatch(/TLS\s+TLSv1\.[23] /);
    expect(out).toMatch(new RegExp(`subject\\s+CN=${peers.mxHosts.verified.replace(/\./g, '\\.')}`));
    expect(out).toMatch(/issuer\s+CN=Secure Envelope Test CA/);
    expect(out).toMatch(/trust\s+chains to a trusted CA, names the host/);
    expect(out).toContain(`${peers.domains['self-signed']}: opportunistic`);
    expect(out).toMatch(/problem\s+DEPTH_ZERO_SELF_SIGNED_CERT \(self-signed certificate\)/);
    expect(out).toMatch(/policy\s+NOT protected \(minimum verified\)/);
  });

  it('exits 1 when a domain could not be judged', async () => {
    const run = await checkTls([peers.domains.verified, peers.domains.closed]);
    expect(run.status).toBe(1);
    expect(run.stdout).toContain(`${peers.domains.closed}: unknown`);
    expect(run.stdout).toMatch(/status\s+unreachable/);
  });

  it('refuses what is not a mail domain, and a missing one, with exit code 2', async () => {
    const bad = await checkTls(['rep@clinic.example']);
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('is not a mail domain (give the part after @');
    const none = await checkTls([]);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('expected at least one domain');
    const flag = await checkTls(['--jsn', 'example.org']);
    expect(flag.status).toBe(2);
  });
});
