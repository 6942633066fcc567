/**
 * Real mail peers on loopback for TLS-verdict tests: a DNS server (dns2, UDP),
 * SMTP servers (smtp-server) on port 25 of their own 127.x.y.z addresses, and
 * an HTTPS server on port 443 serving MTA-STS policies, all under a fresh zone
 * `p<random>.test` and a fresh test CA.
 *
 *   const peers = await startTlsPeers();
 *   // a server process sees them with:
 *   //   SECURE_ENVELOPE_DNS_SERVERS=peers.dnsServers
 *   //   SECURE_ENVELOPE_EXTRA_CA=peers.extraCaFile
 *   //   SECURE_ENVELOPE_ALLOW_PRIVATE_MX=1
 *   peers.domains.verified    // → level 'verified'
 *   peers.domains.none        // → level 'none' (no STARTTLS)
 *   peers.domains['mta-sts']  // → level 'mta-sts'
 *   await peers.close();
 *
 * Scenarios (key → what the domain is and the level a checker should give):
 *   verified           MX with a certificate from the test CA naming it     → verified
 *   none               MX that does not offer STARTTLS                      → none
 *   self-signed        MX with a self-signed certificate                    → opportunistic
 *   wrong-name         MX with a test-CA certificate for another host       → opportunistic
 *   old-tls            MX with a good certificate, but TLS 1.1 at most       → opportunistic
 *   expired            MX whose test-CA certificate has expired             → opportunistic
 *   flood              MX whose greeting never ends (100 KB of 220- lines)  → unknown
 *   temp-fail          MX that answers 421 and hangs up                     → unknown
 *   starttls-temp      MX that offers STARTTLS, then answers it with 454     → unknown
 *   closed             MX address where nothing listens on port 25          → unknown
 *   silent             MX that accepts the connection and never greets      → unknown
 *   slow               like `verified`, but greets after `slowGreetingMs`   → verified (eventually)
 *   mixed              two MX: the verified one and the one without STARTTLS → none
 *   null-mx            `MX 0 .` (RFC 7505)                                  → no-mail
 *   nxdomain           a name that does not exist                           → no-mail
 *   servfail           DNS answers SERVFAIL                                 → unknown
 *   dns-timeout        DNS never answers                                    → unknown
 *   a-only             no MX, an A record on the verified server            → verified (implicit MX)
 *   idn                `bücher…` in Unicode; its ASCII form has the records  → verified
 *   mta-sts            verified MX, MTA-STS `enforce` covering it (wildcard) → mta-sts
 *   mta-sts-testing    policy in `testing` mode                             → verified
 *   mta-sts-malformed  policy that does not parse                           → verified
 *   mta-sts-redirect   policy URL answers with a redirect                   → verified
 *   mta-sts-oversized  policy larger than any checker should read           → verified
 *   mta-sts-mismatch   `enforce`, but its mx patterns do not cover the MX    → verified
 *   private-mx         MX resolving to 10.255.255.1 (SSRF guard)            → unknown (refused)
 *   metadata-mx        MX resolving to 169.254.169.254 (SSRF guard)         → unknown (refused)
 *   bad-mx-names       MX `localhost` and `bad_name.<zone>`: not dialled     → unknown
 * and bulkDomain(n), any number of distinct verified domains for load tests.
 *
 * Counters let tests assert what the checker did: SMTP connections per server,
 * MAIL/RCPT commands (must stay 0), policy fetches and DNS queries.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dns2 from 'dns2';
import { generate } from 'selfsigned';
import { SMTPServer } from 'smtp-server';

export const TLS_PEER_SCENARIOS = [
  'verified',
  'none',
  'self-signed',
  'wrong-name',
  'old-tls',
  'expired',
  'flood',
  'temp-fail',
  'starttls-temp',
  'closed',
  'silent',
  'slow',
  'mixed',
  'null-mx',
  'nxdomain',
  'servfail',
  'dns-timeout',
  'a-only',
  'idn',
  'mta-sts',
  'mta-sts-testing',
  'mta-sts-malformed',
  'mta-sts-redirect',
  'mta-sts-oversized',
  'mta-sts-mismatch',
  'private-mx',
  'metadata-mx',
  'bad-mx-names',
] as const;
export type TlsPeerScenario = (typeof TLS_PEER_SCENARIOS)[number];

/** The SMTP-ish servers, by what they do. */
export const TLS_PEER_SERVERS = [
  'verified',
  'none',
  'self-signed',
  'wrong-name',
  'old-tls',
  'expired',
  'flood',
  'temp-fail',
  'starttls-temp',
  'silent',
  'slow',
] as const;
export type TlsPeerServer = (typeof TLS_PEER_SERVERS)[number];

