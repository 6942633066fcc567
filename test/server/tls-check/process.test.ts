/**
 * The peers as another process sees them: `secure-envelope serve` spawned with
 * SECURE_ENVELOPE_DNS_SERVERS, SECURE_ENVELOPE_EXTRA_CA and
 * SECURE_ENVELOPE_ALLOW_PRIVATE_MX=1 (what the add-in's end-to-end tests do).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TlsVerdict } from '../../../src/shared/tls-verdict';
import { signal, spawnServer, type ServerProcess } from '../helpers/process';
import { startTlsPeers, type TlsPeers } from './peers';

let peers: TlsPeers;
let server: ServerProcess;
let dataDir: string;

beforeAll(async () => {
  peers = await startTlsPeers();
  dataDir = mkdtempSync(join(tmpdir(), 'se-tls-process-'));
  server = await spawnServer({
    DATA_DIR: dataDir,
    SECURE_ENVELOPE_DNS_SERVERS: peers.dnsServers,
    SECURE_ENVELOPE_EXTRA_CA: peers.extraCaFile,
    SECURE_ENVELOPE_ALLOW_PRIVATE_MX: '1',
  });
});

afterAll(async () => {
  signal(server, 'SIGTERM');
  await server.exited;
  await peers.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a spawned server given the peers', () => {
  it('answers their verdicts over HTTP within its deadline, to signed-in senders only', async () => {
    const domains = [peers.domains.verified, peers.domains.none, peers.domains['mta-sts']];
    const body = JSON.stringify({ domains });
    const stranger = await fetch(`${server.base}/v1/tls/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(stranger.status).toBe(401);
    expect(await stranger.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
    // The add-in's way in: a sender token (here from the development issuer, on loopback).
    const issued = await fetch(`${server.base}/dev/token?address=rep@plan.example`);
    const { token } = (await issued.json()) as { token: string };
    const started = Date.now();
    const response = await fetch(`${server.base}/v1/tls/check`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body,
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(response.status).toBe(200);
    const { results } = (await response.json()) as { results: TlsVerdict[] };
    expect(results.map((r) => [r.domain, r.level])).toEqual([
      [peers.domains.verified, 'verified'],
      [peers.domains.none, 'none'],
      [peers.domains['mta-sts'], 'mta-sts'],
    ]);
    expect(results.map((r) => r.policy.protected)).toEqual([true, false, true]);
  });
});
