/**
 * A deployment as a health plan runs one, for the fleet tests: `secure-envelope
 * serve` processes on one PostgreSQL database, each reaching it through a TCP
 * proxy of its own (so the database can be cut away from under them without
 * touching the machine's server), sharing Redis, an S3 bucket, an SMTP relay
 * and one set of keys, and each with a data folder of its own, as separate
 * machines would have.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { SMTPServer } from 'smtp-server';
import { newKeyFile } from '../../src/server/crypto/keyring';
import { freePort, signal, spawnServer, type ServerProcess } from '../server/helpers/process';
import { startTestS3, S3_CREDENTIALS, type TestS3 } from '../server/helpers/s3';
import { PG_ADMIN_URL } from '../server/helpers/stores';
import { startTcpProxy, type TcpProxy } from '../server/helpers/tcp-proxy';

/** The machine's Redis; `.ci/run` starts it when it is down. */
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The one address the fleet is known by (its load balancer's), in every notice's link. */
export const PUBLIC_URL = 'https://localhost:8443';
export const SENDER = 'rep@plan.example';
export const S3_PREFIX = 'fleet/';
/** What the relay takes over a message before its 250. */
export const RELAY_DELAY_MS = 200;

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * PostgreSQL and Redis are the machine's own, shared with other suites: the
 * fleet suite cannot run without them and says which one is missing, rather
 * than failing later on a server that never came up.
 */
export async function requireServices(): Promise<void> {
  const missing: string[] = [];
  const db = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 3_000 });
  try {
    await db.connect();
    await db.query('select 1');
  } catch (e) {
    missing.push(
      `PostgreSQL is not reachable at ${PG_ADMIN_URL} (${errorText(e)}): start it or set TEST_DATABASE_URL`,
    );
  } finally {
    await db.end().catch(() => undefined);
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 0 });
  // The socket's own error says more than the client's "Connection is closed".
  let socketError: unknown;
  redis.on('error', (e: unknown) => (socketError ??= e));
  try {
    await redis.connect();
    await redis.ping();
  } catch (e) {
    missing.push(
      `Redis is not reachable at ${REDIS_URL} (${errorText(socketError ?? e)}): start it or set TEST_REDIS_URL`,
    );
  } finally {
    redis.disconnect();
  }
  if (missing.length > 0) throw new Error(`the fleet tests need both services: ${missing.join('; ')}`);
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface RelayedMail {
  messageId: string | undefined;
  /** RCPT TO addresses, lower-cased. */
  to: string[];
  raw: string;
  /** The instance whose connection it came in on. */
  via: string;
  /** When the instance began to hand it over (its MAIL FROM). */
  startedAt: number;
  /** When the relay answered 250 for it. */
  at: number;
}

export interface MailRelay {
  /** The address the instance called `name` sends to (one listener each, so the relay knows who sent what). */
  entry(name: string): Promise<string>;
  /** Every message accepted, in order, whole. */
  received: RelayedMail[];
  /** Messages of `name` the relay has read but not answered yet. */
  inFlight(name: string): number;
  close(): Promise<void>;
}

/**
 * The plan's SMTP relay: accepts everything and keeps each message whole, for
 * the secure link a recipient follows as well as the Message-ID. Like a real
 * relay it takes a moment over each message (`delayMs`) before its 250, so an
 * instance under load has notices out at the relay much of the time; and like
 * one, it keeps a message only once it has said 250 on a connection still
 * open: a sender that died before the answer never learned it was taken.
 */