export interface TlsPeersOptions {
  /** How long the `slow` server waits before its greeting (default 1500 ms). */
  slowGreetingMs?: number;
}

export interface TlsPeers {
  /** "127.x.y.1:port": the value for SECURE_ENVELOPE_DNS_SERVERS. */
  dnsServers: string;
  /** PEM file of the test CA: the value for SECURE_ENVELOPE_EXTRA_CA. */
  extraCaFile: string;
  /** The test CA certificate (PEM). */
  caPem: string;
  /** The zone every domain is under, e.g. "pk3j9x.test". */
  zone: string;
  /** A domain per scenario (the `idn` one in its Unicode form). */
  domains: Record<TlsPeerScenario, string>;
  /** The MX host names of each SMTP server. */
  mxHosts: Record<TlsPeerServer, string>;
  /** The loopback address of each SMTP server (port 25) and of the MTA-STS web server (443). */
  addresses: Record<TlsPeerServer | 'closed' | 'mta-sts-web' | 'dns', string>;
  /** TCP connections each server has accepted so far. */
  connections(server: TlsPeerServer): number;
  /** MAIL FROM / RCPT TO commands received by any server (a checker must send none). */
  mailCommands(): number;
  /** HTTPS requests for a scenario's policy so far. */
  policyFetches(scenario: TlsPeerScenario): number;
  /** DNS questions received so far. */
  dnsQueries(): number;
  /**
   * The n-th of any number of extra domains, for load tests: bulk<n>.<zone>,
   * each with its own MX host (mx-bulk<n>.<zone>) on the verified server,
   * whose certificate also names *.<zone>, so each is `verified` after a full probe.
   */
  bulkDomain(n: number): string;
  /**
   * A domain (<label>.<zone>) whose one MX host resolves to `address` only
   * (an AAAA record, written out in hex), for the SSRF guard's IPv6 cases.
   */
  ipv6MxDomain(label: string, address: string): string;
  /** Replaces (or with null removes) the `_mta-sts` TXT record of a scenario's domain. */
  setMtaStsTxt(scenario: TlsPeerScenario, txt: string | null): void;
  /** Replaces the policy text served for a scenario's domain. */
  setMtaStsPolicy(scenario: TlsPeerScenario, body: string): void;
  close(): Promise<void>;
}

/** Host numbers (last octet) inside the run's 127.a.b.0/24. */
const HOST = {
  dns: 1,
  none: 2,
  'self-signed': 3,
  verified: 4,
  'wrong-name': 5,
  'temp-fail': 6,
  closed: 7,
  silent: 8,
  slow: 9,
  'mta-sts-web': 10,
  'old-tls': 11,
  'starttls-temp': 12,
  expired: 13,
  flood: 14,
} as const;

interface Record_ {
  type: number;
  value: string;
  priority?: number;
}

const T = dns2.Packet.TYPE;

export async function startTlsPeers(options: TlsPeersOptions = {}): Promise<TlsPeers> {
  // Vitest runs files in parallel processes: a random /24 inside 127/8 per run
  // keeps their port-25 servers apart. A collision is retried with another one.
  for (let attempt = 0; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (e) {
      if (attempt >= 4 || !(e instanceof Error && 'code' in e && e.code === 'EADDRINUSE')) throw e;
    }
  }
}

