/**
 * A fake Outlook (the add-in's own in-memory mailbox installed as `Office`)
 * and a scripted secure-envelope server, for driving the real on-send
 * handler through every decision path.
 */
import type {
  CreateEnvelopeRequest,
  CreateEnvelopeResponse,
  RecordOverrideRequest,
} from '../../src/shared/api';
import type { OrgPolicy } from '../../src/shared/org-policy';
import type { AddinConfig } from '../../src/addin/core/config';
import type { FetchLike } from '../../src/addin/core/http';
import { createOnSendHandler, type OnSendDeps, type SendOutcome } from '../../src/addin/core/on-send';
import { PolicySource } from '../../src/addin/core/policy-source';
import { TlsSource } from '../../src/addin/core/tls-source';
import { TokenSource } from '../../src/addin/core/token-source';
import { associateOnSend, officeHost } from '../../src/addin/office/index';
import { createFakeOffice, FakeMailbox, type CompletedOptions } from '../../src/addin/office/fake-office';

export const SENDER = 'rep@plan.example';
export const SENSITIVE_HTML =
  '<p>Hello,</p><p>Member <b>Jane Roe</b></p><p>SSN: 536-22-1874</p><p>Thanks</p>';
export const CLEAN_HTML = '<p>Hello,</p><p>Our office is closed on Friday.</p>';

export const POLICY: OrgPolicy = {
  orgDomains: ['plan.example'],
  detection: {
    enabledTypes: ['US_SSN', 'DATE_OF_BIRTH', 'CREDIT_CARD', 'MEMBER_ID', 'MRN'],
    minScore: 0.5,
    typeThresholds: {},
    keywords: ['[secure]'],
  },
  tls: { minimumLevel: 'verified', alwaysSecure: ['gmail.com'], knownGood: ['partner.example'] },
  action: 'secure',
  version: 'test-1',
};

/** TLS levels the scripted server reports, by domain. */
export const LEVELS: Record<string, string> = {
  'verified.example': 'verified',
  'clinic.example': 'none',
  'sts.example': 'mta-sts',
  'clinc.example': 'no-mail',
};

export interface Call {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: unknown;
}

/** How the scripted server behaves; tests change it between sends. */
export interface ServerScript {
  /** down: every request fails to connect; hang: no request ever answers. */
  state: 'up' | 'down' | 'hang';
  policy: OrgPolicy;
  /** An error answer for POST /v1/envelopes. */
  envelopeError?: { status: number; code: string; message: string };
  /** The next envelope POST is processed, but its answer is lost on the way back. */
  loseNextEnvelopeAnswer?: boolean;
  /** The next envelope POST is lost on its way to the server: nothing is made. */
  dropNextEnvelopeRequest?: boolean;
  /** Asking what became of a send fails as a network failure would. */
  outcomeDown?: boolean;
  /** An error answer for the TLS check. */
  tlsDown?: boolean;
}

export interface Harness {
  mailbox: FakeMailbox;
  script: ServerScript;
  calls: Call[];
  envelopes: Map<string, { id: string; request: CreateEnvelopeRequest }>;
  /** Overrides the scripted server recorded. */
  overrides: RecordOverrideRequest[];
  /** The scripted server's fetch, for calls the test makes as the task pane would. */
  fetch: FetchLike;
  outcomes: SendOutcome[];
  send(): Promise<CompletedOptions>;
  callsTo(path: string): Call[];
}

function envelopeAnswer(id: string): CreateEnvelopeResponse {
  return {
    id,
    notice: {
      subject: 'Secure message from Rep',
      html: `<p>You have a secure message. Reference ${id}</p>`,
      text: 'You have a secure message.',
    },
    recipients: [],
  };
}

function response(status: number, body: unknown): { status: number; text(): Promise<string> } {
  return { status, text: () => Promise.resolve(JSON.stringify(body)) };
}