export function startMailRelay(delayMs: number): MailRelay {
  const received: RelayedMail[] = [];
  const servers = new Map<string, { server: SMTPServer; url: string }>();
  const pending = new Map<string, number>();
  const listen = async (name: string): Promise<string> => {
    const closed = new Set<string>();
    const mailFrom = new Map<string, number>();
    const server = new SMTPServer({
      logger: false,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      hideSTARTTLS: true,
      disableReverseLookup: true,
      onClose(session) {
        closed.add(session.id);
      },
      onMailFrom(_address, session, callback) {
        mailFrom.set(session.id, Date.now());
        callback();
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          pending.set(name, (pending.get(name) ?? 0) + 1);
          setTimeout(() => {
            pending.set(name, (pending.get(name) ?? 1) - 1);
            if (closed.has(session.id)) {
              callback(new Error('the connection is gone'));
              return;
            }
            const raw = Buffer.concat(chunks).toString('utf8');
            const end = raw.indexOf('\r\n\r\n');
            // Folded header lines are unfolded before the Message-ID is looked for.
            const headers = (end === -1 ? raw : raw.slice(0, end)).replace(/\r\n[ \t]+/g, ' ');
            received.push({
              messageId: /^message-id:\s*(\S+)/im.exec(headers)?.[1],
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              raw,
              via: name,
              startedAt: mailFrom.get(session.id) ?? 0,
              at: Date.now(),
            });
            callback();
          }, delayMs);
        });
      },
    });
    server.on('error', () => undefined);
    const port = await freePort();
    await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
    const url = `smtp://127.0.0.1:${port}`;
    servers.set(name, { server, url });
    return url;
  };
  return {
    async entry(name) {
      return servers.get(name)?.url ?? (await listen(name));
    },
    received,
    inFlight: (name) => pending.get(name) ?? 0,
    async close() {
      for (const { server } of servers.values()) {
        await new Promise<void>((done) => {
          server.close(() => {
            done();
          });
        });
      }
    },
  };
}

/** The secure link of a notice, as the recipient's mail program shows it: path and token. */
export async function secureLinkPath(mail: RelayedMail): Promise<string> {
  const parsed = await simpleParser(mail.raw);
  const text = `${parsed.text ?? ''}\n${typeof parsed.html === 'string' ? parsed.html : ''}`;
  const path = /\/r\/[\w-]+/.exec(text)?.[0];
  if (path === undefined) throw new Error(`no secure link in the notice ${mail.messageId ?? ''}`);
  return path;
}

export interface Instance {
  name: string;
  server: ServerProcess;
  /** Between this instance and PostgreSQL. */
  proxy: TcpProxy;
  dataDir: string;
  /** A sender token from this instance's own development issuer. */
  token: string;
}

export interface OutboxRow {
  envelope_id: string;
  message_id: string;
  status: string;
  next_attempt_at: string;
}

export class Fleet {
  readonly instances = new Map<string, Instance>();
  readonly dbName = `se_fleet_${process.pid}_${randomBytes(4).toString('hex')}`;
  /** This run's own, so that other runs and old keys in the shared Redis cannot interfere. */
  readonly redisPrefix = `se-fleet-${process.pid}-${randomBytes(4).toString('hex')}:`;
  /** The key file every instance is given, as a secret manager would hand it out. */
  readonly keys = JSON.stringify(newKeyFile());
  readonly dirs: string[] = [];
  readonly proxies: TcpProxy[] = [];
  readonly spawned: ServerProcess[] = [];
  configFile = '';
  #db: pg.Client | undefined;
  #created = false;
  #s3: TestS3 | undefined;
  #relay: MailRelay | undefined;

