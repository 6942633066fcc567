/**
 * Portal tests drive the real app through `inject` like a browser would: a
 * cookie jar per person, the CSRF token from /portal/api/session, the
 * server's own Origin on every POST.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import type { CreateEnvelopeResponse } from '../../../src/shared/api';
import { decryptContentJson } from '../../../src/server/crypto/content-crypto';
import { noticeAad } from '../../../src/server/crypto/bindings';
import { openTestServer, type TestServer } from '../helpers/context';
import type { StoreKind } from '../helpers/stores';

export const ORIGIN = 'https://secure.plan.example';
export const PASSWORD = 'blue heron walks at dawn';

/** A test server whose portal hashes cheaply (tests sign in hundreds of times) and limits generously. */
export async function openPortalServer(
  kind: StoreKind,
  portal: Record<string, unknown> = {},
): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'se-portal-config-'));
  const file = join(dir, 'config.json');
  writeFileSync(
    file,
    JSON.stringify({
      org: { name: 'Health Plan', supportContact: 'Provider Services, 1-800-555-0100' },
      limits: { requestsPerMinute: 100_000 },
      portal: {
        argon2: { memoryKiB: 8192, passes: 1, lanes: 1 },
        ...portal,
        throttle: { strangerRequestsPerMinute: 100_000, ...(portal.throttle as object | undefined) },
      },
    }),
  );
  return openTestServer(kind, { SECURE_ENVELOPE_CONFIG: file });
}

export interface SentEnvelope {
  id: string;
  /** Each recipient's secure-link token, by address. */
  tokens: Map<string, string>;
}

let keyCount = 0;

/** Sends an envelope as `from` and reads each recipient's link out of its (encrypted) queued notice. */
export async function sendEnvelope(
  t: TestServer,
  body: {
    to?: string[];
    cc?: string[];
    bcc?: string[];
    subject?: string;
    html?: string;
    text?: string;
    attachments?: { name: string; contentType: string; contentBase64: string }[];
  },
  from = 'rep@plan.example',
): Promise<SentEnvelope> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/envelopes',
    headers: {
      authorization: `Bearer ${await t.token(from)}`,
      'idempotency-key': `portal-test-${++keyCount}-${Date.now()}`,
    },
    payload: {
      from,
      subject: 'Claim 4471',
      text: 'See attached.',
      to: [],
      cc: [],
      bcc: [],
      attachments: [],
      ...body,
    },
  });
  if (res.statusCode !== 201) throw new Error(`envelope not created: ${res.statusCode} ${res.body}`);
  const { id } = res.json<CreateEnvelopeResponse>();
  const rows = await t.ctx.store.db
    .selectFrom('outbox')
    .select(['id', 'to_address', 'notice_json'])
    .where('envelope_id', '=', id)
    .execute();
  const tokens = new Map<string, string>();
  for (const row of rows) {
    const notice = (await decryptContentJson(t.ctx.keyring, row.notice_json, noticeAad(row.id))) as {
      text: string;
    };
    const token = /\/r\/([\w-]+)/.exec(notice.text)?.[1];
    if (token === undefined) throw new Error('no link in the notice');
    tokens.set(row.to_address, token);
  }
  return { id, tokens };
}

/** One browser: its cookies, its CSRF token. */
export class Browser {
  readonly cookies = new Map<string, string>();
  csrf = '';
  ip: string;

  constructor(
    private readonly t: TestServer,
    ip = '127.0.0.1',
  ) {
    this.ip = ip;
  }

  async request(
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await this.t.app.inject({
      method,
      url,
      remoteAddress: this.ip,
      headers: {
        ...(cookie !== '' ? { cookie } : {}),
        ...(method === 'POST'
          ? { origin: ORIGIN, 'x-csrf-token': this.csrf, 'content-type': 'application/json' }
          : {}),
        ...headers,
      },
      ...(payload !== undefined
        ? { payload: JSON.stringify(payload) }
        : method === 'POST'
          ? { payload: '{}' }
          : {}),
    });
    for (const c of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const gone =
        c.value === '' || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() < Date.now());
      if (gone) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }

  get(url: string): Promise<LightMyRequestResponse> {
    return this.request('GET', url);
  }

  post(url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse> {
    return this.request('POST', url, payload, headers);
  }

  /** Reads the session, as the page does first, and keeps its CSRF token. */
  async session(): Promise<{ signedIn: boolean; address?: string; csrfToken: string; endedReason?: string }> {
    const res = await this.get('/portal/api/session');
    const body = res.json<{ signedIn: boolean; address?: string; csrfToken: string; endedReason?: string }>();
    this.csrf = body.csrfToken;
    return body;
  }

  /** Opens a secure link, as a click in the notice does. */
  async open(token: string): Promise<LightMyRequestResponse> {
    const res = await this.get(`/r/${token}`);
    await this.session();
    return res;
  }

  async register(password = PASSWORD): Promise<LightMyRequestResponse> {
    const res = await this.post('/portal/api/register', { password, passwordConfirm: password });
    if (res.statusCode === 200) this.csrf = res.json<{ csrfToken: string }>().csrfToken;
    return res;
  }

  async signIn(address: string, password = PASSWORD): Promise<LightMyRequestResponse> {
    if (this.csrf === '') await this.session();
    const res = await this.post('/portal/api/sign-in', { address, password });
    if (res.statusCode === 200) this.csrf = res.json<{ csrfToken: string }>().csrfToken;
    return res;
  }
}

/** A recipient with an account, signed in, from the link of `envelope`. */
export async function registered(t: TestServer, envelope: SentEnvelope, address: string): Promise<Browser> {
  const b = new Browser(t);
  await b.open(envelope.tokens.get(address)!);
  const res = await b.register();
  if (res.statusCode !== 200) throw new Error(`registration failed: ${res.body}`);
  return b;
}
