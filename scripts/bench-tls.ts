/**
 * TLS verdict figures against the loopback peers (real DNS, real SMTP with
 * STARTTLS on port 25, a real test CA), on the embedded store and PostgreSQL:
 *
 * - cold check per domain (DNS, SMTP, STARTTLS, handshake, MTA-STS lookup), p50/p99
 * - warm check per domain, from this instance's memory and from the shared store
 * - throughput of a batch of distinct domains, with the checker's bounded concurrency
 * - a storm of concurrent requests for the same cold domains: probes per domain
 *   (must be 1) and the most probes of one domain ever running at once
 *
 *   npm run bench:tls [-- --cold 100 --batch 1000 --storm 400]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/server/config';
import { openStore, type Store } from '../src/server/store/db';
import { createTlsChecker, type TlsChecker } from '../src/server/tls-check/index';
import { startTlsPeers, type TlsPeers } from '../test/server/tls-check/peers';

const { values } = parseArgs({
  options: { cold: { type: 'string' }, batch: { type: 'string' }, storm: { type: 'string' } },
});
const COLD = Number(values.cold ?? 100);
const BATCH = Number(values.batch ?? 1000);
const STORM = Number(values.storm ?? 400);
const PG_ADMIN = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function summary(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  const f = (ms: number): string => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(1)} ms`);
  return `p50 ${f(percentile(s, 50))}  p99 ${f(percentile(s, 99))}  max ${f(s[s.length - 1]!)}  (n=${s.length})`;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

interface Opened {
  store: Store;
  cleanup(): Promise<void>;
}

async function openBenchStore(kind: 'sqlite' | 'postgres'): Promise<Opened> {
  const dataDir = mkdtempSync(join(tmpdir(), 'se-bench-tls-'));
  if (kind === 'sqlite') {
    const store = await openStore({ dataDir });
    return {
      store,
      async cleanup() {
        await store.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `se_bench_tls_${process.pid}`;
  const admin = async (sql: string): Promise<void> => {
    const client = new pg.Client({ connectionString: PG_ADMIN });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`DROP DATABASE IF EXISTS ${name}`);
  await admin(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  const store = await openStore({ dataDir, databaseUrl: url.toString() });
  return {
    store,
    async cleanup() {
      await store.close();
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function checkerOn(peers: TlsPeers, store: Store): TlsChecker {
  const base = loadConfig(
    {
      SECURE_ENVELOPE_DNS_SERVERS: peers.dnsServers,
      SECURE_ENVELOPE_EXTRA_CA: peers.extraCaFile,
      SECURE_ENVELOPE_ALLOW_PRIVATE_MX: '1',
    },
    '',
  );
  // Budgets out of the way: this measures the checker, not its rate limits.
  return createTlsChecker(
    {
      ...base,
      tlsCheck: { ...base.tlsCheck, clientProbesPerMinute: 1e9, globalProbesPerMinute: 1e9 },
    },
    store,
  );
}

async function bench(kind: 'sqlite' | 'postgres', peers: TlsPeers, offset: number): Promise<void> {
  const opened = await openBenchStore(kind);
  const checker = checkerOn(peers, opened.store);
  try {
    console.log(`\n== ${kind} ==`);
    const cold = Array.from({ length: COLD }, (_, i) => peers.bulkDomain(offset + i));
    const coldTimes: number[] = [];
    for (const d of cold) {
      coldTimes.push(
        await timed(async () => {
          const [v] = await checker.check([d]);
          if (v!.level !== 'verified') throw new Error(`${d}: expected verified, got ${v!.level}`);
        }),
      );
    }
    console.log(`cold check, one domain at a time        ${summary(coldTimes)}`);
    console.log(
      `  (of which 100 ms is the peer holding its greeting, as smtp-server does to catch early talkers)`,
    );

    const warm: number[] = [];
    for (let round = 0; round < 5; round++) {
      for (const d of cold) warm.push(await timed(() => checker.check([d])));
    }
    console.log(`warm check (this instance's memory)     ${summary(warm)}`);

    // Another instance on the same store: the verdict comes from the shared store.
    const other = checkerOn(peers, opened.store);
    const fromStore: number[] = [];
    for (const d of cold) fromStore.push(await timed(() => other.check([d])));
    const batchWarm = await timed(() => other.check(cold.slice(0, 50)));
    await other.close();
    console.log(`warm check (shared store, other instance) ${summary(fromStore)}`);
    console.log(`warm batch of 50 domains (memory)       ${batchWarm.toFixed(2)} ms`);

    // A batch of distinct cold domains, sent as the add-in would (requests of up
    // to 50), 20 requests in flight; the checker runs at most 32 probes at once.
    const batch = Array.from({ length: BATCH }, (_, i) => peers.bulkDomain(offset + COLD + i));
    const before = peers.connections('verified');
    let next = 0;
    let verified = 0;
    const elapsed = await timed(async () => {
      await Promise.all(
        Array.from({ length: 20 }, async () => {
          while (next < batch.length) {
            const slice = batch.slice(next, next + 50);
            next += 50;
            const results = await checker.check(slice, { wait: true });
            verified += results.filter((r) => r.level === 'verified').length;
          }
        }),
      );
    });
    const probes = peers.connections('verified') - before;
    console.log(
      `batch of ${BATCH} distinct domains          ${(BATCH / (elapsed / 1000)).toFixed(0)} domains/s ` +
        `(${(elapsed / 1000).toFixed(2)} s, ${verified} verified, ${probes} SMTP probes, ` +
        `at most ${checker.stats().maxConcurrentProbes} probes at once)`,
    );

    // A storm: STORM concurrent requests over 20 cold domains, through two
    // instances sharing the store.
    const stormDomains = Array.from({ length: 20 }, (_, i) => peers.bulkDomain(offset + COLD + BATCH + i));
    const a = checkerOn(peers, opened.store);
    const b = checkerOn(peers, opened.store);
    const stormBefore = peers.connections('verified');
    await Promise.all(
      Array.from({ length: STORM }, (_, i) =>
        // Every domain is asked of both instances (i / 20 alternates the instance per round).
        (Math.floor(i / stormDomains.length) % 2 === 0 ? a : b).check(
          [stormDomains[i % stormDomains.length]!],
          {
            client: `c${i % 7}`,
          },
        ),
      ),
    );
    // Let probes that passed the deadline finish before counting.
    await Promise.all(stormDomains.map((d) => a.check([d], { wait: true })));
    const stormProbes = peers.connections('verified') - stormBefore;
    const sa = a.stats();
    const sb = b.stats();
    console.log(
      `storm: ${STORM} concurrent requests, 20 domains, 2 instances: ` +
        `${stormProbes} SMTP probes (${(stormProbes / 20).toFixed(2)} per domain), ` +
        `probes started ${sa.probesStarted + sb.probesStarted}, joined in-instance ${sa.probesJoined + sb.probesJoined}, ` +
        `max concurrent probes per domain ${Math.max(sa.maxConcurrentPerDomain, sb.maxConcurrentPerDomain, checker.stats().maxConcurrentPerDomain)}`,
    );
    await a.close();
    await b.close();
  } finally {
    await checker.close();
    await opened.cleanup();
  }
}

const peers = await startTlsPeers();
console.log(
  `TLS verdict benchmark: ${cpus().length} CPU(s), node ${process.version}, peers and checker in one process`,
);
try {
  await bench('sqlite', peers, 0);
  await bench('postgres', peers, 100_000);
  console.log(`\nMAIL FROM / RCPT TO sent to peers: ${peers.mailCommands()}`);
} finally {
  await peers.close();
}