  get s3(): TestS3 {
    if (this.#s3 === undefined) throw new Error('the fleet is not open');
    return this.#s3;
  }

  get relay(): MailRelay {
    if (this.#relay === undefined) throw new Error('the fleet is not open');
    return this.#relay;
  }

  async open(): Promise<void> {
    await admin(`CREATE DATABASE ${this.dbName}`);
    this.#created = true;
    this.#s3 = await startTestS3();
    this.#relay = startMailRelay(RELAY_DELAY_MS);
    const dir = this.tempDir('se-fleet-config-');
    this.configFile = join(dir, 'config.json');
    // One client address (this test) makes every request, through both instances and
    // one shared limit: the limits are lifted, the portal hashes cheaply.
    writeFileSync(
      this.configFile,
      JSON.stringify({
        org: { name: 'Health Plan', supportContact: 'Provider Services, 1-800-555-0100' },
        limits: { requestsPerMinute: 1_000_000 },
        redisPrefix: this.redisPrefix,
        portal: {
          argon2: { memoryKiB: 8192, passes: 1, lanes: 1 },
          throttle: { strangerRequestsPerMinute: 1_000_000 },
        },
      }),
    );
  }

  tempDir(prefix = 'se-fleet-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  /** The database as the test sees it: directly, never through an instance's proxy. */
  get directUrl(): string {
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${this.dbName}`;
    return url.toString();
  }

  async db(): Promise<pg.Client> {
    if (this.#db === undefined) {
      this.#db = new pg.Client({ connectionString: this.directUrl });
      await this.#db.connect();
    }
    return this.#db;
  }

  /**
   * What every instance shares; DATA_DIR, DATABASE_URL and the keys are each
   * instance's (null: none given, the instance looks for its key file).
   */
  env(
    databaseUrl: string,
    dataDir: string,
    smtpUrl: string,
    keys: string | null = this.keys,
  ): Record<string, string> {
    return {
      SECURE_ENVELOPE_CONFIG: this.configFile,
      DATA_DIR: dataDir,
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      SMTP_URL: smtpUrl,
      PUBLIC_URL,
      BLOB_STORE: 's3',
      S3_ENDPOINT: this.s3.endpoint,
      S3_BUCKET: this.s3.bucket,
      S3_PREFIX,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
      // The SDK's credential chain would otherwise end at the cloud's metadata address.
      AWS_EC2_METADATA_DISABLED: 'true',
      ...(keys !== null ? { SECURE_ENVELOPE_KEYS: keys } : {}),
    };
  }

  /** Starts (or starts again, on its data folder and proxy) the instance called `name`. */
  async start(name: string): Promise<Instance> {
    const before = this.instances.get(name);
    let proxy = before?.proxy;
    if (proxy === undefined) {
      const target = new URL(PG_ADMIN_URL);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
      this.proxies.push(proxy);
    }
    const url = new URL(this.directUrl);
    url.hostname = '127.0.0.1';
    url.port = String(proxy.port);
    const dataDir = before?.dataDir ?? this.tempDir(`se-fleet-${name}-`);
    const server = await this.spawn(this.env(url.toString(), dataDir, await this.relay.entry(name)));
    const instance: Instance = { name, server, proxy, dataDir, token: await devToken(server) };
    this.instances.set(name, instance);
    return instance;
  }

  async spawn(env: Record<string, string>): Promise<ServerProcess> {
    const server = await spawnServer(env, { timeoutMs: 30_000 });
    this.spawned.push(server);
    return server;
  }

  /** The instance called `name`, started again first if it has ended. */
  async running(name: string): Promise<Instance> {
    const found = this.instances.get(name);
    const { child } = found?.server ?? {};
    if (child !== undefined && child.exitCode === null && child.signalCode === null) return found!;
    return this.start(name);
  }

  /**
   * The most notices under one lease (one worker's claim), once some claim
   * holds at least `wanted` or the time is up.
   */
  async largestLease(wanted: number, timeoutMs: number): Promise<number> {
    const db = await this.db();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { rows } = await db.query<{ n: string }>(
        `select count(*) as n from outbox where status = 'pending' and next_attempt_at > $1
         group by next_attempt_at order by count(*) desc limit 1`,
        [new Date().toISOString()],
      );
      const largest = Number(rows[0]?.n ?? 0);
      if (largest >= wanted || Date.now() > deadline) return largest;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  instance(name: string): Instance {
    const found = this.instances.get(name);
    if (found === undefined) throw new Error(`no instance ${name}`);
    return found;
  }

  /** Which of `ids` the database holds. */
  async stored(ids: readonly string[]): Promise<Set<string>> {
    const db = await this.db();
    const { rows } = await db.query<{ id: string }>('select id from envelopes where id = any($1)', [ids]);
    return new Set(rows.map((r) => r.id));
  }

  async outbox(envelopeIds: readonly string[]): Promise<OutboxRow[]> {
    const db = await this.db();
    const { rows } = await db.query<OutboxRow>(
      'select envelope_id, message_id, status, next_attempt_at from outbox where envelope_id = any($1)',
      [envelopeIds],
    );
    return rows;
  }

  /**
   * Waits until every notice of `envelopeIds` is marked sent and the relay
   * has it; resolves with their rows (all of them, delivered or not, once the
   * time is up).
   */
  async delivered(
    envelopeIds: readonly string[],
    timeoutMs: number,
  ): Promise<{ rows: OutboxRow[]; done: boolean }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const rows = await this.outbox(envelopeIds);
      const relayed = new Set(this.relay.received.map((m) => m.messageId));
      const done = rows.every((r) => r.status === 'sent' && relayed.has(r.message_id));
      if (done || Date.now() > deadline) return { rows, done };
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Messages the relay received for these Message-IDs, and how many of them were distinct. */
  relayedFor(messageIds: readonly string[]): { received: number; distinct: number } {
    const wanted = new Set(messageIds);
    const mine = this.relay.received.filter((m) => m.messageId !== undefined && wanted.has(m.messageId));
    return { received: mine.length, distinct: new Set(mine.map((m) => m.messageId)).size };
  }

  async redisKeys(): Promise<string[]> {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    redis.on('error', () => undefined);
    try {
      const keys: string[] = [];
      let cursor = '0';
      do {
        const [next, batch] = await redis.scan(cursor, 'MATCH', `${this.redisPrefix}*`, 'COUNT', 500);
        cursor = next;
        keys.push(...batch);
      } while (cursor !== '0');
      return keys;
    } finally {
      redis.disconnect();
    }
  }

  /** Ends what was started, as far as it got. */
  async close(): Promise<void> {
    for (const s of this.spawned) {
      signal(s, 'SIGKILL');
      await s.exited;
    }
    for (const p of this.proxies) await p.close();
    await this.#db?.end();
    await this.#relay?.close();
    await this.#s3?.close();
    if (this.#created) {
      await admin(`DROP DATABASE IF EXISTS ${this.dbName} WITH (FORCE)`);
      const keys = await this.redisKeys().catch(() => []);
      if (keys.length > 0) {
        const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
        redis.on('error', () => undefined);
        await redis.del(...keys).catch(() => undefined);
        redis.disconnect();
      }
    }
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}

export async function devToken(server: ServerProcess): Promise<string> {
  const res = await fetch(`${server.base}/dev/token?address=${SENDER}`);
  if (res.status !== 200) throw new Error(`no development token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export interface Attachment {
  name: string;
  contentType: string;
  contentBase64: string;
}

export function postEnvelope(
  instance: Instance,
  body: { to: string[]; subject: string; text: string; attachments?: Attachment[] },
  token = instance.token,
): Promise<Response> {
  return fetch(`${instance.server.base}/v1/envelopes`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify({ from: SENDER, cc: [], bcc: [], attachments: [], ...body }),
    signal: AbortSignal.timeout(20_000),
  });
}

export interface Answer {
  instance: string;
  /** 0: no HTTP answer at all (refused, reset, timed out). */
  status: number;
  code?: string;
  retryAfter?: string | null;
  id?: string;
  error?: string;
  sentAt: number;
  answeredAt: number;
}

/**
 * Senders behind a load balancer that knows nothing of health: each client
 * posts envelopes in turn to every instance named, one in three with an
 * attachment (so every instance writes to the bucket), until stopped.
 */
export class Load {
  readonly answers: Answer[] = [];
  #stopped = false;
  #clients: Promise<void>[] = [];
  #seq = 0;

  constructor(
    private readonly fleet: Fleet,
    private readonly targets: readonly string[],
    private readonly label: string,
  ) {}

  start(clients: number): this {
    this.#clients = Array.from({ length: clients }, (_, c) => this.#run(c));
    return this;
  }

  async stop(): Promise<Answer[]> {
    this.#stopped = true;
    await Promise.all(this.#clients);
    return this.answers;
  }

  /** Answers of `instance` (all of them when unnamed) with this status. */
  count(status: number, instance?: string, after = 0): number {
    return this.answers.filter(
      (a) =>
        a.status === status && (instance === undefined || a.instance === instance) && a.answeredAt >= after,
    ).length;
  }

  /** Waits until `enough` holds, or the time is up; says which. */
  async until(enough: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!enough()) {
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 50));
    }
    return true;
  }

  acknowledged(): string[] {
    return this.answers.filter((a) => a.status === 201).map((a) => a.id!);
  }

  async #run(client: number): Promise<void> {
    // Each client starts at another instance, so every instance is busy from the first request.
    let turn = client;
    while (!this.#stopped) {
      const name = this.targets[turn++ % this.targets.length]!;
      const n = ++this.#seq;
      const answer = await this.#send(name, n);
      this.answers.push(answer);
      // A client turned away waits a little, as one would, rather than spin on a dead address.
      if (answer.status !== 201) await new Promise((r) => setTimeout(r, 50));
    }
  }

  async #send(name: string, n: number): Promise<Answer> {
    const instance = this.fleet.instance(name);
    const sentAt = Date.now();
    const attachments: Attachment[] =
      n % 3 === 0
        ? [
            {
              name: `claim-${n}.csv`,
              contentType: 'text/csv',
              contentBase64: Buffer.from(`member,W${100000000 + n}\n`.repeat(400)).toString('base64'),
            },
          ]
        : [];
    try {
      const res = await postEnvelope(instance, {
        to: [`desk.${this.label}.${n}@clinic.example`],
        subject: `Claim ${n}`,
        text: `Member ID W${100000000 + n} needs a call back about claim ${n}.`,
        attachments,
      });
      const body = (await res.json()) as { id?: string; code?: string };
      return {
        instance: name,
        status: res.status,
        code: body.code,
        id: body.id,
        retryAfter: res.headers.get('retry-after'),
        sentAt,
        answeredAt: Date.now(),
      };
    } catch (e) {
      const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
      return { instance: name, status: 0, error: `${errorText(e)}${cause}`, sentAt, answeredAt: Date.now() };
    }
  }
}