export function createHarness(
  options: {
    mailboxMinor?: number;
    config?: Partial<AddinConfig>;
    deps?: Partial<OnSendDeps>;
    ssoToken?: () => Promise<string>;
  } = {},
): Harness {
  const mailbox = new FakeMailbox(SENDER, options.mailboxMinor ?? 15);
  const fake = createFakeOffice(mailbox, options.ssoToken ? { ssoToken: options.ssoToken } : {});
  (globalThis as { Office?: unknown }).Office = fake.office;
  const script: ServerScript = { state: 'up', policy: POLICY };
  const calls: Call[] = [];
  const envelopes = new Map<string, { id: string; request: CreateEnvelopeRequest }>();
  const overrides: RecordOverrideRequest[] = [];
  /** Keys the scripted server was asked about before they made anything: refused from then on. */
  const withdrawn = new Set<string>();
  let nextId = 1;

  const fetchFn: FetchLike = (url, init) => {
    const u = new URL(url);
    const body: unknown = init.body === undefined ? undefined : JSON.parse(init.body);
    calls.push({ method: init.method, path: u.pathname, headers: init.headers, body });
    if (script.state === 'down') return Promise.reject(new TypeError('fetch failed'));
    if (script.state === 'hang') {
      return new Promise((_resolve, reject) => {
        init.signal?.addEventListener('abort', () => {
          reject(new Error('aborted'));
        });
      });
    }
    if (u.pathname === '/v1/policy') return Promise.resolve(response(200, script.policy));
    if (u.pathname === '/dev/token') {
      return Promise.resolve(response(200, { token: 'header.eyJleHAiOjQxMDI0NDQ4MDB9.sig' }));
    }
    if (u.pathname === '/v1/tls/check') {
      // Like the server: verdicts for signed-in senders only.
      if (init.headers.authorization !== 'Bearer header.eyJleHAiOjQxMDI0NDQ4MDB9.sig') {
        return Promise.resolve(response(401, { code: 'UNAUTHENTICATED', message: 'sign in' }));
      }
      if (script.tlsDown === true)
        return Promise.resolve(response(503, { code: 'INTERNAL', message: 'down' }));
      const { domains } = body as { domains: string[] };
      return Promise.resolve(
        response(200, {
          results: domains.map((d) => {
            const level = LEVELS[d] ?? 'none';
            return {
              domain: d,
              level,
              expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
              detail: { message: `level ${level}` },
              policy: { protected: level === 'verified' || level === 'mta-sts' },
            };
          }),
        }),
      );
    }
    if (u.pathname === '/v1/overrides' && init.method === 'POST') {
      overrides.push(body as RecordOverrideRequest);
      return Promise.resolve(
        response(201, { id: `ovr-${overrides.length}`, recordedAt: new Date().toISOString() }),
      );
    }
    if (u.pathname === '/v1/envelopes/outcome' && init.method === 'POST') {
      // As the server: the envelope's answer if the key made one; otherwise the key is withdrawn.
      if (script.outcomeDown === true) return Promise.reject(new TypeError('fetch failed'));
      const key = init.headers['idempotency-key'] ?? '';
      const made = envelopes.get(key);
      if (made === undefined) {
        withdrawn.add(key);
        return Promise.resolve(response(200, { status: 'not-sent' }));
      }
      return Promise.resolve(response(200, { status: 'sent', envelope: envelopeAnswer(made.id) }));
    }
    if (u.pathname === '/v1/envelopes' && init.method === 'POST') {
      if (init.headers.authorization !== 'Bearer header.eyJleHAiOjQxMDI0NDQ4MDB9.sig') {
        return Promise.resolve(response(401, { code: 'UNAUTHENTICATED', message: 'sign in' }));
      }
      if (script.envelopeError !== undefined) {
        const e = script.envelopeError;
        return Promise.resolve(response(e.status, { code: e.code, message: e.message }));
      }
      if (script.dropNextEnvelopeRequest === true) {
        script.dropNextEnvelopeRequest = false;
        return Promise.reject(new TypeError('network connection was lost'));
      }
      const key = init.headers['idempotency-key'] ?? '';
      if (withdrawn.has(key)) {
        return Promise.resolve(response(409, { code: 'SEND_WITHDRAWN', message: 'send it again' }));
      }
      let envelope = envelopes.get(key);
      if (envelope === undefined) {
        envelope = { id: `env-${nextId++}`, request: body as CreateEnvelopeRequest };
        envelopes.set(key, envelope);
      }
      const answer = response(201, envelopeAnswer(envelope.id));
      if (script.loseNextEnvelopeAnswer === true) {
        script.loseNextEnvelopeAnswer = false;
        return Promise.reject(new TypeError('network connection was lost'));
      }
      return Promise.resolve(answer);
    }
    return Promise.resolve(response(404, { code: 'NOT_FOUND', message: 'no such route' }));
  };

  const config: AddinConfig = {
    apiBase: 'https://addin.test',
    auth: { kind: 'development', tokenPath: '/dev/token' },
    taskpaneCommandId: 'msgComposeOpenPaneButton',
    ...options.config,
  };
  const outcomes: SendOutcome[] = [];
  const tokens = new TokenSource(config, fetchFn);
  associateOnSend(
    'onMessageSendHandler',
    createOnSendHandler({
      config,
      fetch: fetchFn,
      policies: new PolicySource(config.apiBase, fetchFn),
      tls: new TlsSource(config.apiBase, fetchFn, (timeoutMs) => tokens.get(officeHost(), timeoutMs)),
      tokens,
      onOutcome: (o) => outcomes.push(o),
      ...options.deps,
    }),
  );
  return {
    mailbox,
    script,
    calls,
    envelopes,
    overrides,
    fetch: fetchFn,
    outcomes,
    send: () => fake.fireSend('onMessageSendHandler'),
    callsTo: (path) => calls.filter((c) => c.path === path),
  };
}

export function compose(
  h: Harness,
  m: { to?: string[]; cc?: string[]; bcc?: string[]; subject?: string; html?: string },
): void {
  h.mailbox.message.to = m.to ?? [];
  h.mailbox.message.cc = m.cc ?? [];
  h.mailbox.message.bcc = m.bcc ?? [];
  h.mailbox.message.subject = m.subject ?? 'Claim 4471';
  h.mailbox.message.bodyHtml = m.html ?? CLEAN_HTML;
}

export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}