async function startOnce(options: TlsPeersOptions): Promise<TlsPeers> {
  const a = 16 + Math.floor(Math.random() * 230);
  const b = 1 + Math.floor(Math.random() * 250);
  const ip = (host: number): string => `127.${a}.${b}.${host}`;
  const zone = `p${Math.random().toString(36).slice(2, 8)}.test`;
  const z = (label: string): string => `${label}.${zone}`;

  const mxHosts: Record<TlsPeerServer, string> = {
    verified: z('mx-verified'),
    none: z('mx-plain'),
    'self-signed': z('mx-selfsigned'),
    'wrong-name': z('mx-wrongname'),
    'old-tls': z('mx-oldtls'),
    'starttls-temp': z('mx-starttlstemp'),
    expired: z('mx-expired'),
    flood: z('mx-flood'),
    'temp-fail': z('mx-tempfail'),
    silent: z('mx-silent'),
    slow: z('mx-slow'),
  };
  const idnUnicode = z('bücher');
  const idnAscii = z('xn--bcher-kva');
  const domains: Record<TlsPeerScenario, string> = {
    verified: z('verified'),
    none: z('none'),
    'self-signed': z('self-signed'),
    'wrong-name': z('wrong-name'),
    'old-tls': z('old-tls'),
    'starttls-temp': z('starttls-temp'),
    expired: z('expired'),
    flood: z('flood'),
    'temp-fail': z('temp-fail'),
    closed: z('closed'),
    silent: z('silent'),
    slow: z('slow'),
    mixed: z('mixed'),
    'null-mx': z('null-mx'),
    nxdomain: z('does-not-exist'),
    servfail: z('servfail'),
    'dns-timeout': z('dns-timeout'),
    'a-only': z('a-only'),
    idn: idnUnicode,
    'mta-sts': z('mta-sts'),
    'mta-sts-testing': z('mta-sts-testing'),
    'mta-sts-malformed': z('mta-sts-malformed'),
    'mta-sts-redirect': z('mta-sts-redirect'),
    'mta-sts-oversized': z('mta-sts-oversized'),
    'mta-sts-mismatch': z('mta-sts-mismatch'),
    'private-mx': z('private-mx'),
    'metadata-mx': z('metadata-mx'),
    'bad-mx-names': z('bad-mx-names'),
  };
  const asciiOf = (s: TlsPeerScenario): string => (s === 'idn' ? idnAscii : domains[s]);

  // --- DNS zone ---------------------------------------------------------------
  const records = new Map<string, Record_[]>();
  const add = (name: string, type: number, value: string, priority?: number): void => {
    const list = records.get(name) ?? [];
    list.push(priority === undefined ? { type, value } : { type, value, priority });
    records.set(name, list);
  };
  for (const server of TLS_PEER_SERVERS) add(mxHosts[server], T.A, ip(HOST[server]));
  const closedMx = z('mx-closed');
  add(closedMx, T.A, ip(HOST.closed));
  const mxOf: Partial<Record<TlsPeerScenario, string[]>> = {
    verified: [mxHosts.verified],
    none: [mxHosts.none],
    'self-signed': [mxHosts['self-signed']],
    'wrong-name': [mxHosts['wrong-name']],
    'old-tls': [mxHosts['old-tls']],
    'starttls-temp': [mxHosts['starttls-temp']],
    expired: [mxHosts.expired],
    flood: [mxHosts.flood],
    'temp-fail': [mxHosts['temp-fail']],
    closed: [closedMx],
    silent: [mxHosts.silent],
    slow: [mxHosts.slow],
    mixed: [mxHosts.verified, mxHosts.none],
    'null-mx': [''],
    idn: [mxHosts.verified],
    'private-mx': [z('mx-private')],
    'metadata-mx': [z('mx-metadata')],
    'bad-mx-names': ['localhost', z('bad_name')],
  };
  add('localhost', T.A, '127.0.0.1');
  add(z('bad_name'), T.A, ip(HOST.verified));
  add(z('mx-private'), T.A, '10.255.255.1');
  add(z('mx-metadata'), T.A, '169.254.169.254');
  const stsScenarios = [
    'mta-sts',
    'mta-sts-testing',
    'mta-sts-malformed',
    'mta-sts-redirect',
    'mta-sts-oversized',
    'mta-sts-mismatch',
  ] as const;
  for (const s of stsScenarios) {
    mxOf[s] = [mxHosts.verified];
    add(`_mta-sts.${domains[s]}`, T.TXT, `v=STSv1; id=${s.replace(/-/g, '')}1;`);
    add(`mta-sts.${domains[s]}`, T.A, ip(HOST['mta-sts-web']));
  }
  for (const [scenario, hosts] of Object.entries(mxOf) as [TlsPeerScenario, string[]][]) {
    hosts.forEach((host, i) => {
      add(asciiOf(scenario), T.MX, host, host === '' ? 0 : 10 * (i + 1));
    });
  }
  // An implicit MX: the domain's own A record, on the verified server.
  add(domains['a-only'], T.A, ip(HOST.verified));

  const bulkPattern = new RegExp(`^(mx-)?bulk(\\d{1,7})\\.${zone.replace('.', '\\.')}$`);
  let dnsQueries = 0;
  const dnsServer = dns2.createUDPServer((request, send) => {
    dnsQueries++;
    const response = dns2.Packet.createResponseFromRequest(request);
    const question = request.questions[0];
    if (question === undefined) return;
    const name = question.name.toLowerCase();
    if (name === domains['dns-timeout']) return; // never answers
    if (name === domains.servfail) {
      response.header.rcode = 2;
      void send(response);
      return;
    }
    const bulk = bulkPattern.exec(name);
    const known =
      bulk === null
        ? records.get(name)
        : bulk[1] === undefined
          ? [{ type: T.MX, value: `mx-bulk${bulk[2]!}.${zone}`, priority: 10 }]
          : [{ type: T.A, value: ip(HOST.verified) }];
    if (known === undefined) {
      response.header.rcode = 3; // NXDOMAIN
    } else {
      for (const r of known.filter((k) => k.type === question.type)) {
        const data =
          r.type === T.MX
            ? { exchange: r.value, priority: r.priority ?? 10 }
            : r.type === T.TXT
              ? { data: r.value }
              : { address: r.value };
        response.answers.push(
          dns2.Packet.createResourceFromQuestion(question, { type: r.type, ttl: 300, ...data }),
        );
      }
    }
    void send(response);
  });

  // --- certificates ------------------------------------------------------------
  const ca = await generate([{ name: 'commonName', value: `Secure Envelope Test CA ${zone}` }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const leaf = (names: string[], signed: boolean, validity?: { notBeforeDate: Date; notAfterDate: Date }) =>
    generate([{ name: 'commonName', value: names[0]! }], {
      ...validity,
      keyType: 'ec',
      algorithm: 'sha256',
      ...(signed ? { ca: { key: ca.private, cert: ca.cert } } : {}),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: names.map((value) => ({ type: 2 as const, value })) },
      ],
    });
  const day = 86_400_000;
  const [verifiedCert, selfSignedCert, wrongNameCert, slowCert, webCert, oldTlsCert, expiredCert] =
    await Promise.all([
      leaf([mxHosts.verified, domains['a-only'], `*.${zone}`], true),
      leaf([mxHosts['self-signed']], false),
      leaf(['mail.elsewhere.test'], true),
      leaf([mxHosts.slow], true),
      leaf(
        stsScenarios.map((s) => `mta-sts.${domains[s]}`),
        true,
      ),
      leaf([mxHosts['old-tls']], true),
      leaf([mxHosts.expired], true, {
        notBeforeDate: new Date(Date.now() - 30 * day),
        notAfterDate: new Date(Date.now() - day),
      }),
    ]);
  const dir = mkdtempSync(join(tmpdir(), 'se-tls-peers-'));
  const extraCaFile = join(dir, 'test-ca.pem');
  writeFileSync(extraCaFile, ca.cert);

  // --- SMTP servers ---------------------------------------------------------------
  const connections: Record<TlsPeerServer, number> = {
    verified: 0,
    none: 0,
    'self-signed': 0,
    'wrong-name': 0,
    'old-tls': 0,
    'starttls-temp': 0,
    expired: 0,
    flood: 0,
    'temp-fail': 0,
    silent: 0,
    slow: 0,
  };
  let mailCommands = 0;
  const sockets = new Set<Socket>();
  const smtp = (
    server: TlsPeerServer,
    tls: { key: string; cert: string; maxVersion?: 'TLSv1.1'; ciphers?: string } | null,
    greetDelay = 0,
  ) =>
    new SMTPServer({
      name: mxHosts[server],
      logger: false,
      // A reverse lookup per connection through the system resolver would add
      // its latency to every probe and measure the peer, not the checker.
      disableReverseLookup: true,
      authOptional: true,
      disabledCommands: tls === null ? ['STARTTLS', 'AUTH'] : ['AUTH'],
      ...(tls ?? {}),
      onConnect(_session, callback) {
        connections[server]++;
        if (greetDelay > 0) setTimeout(callback, greetDelay);
        else callback();
      },
      onMailFrom(_address, _session, callback) {
        mailCommands++;
        callback(new Error('this peer takes no mail'));
      },
      onRcptTo(_address, _session, callback) {
        mailCommands++;
        callback(new Error('this peer takes no mail'));
      },
    });
  const rawServer = (server: TlsPeerServer, onSocket: (socket: Socket) => void): NetServer =>
    createNetServer((socket) => {
      connections[server]++;
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
      onSocket(socket);
    });

  const smtpServers = [
    { server: smtp('verified', { key: verifiedCert.private, cert: verifiedCert.cert }), at: 'verified' },
    { server: smtp('none', null), at: 'none' },
    {
      server: smtp('self-signed', { key: selfSignedCert.private, cert: selfSignedCert.cert }),
      at: 'self-signed',
    },
    {
      server: smtp('wrong-name', { key: wrongNameCert.private, cert: wrongNameCert.cert }),
      at: 'wrong-name',
    },
    {
      // Old protocols need the lowest OpenSSL security level to be offered at all.
      server: smtp('old-tls', {
        key: oldTlsCert.private,
        cert: oldTlsCert.cert,
        maxVersion: 'TLSv1.1',
        ciphers: 'DEFAULT:@SECLEVEL=0',
      }),
      at: 'old-tls',
    },
    { server: smtp('expired', { key: expiredCert.private, cert: expiredCert.cert }), at: 'expired' },
    {
      server: smtp('slow', { key: slowCert.private, cert: slowCert.cert }, options.slowGreetingMs ?? 1500),
      at: 'slow',
    },
  ] as const;
  const netServers: { server: NetServer; at: TlsPeerServer }[] = [
    {
      server: rawServer('temp-fail', (socket) => {
        socket.end(`421 4.3.2 ${mxHosts['temp-fail']} Service not available, try again later\r\n`);
      }),
      at: 'temp-fail',
    },
    // A minimal SMTP dialogue that offers STARTTLS and then cannot start it for now.
    {
      server: rawServer('starttls-temp', (socket) => {
        const name = mxHosts['starttls-temp'];
        socket.write(`220 ${name} ESMTP\r\n`);
        let pending = '';
        socket.on('data', (chunk: Buffer) => {
          pending += chunk.toString('latin1');
          let end: number;
          while ((end = pending.indexOf('\n')) >= 0) {
            const command = pending.slice(0, end).trim().toUpperCase();
            pending = pending.slice(end + 1);
            if (command.startsWith('EHLO')) socket.write(`250-${name}\r\n250 STARTTLS\r\n`);
            else if (command === 'STARTTLS')
              socket.write('454 4.7.0 TLS not available due to temporary reason\r\n');
            else if (command === 'QUIT') socket.end('221 2.0.0 Bye\r\n');
            else if (command.startsWith('MAIL') || command.startsWith('RCPT')) {
              mailCommands++;
              socket.write('503 5.5.1 No mail here\r\n');
            } else socket.write('502 5.5.2 Not implemented\r\n');
          }
        });
      }),
      at: 'starttls-temp',
    },
    // A greeting that never ends: the checker must stop reading, not buffer it all.
    {
      server: rawServer('flood', (socket) => {
        const line = `220-${'x'.repeat(1000)}\r\n`;
        socket.write(line.repeat(100));
      }),
      at: 'flood',
    },
    // Takes the connection and says nothing: the checker's greeting timeout must end it.
    { server: rawServer('silent', () => undefined), at: 'silent' },
  ];

  // --- MTA-STS web server ------------------------------------------------------------
  const policies = new Map<string, string>();
  const policyFetches = new Map<string, number>();
  const policy = (mode: string, mx: string[]): string =>
    ['version: STSv1', `mode: ${mode}`, ...mx.map((m) => `mx: ${m}`), 'max_age: 86400', ''].join('\r\n');
  policies.set(domains['mta-sts'], policy('enforce', [`*.${zone}`]));
  policies.set(domains['mta-sts-testing'], policy('testing', [`*.${zone}`]));
  policies.set(domains['mta-sts-malformed'], 'this is not a policy\n{"mode":"enforce"}\n');
  policies.set(domains['mta-sts-oversized'], policy('enforce', [`*.${zone}`]) + '#'.repeat(200_000));
  policies.set(domains['mta-sts-mismatch'], policy('enforce', ['mx.some-other-provider.test']));
  const web: HttpsServer = createHttpsServer({ key: webCert.private, cert: webCert.cert }, (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const domain = host.replace(/^mta-sts\./, '');
    policyFetches.set(domain, (policyFetches.get(domain) ?? 0) + 1);
    if (req.url !== '/.well-known/mta-sts.txt') {
      res.writeHead(404).end();
      return;
    }
    if (domain === domains['mta-sts-redirect']) {
      res.writeHead(301, { location: `https://mta-sts.${domains['mta-sts']}/.well-known/mta-sts.txt` }).end();
      return;
    }
    const body = policies.get(domain);
    if (body === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain' }).end(body);
  });

  // --- listen -------------------------------------------------------------------------
  const started: (() => Promise<void>)[] = [];
  const closeAll = async (): Promise<void> => {
    for (const socket of sockets) socket.destroy();
    await Promise.all(started.map((stop) => stop().catch(() => undefined)));
  };
  try {
    await dnsServer.listen(0, ip(HOST.dns));
    started.push(
      () =>
        new Promise<void>((resolve) => {
          dnsServer.close(() => {
            resolve();
          });
        }),
    );
    for (const { server, at } of smtpServers) {
      await listenOn(server.server, ip(HOST[at]), 25);
      started.push(
        () =>
          new Promise<void>((resolve) => {
            server.close(() => {
              resolve();
            });
          }),
      );
    }
    for (const { server, at } of netServers) {
      await listenOn(server, ip(HOST[at]), 25);
      started.push(
        () =>
          new Promise<void>((resolve) =>
            server.close(() => {
              resolve();
            }),
          ),
      );
    }
    await listenOn(web, ip(HOST['mta-sts-web']), 443);
    started.push(
      () =>
        new Promise<void>((resolve) => {
          web.closeAllConnections();
          web.close(() => {
            resolve();
          });
        }),
    );
  } catch (e) {
    await closeAll();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }

  const dnsPort = dnsServer.address().port;
  const addresses = {
    ...(Object.fromEntries(Object.entries(HOST).map(([k, v]) => [k, ip(v)])) as Record<
      keyof typeof HOST,
      string
    >),
  };
  return {
    dnsServers: `${ip(HOST.dns)}:${dnsPort}`,
    extraCaFile,
    caPem: ca.cert,
    zone,
    domains,
    mxHosts,
    addresses,
    connections: (server) => connections[server],
    mailCommands: () => mailCommands,
    policyFetches: (scenario) => policyFetches.get(asciiOf(scenario)) ?? 0,
    dnsQueries: () => dnsQueries,
    bulkDomain: (n) => `bulk${n}.${zone}`,
    ipv6MxDomain(label, address) {
      const domain = z(label);
      const host = z(`mx-${label}`);
      records.set(domain, [{ type: T.MX, value: host, priority: 10 }]);
      records.set(host, [{ type: T.AAAA, value: address }]);
      return domain;
    },
    setMtaStsTxt(scenario, txt) {
      const name = `_mta-sts.${asciiOf(scenario)}`;
      if (txt === null) records.delete(name);
      else records.set(name, [{ type: T.TXT, value: txt }]);
    },
    setMtaStsPolicy(scenario, body) {
      policies.set(asciiOf(scenario), body);
    },
    async close() {
      await closeAll();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function listenOn(server: NetServer | HttpsServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error): void => {
      reject(e);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}