/**
 * A recipient's browser at the portal of one instance, over HTTP: its
 * cookies, the CSRF token the page reads from the session, the fleet's own
 * Origin on every POST.
 */
export class PortalVisitor {
  readonly cookies = new Map<string, string>();
  csrf = '';

  constructor(private readonly base: string) {}

  async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.base}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        ...(cookie !== '' ? { cookie } : {}),
        ...(method === 'POST'
          ? {
              origin: new URL(PUBLIC_URL).origin,
              'x-csrf-token': this.csrf,
              'content-type': 'application/json',
            }
          : {}),
      },
      ...(method === 'POST' ? { body: JSON.stringify(body ?? {}) } : {}),
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((s) => s.trim());
      const at = pair.indexOf('=');
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      const gone = value === '' || attributes.some((a) => /^max-age=0$/i.test(a));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  /** Follows the secure link, reads the session as the page does, and registers. */
  async register(linkPath: string, password: string): Promise<void> {
    const opened = await this.request('GET', linkPath);
    if (opened.status !== 303) throw new Error(`the link answered ${opened.status}`);
    const session = await this.request('GET', '/portal/api/session');
    this.csrf = ((await session.json()) as { csrfToken: string }).csrfToken;
    const res = await this.request('POST', '/portal/api/register', { password, passwordConfirm: password });
    if (res.status !== 200) throw new Error(`registration failed: ${res.status} ${await res.text()}`);
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  async json<T>(path: string): Promise<T> {
    const res = await this.request('GET', path);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  }
}
