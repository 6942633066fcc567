import { afterEach, describe, expect, it } from 'vitest';
import { ENVELOPE_HEADER, requestFingerprint, SEND_SECURELY_PROPERTY } from '../../src/addin/core/on-send';
import { analyze } from '../../src/addin/core/analyze';
import { SEND_SECURELY_COMMAND_ID } from '../../src/addin/core/config';
import { recordOverride } from '../../src/addin/core/override';
import { TlsSource } from '../../src/addin/core/tls-source';
import { officeHost } from '../../src/addin/office/index';
import { b64, CLEAN_HTML, compose, createHarness, POLICY, SENSITIVE_HTML } from './fixtures';

/** The token the scripted server accepts. */
const DEV_TOKEN = 'header.eyJleHAiOjQxMDI0NDQ4MDB9.sig';

afterEach(() => {
  delete (globalThis as { Office?: unknown }).Office;
});

describe('on-send: ordinary mail is never held back', () => {
  it('allows internal-only sensitive mail without asking the server anything but the policy', async () => {
    const h = createHarness();
    compose(h, { to: ['colleague@plan.example'], cc: ['boss@sub.plan.example'], html: SENSITIVE_HTML });
    expect(await h.send()).toEqual({ allowEvent: true });
    expect(h.callsTo('/v1/tls/check')).toHaveLength(0);
    expect(h.callsTo('/v1/envelopes')).toHaveLength(0);
    expect(h.mailbox.message.bodyHtml).toBe(SENSITIVE_HTML);
  });

  it('allows internal-only sensitive mail while the server is down (built-in policy: own domain is internal)', async () => {
    const h = createHarness();
    h.script.state = 'down';
    compose(h, { to: ['colleague@plan.example'], html: SENSITIVE_HTML });
    expect(await h.send()).toEqual({ allowEvent: true });
    expect(h.outcomes[0]?.policySource).toBe('builtin');
  });

  it("treats the sender's own domain as internal when the policy names no organisation domains", async () => {
    const h = createHarness();
    h.script.policy = { ...POLICY, orgDomains: [] };
    compose(h, { to: ['colleague@plan.example'], html: SENSITIVE_HTML });
    expect(await h.send()).toEqual({ allowEvent: true });
    expect(h.outcomes[0]?.policySource).toBe('server');
    expect(h.callsTo('/v1/envelopes')).toHaveLength(0);
    expect(h.mailbox.message.bodyHtml).toBe(SENSITIVE_HTML);
    // Other domains are still external.
    const other = createHarness();
    other.script.policy = { ...POLICY, orgDomains: [] };
    compose(other, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    await other.send();
    expect(other.callsTo('/v1/envelopes')).toHaveLength(1);
  });

  it('allows clean external mail while the server is down', async () => {
    const h = createHarness();
    h.script.state = 'down';
    compose(h, { to: ['desk@clinic.example'], html: CLEAN_HTML });
    expect(await h.send()).toEqual({ allowEvent: true });
    expect(h.mailbox.message.bodyHtml).toBe(CLEAN_HTML);
  });

  it('allows clean external mail while the server hangs, well inside the budget', async () => {
    const h = createHarness({ deps: { budgetMs: 600, watchdogMs: 900 } });
    h.script.state = 'hang';
    compose(h, { to: ['desk@clinic.example'], html: CLEAN_HTML });
    const started = Date.now();
    expect(await h.send()).toEqual({ allowEvent: true });
    expect(Date.now() - started).toBeLessThan(900);
  });
});

describe('on-send: sensitive mail to external domains', () => {
  it('allows it unchanged when every external domain has verified TLS, and caches the verdict', async () => {
    const h = createHarness();
    compose(h, { to: ['a@verified.example'], cc: ['b@sts.example'], html: SENSITIVE_HTML });
    expect(await h.send()).toEqual({ allowEvent: true });
    expect(h.callsTo('/v1/tls/check')[0]?.body).toEqual({ domains: ['verified.example', 'sts.example'] });
    expect(h.mailbox.message.bodyHtml).toBe(SENSITIVE_HTML);
    expect(await h.send()).toEqual({ allowEvent: true });
    expect(h.callsTo('/v1/tls/check')).toHaveLength(1);
    // The verdicts sit in the draft's session data, where the task pane finds them too.
    expect(JSON.parse(h.mailbox.message.sessionData['se.tls']!)).toHaveProperty(
      ['verified.example', 'level'],
      'verified',
    );
  });

  it("secures it for a domain without TLS: envelope created; Outlook's copy, as written, goes to the sender alone", async () => {
    const h = createHarness();
    compose(h, {
      to: ['desk@clinic.example'],
      bcc: ['audit@verified.example'],
      subject: 'Claim for Jane',
      html: SENSITIVE_HTML,
    });
    h.mailbox.addAttachment({
      name: 'claim.pdf',
      size: 5,
      isInline: false,
      kind: 'file',
      base64: b64('%PDF-'),
    });
    const result = await h.send();
    expect(result).toEqual({ allowEvent: true });
    const [post] = h.callsTo('/v1/envelopes');
    expect(post?.headers.authorization).toMatch(/^Bearer /);
    expect(post?.headers['idempotency-key']).toMatch(/^se-[\da-f]{32}-[\da-f]{16}$/);
    expect(post?.body).toEqual({
      from: 'rep@plan.example',
      to: ['desk@clinic.example'],
      cc: [],
      bcc: ['audit@verified.example'],
      subject: 'Claim for Jane',
      html: SENSITIVE_HTML,
      attachments: [{ name: 'claim.pdf', contentType: 'application/pdf', contentBase64: b64('%PDF-') }],
    });
    const m = h.mailbox.message;
    // One e-mail per recipient: the server's notice. Outlook's copy reaches nobody but the sender,
    // so it keeps what was written (Sent Items holds the message) and says where it went.
    expect([m.to, m.cc, m.bcc]).toEqual([['rep@plan.example'], [], []]);
    expect(m.bodyHtml.endsWith(SENSITIVE_HTML)).toBe(true);
    expect(m.bodyHtml).toMatch(
      /Sent as Secure Email<\/strong> to desk@clinic\.example, audit@verified\.example\./,
    );
    expect(m.bodyHtml).toContain('Reference env-1');
    expect(m.subject).toBe('Claim for Jane');
    expect(m.attachments.map((a) => a.name)).toEqual(['claim.pdf']);
    expect(m.headers[ENVELOPE_HEADER]).toBe('env-1');
    expect(h.outcomes[0]).toMatchObject({ result: 'secured', envelopeId: 'env-1' });
  });

  it('secures mail to consumer webmail (always secure) without a TLS check', async () => {
    const h = createHarness();
    compose(h, { to: ['someone@gmail.com'], html: SENSITIVE_HTML });
    expect(await h.send()).toEqual({ allowEvent: true });
    expect(h.callsTo('/v1/tls/check')).toHaveLength(0);
    expect(h.envelopes.size).toBe(1);
  });

  it('allows mail to a known-good domain without a TLS check', async () => {
    const h = createHarness();
    compose(h, { to: ['x@mail.partner.example'], html: SENSITIVE_HTML });
    expect(await h.send()).toEqual({ allowEvent: true });
    expect(h.calls.map((c) => c.path)).toEqual(['/v1/policy']);
    expect(h.mailbox.message.bodyHtml).toBe(SENSITIVE_HTML);
  });

  it('finds sensitive data in a CSV attachment too', async () => {
    const h = createHarness();
    compose(h, { to: ['desk@clinic.example'], html: CLEAN_HTML });
    h.mailbox.addAttachment({
      name: 'members.csv',
      size: 60,
      isInline: false,
      kind: 'file',
      base64: b64('name,ssn\nJane Roe,536-22-1874\n'),
    });
    await h.send();
    expect(h.envelopes.size).toBe(1);
    expect(h.mailbox.message.to).toEqual(['rep@plan.example']);
  });

  it('sends the notice in place of the content when Outlook will not take the new recipients', async () => {
    const h = createHarness();
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    h.mailbox.faults['to.setAsync'] = 'Recipients cannot be changed now';
    expect(await h.send()).toEqual({ allowEvent: true });
    const m = h.mailbox.message;
    // The external recipient stays, so what goes is the notice, which holds nothing.
    expect(m.to).toEqual(['desk@clinic.example']);
    expect(m.bodyHtml).toBe('<p>You have a secure message. Reference env-1</p>');
    expect(m.bodyHtml).not.toContain('1874');
    expect(m.headers[ENVELOPE_HEADER]).toBe('env-1');
  });

  describe('an attachment that cannot be read where the decision is made', () => {
    // A PNG is never scanned: an image of a member card may hold anything.
    const image = {
      name: 'card.png',
      size: 8,
      isInline: false,
      kind: 'file' as const,
      base64: b64('\x89PNG\r\n\x1a\n'),
    };

    it('goes securely to a domain without TLS, by default', async () => {
      const h = createHarness();
      compose(h, { to: ['desk@clinic.example'], html: CLEAN_HTML });
      h.mailbox.addAttachment(image);
      expect(await h.send()).toEqual({ allowEvent: true });
      expect(h.envelopes.size).toBe(1);
      expect(h.outcomes[0]).toMatchObject({ result: 'secured' });
    });

    it('goes as is to a domain with verified TLS', async () => {
      const h = createHarness();
      compose(h, { to: ['a@verified.example'], html: CLEAN_HTML });
      h.mailbox.addAttachment(image);
      expect(await h.send()).toEqual({ allowEvent: true });
      expect(h.envelopes.size).toBe(0);
    });

    it('goes as is when the policy allows unread attachments', async () => {
      const h = createHarness();
      h.script.policy = { ...POLICY, unscannedAttachments: 'allow', version: 'allow-unread' };
      compose(h, { to: ['desk@clinic.example'], html: CLEAN_HTML });
      h.mailbox.addAttachment(image);
      expect(await h.send()).toEqual({ allowEvent: true });
      expect(h.envelopes.size).toBe(0);
      expect(h.callsTo('/v1/tls/check')).toHaveLength(0);
    });

    it('asks first when the policy says prompt, naming the file', async () => {
      const h = createHarness();
      h.script.policy = { ...POLICY, unscannedAttachments: 'prompt', version: 'prompt-unread' };
      compose(h, { to: ['desk@clinic.example'], html: CLEAN_HTML });
      h.mailbox.addAttachment(image);
      const result = await h.send();
      expect(result.allowEvent).toBe(false);
      expect(result.errorMessage).toContain('card.png');
      expect(h.envelopes.size).toBe(0);
    });
  });

  it('blocks it when the server is down, saying what was found and what to do; the draft is untouched', async () => {
    const h = createHarness();
    h.script.state = 'down';
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    const result = await h.send();
    expect(result.allowEvent).toBe(false);
    expect(result.errorMessage).toContain('SSN');
    expect(result.errorMessage).toContain('clinic.example');
    expect(result.errorMessage).toContain('Nothing was sent');
    expect(result.errorMessage).toMatch(/remove the sensitive data/);
    expect(result.commandId).toBe('msgComposeOpenPaneButton');
    expect(h.mailbox.message.bodyHtml).toBe(SENSITIVE_HTML);
  });

  it('blocks it when only the TLS check fails (no verdict is no protection) and the envelope cannot be made', async () => {
    const h = createHarness();
    h.script.tlsDown = true;
    h.script.envelopeError = { status: 503, code: 'STORE_UNAVAILABLE', message: 'store down' };
    compose(h, { to: ['a@verified.example'], html: SENSITIVE_HTML });
    const result = await h.send();
    expect(result.allowEvent).toBe(false);
    expect(result.errorMessage).toMatch(/busy or unavailable/);
  });

  it('blocks it when the server hangs, inside the budget and exactly once', async () => {
    const h = createHarness({ deps: { budgetMs: 500, watchdogMs: 800 } });
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    await h.send(); // warm the policy cache while the server answers
    compose(h, { to: ['desk2@clinic2.example'], html: SENSITIVE_HTML });
    h.script.state = 'hang';
    const started = Date.now();
    const result = await h.send();
    expect(Date.now() - started).toBeLessThan(800);
    expect(result.allowEvent).toBe(false);
    // The message was handed to the server, which never answered: it may have made the envelope.
    // The check used up the time: the message was never handed to the server.
    expect(h.callsTo('/v1/envelopes')).toHaveLength(0);
    expect(result.errorMessage).toMatch(/did not answer in time|took too long/);
    expect(result.errorMessage).toMatch(/Nothing was sent/);
    // A watchdog that fired after completion would throw inside fireSend's completed().
    await new Promise((r) => setTimeout(r, 900));
    expect(h.outcomes).toHaveLength(2);
  });

  it('does not claim nothing went when the server takes the message and then hangs', async () => {
    const h = createHarness({ deps: { budgetMs: 1500, watchdogMs: 1800 } });
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    await h.send(); // sign in and warm the policy cache while the server answers
    compose(h, { to: ['desk2@clinic2.example'], html: SENSITIVE_HTML });
    h.mailbox.message.customProperties[SEND_SECURELY_PROPERTY] = '1';
    h.script.state = 'hang';
    const started = Date.now();
    const result = await h.send();
    expect(Date.now() - started).toBeLessThan(1800);
    expect(h.callsTo('/v1/envelopes')).toHaveLength(2);
    expect(h.callsTo('/v1/envelopes/outcome')).toHaveLength(1);
    expect(result.allowEvent).toBe(false);
    expect(result.errorMessage).toMatch(/may already have gone/);
    expect(result.errorMessage).not.toMatch(/Nothing was sent/);
    expect(h.mailbox.message.bodyHtml).toBe(SENSITIVE_HTML);
  });

  it('completes from the watchdog when Outlook itself never answers', async () => {
    const h = createHarness({ deps: { budgetMs: 200, watchdogMs: 300 } });
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    h.mailbox.latencyMs = 10_000;
    const result = await h.send();
    expect(result.allowEvent).toBe(false);
    expect(result.errorMessage).toMatch(/could not finish checking this message in time/);
  });

  it('blocks when Outlook cannot read the body (it cannot know the message is safe)', async () => {
    const h = createHarness();
    compose(h, { to: ['desk@clinic.example'], html: CLEAN_HTML });
    h.mailbox.faults['body.getAsync'] = 'Internal error';
    const result = await h.send();
    expect(result.allowEvent).toBe(false);
    expect(result.errorMessage).toMatch(/could not finish preparing/);
  });

  it('names an attachment that cannot go securely (a cloud link) and sends nothing to the server', async () => {
    const h = createHarness();
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    h.mailbox.addAttachment({ name: 'Records.xlsx', size: 0, isInline: false, kind: 'cloud', base64: '' });
    const result = await h.send();
    expect(result.allowEvent).toBe(false);
    expect(result.errorMessage).toContain('"Records.xlsx"');
    expect(h.callsTo('/v1/envelopes')).toHaveLength(0);
  });
});

describe('on-send: the server refuses', () => {
  it.each([
    [413, 'ENVELOPE_TOO_LARGE', 'messages may be at most 35 MB', /refused it: messages may be at most 35 MB/],
    [403, 'FORBIDDEN', 'only plan.example mailboxes may send', /refused it: only plan.example/],
    [401, 'TOKEN_EXPIRED', 'expired', /sign-in was not accepted/],
    [500, 'INTERNAL', 'oops', /busy or unavailable/],
    [429, 'RATE_LIMITED', 'slow down', /busy or unavailable/],
  ])('%i %s → blocked with an actionable message', async (status, code, message, expected) => {
    const h = createHarness();
    h.script.envelopeError = { status, code, message };
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    const result = await h.send();
    expect(result.allowEvent).toBe(false);
    expect(result.errorMessage).toMatch(expected);
    expect(h.mailbox.message.bodyHtml).toBe(SENSITIVE_HTML);
  });

  it('blocks when no sign-in is possible (Entra without NAA or SSO here)', async () => {
    const h = createHarness({
      config: { auth: { kind: 'entra', clientId: 'c', authority: 'https://login.example', scopes: ['s'] } },
    });
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    const result = await h.send();
    expect(result.allowEvent).toBe(false);
    expect(result.errorMessage).toMatch(/not signed in to Secure Envelope/);
  });

  it('uses the Office SSO token where NAA is unavailable', async () => {
    const h = createHarness({
      config: { auth: { kind: 'entra', clientId: 'c', authority: 'https://login.example', scopes: ['s'] } },
      ssoToken: () => Promise.resolve('header.eyJleHAiOjQxMDI0NDQ4MDB9.sig'),
    });
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    expect(await h.send()).toEqual({ allowEvent: true });
    expect(h.envelopes.size).toBe(1);
  });
});

describe('on-send: policy actions and what each client can show', () => {
  it('blocks by policy with Markdown and the "Send securely" action on Mailbox 1.15', async () => {
    const h = createHarness();
    h.script.policy = { ...POLICY, action: 'block' };
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    const result = await h.send();
    expect(result).toMatchObject({ allowEvent: false, commandId: SEND_SECURELY_COMMAND_ID });
    expect(result.errorMessageMarkdown).toContain('**clinic.example**');
    expect(result.errorMessage).toMatch(/does not allow sending it as is.*turn on "Send securely"/);
    expect(result.sendModeOverride).toBeUndefined();
  });

  it('prompt: holds the message and sends the pane to record an override, never an unrecorded "Send anyway"', async () => {
    const h = createHarness({ mailboxMinor: 14 });
    h.script.policy = { ...POLICY, action: 'prompt' };
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    const result = await h.send();
    expect(result.allowEvent).toBe(false);
    expect(result.sendModeOverride).toBeUndefined();
    expect(result.commandId).toBe('msgComposeOpenPaneButton');
    expect(result.errorMessage).toMatch(/To send it as is, open Secure Envelope, say why/);
    expect(result.errorMessage).toMatch(/records it/);
    expect(h.mailbox.message.bodyHtml).toBe(SENSITIVE_HTML);
  });

  it('prompt: sends the draft as is once an override is recorded for it, and judges an edited draft afresh', async () => {
    const h = createHarness({ mailboxMinor: 14 });
    h.script.policy = { ...POLICY, action: 'prompt' };
    compose(h, { to: ['desk@clinic.example', 'me@plan.example'], html: SENSITIVE_HTML });
    // What the task pane does: analyse, then record with the sender's reason.
    const item = officeHost().item();
    const token = () => Promise.resolve(DEV_TOKEN);
    const analysis = await analyze(
      item,
      h.script.policy,
      new TlsSource('https://addin.test', h.fetch, token),
      false,
    );
    expect(analysis.decision.kind).toBe('prompt');
    expect(analysis.override?.recordedId).toBeNull();
    const request = analysis.override!.request('Provider asked for it by mail');
    expect(request).toMatchObject({
      reason: 'Provider asked for it by mail',
      findings: { US_SSN: 1 },
      domains: [{ domain: 'clinic.example', level: 'none', why: 'unprotected' }],
      recipients: ['desk@clinic.example'],
    });
    expect(JSON.stringify(request)).not.toContain('1874');
    await recordOverride(item, { fetch: h.fetch, apiBase: 'https://addin.test', token }, request);
    expect(h.overrides).toHaveLength(1);
    const sent = await h.send();
    expect(sent).toEqual({ allowEvent: true });
    expect(h.mailbox.message.bodyHtml).toBe(SENSITIVE_HTML);
    expect(h.outcomes.at(-1)).toMatchObject({ result: 'allowed', overrideId: 'ovr-1' });
    expect(h.envelopes.size).toBe(0);
    // Edited after the override: judged afresh.
    h.mailbox.message.bodyHtml = SENSITIVE_HTML + '<p>Also DOB 04/12/1961.</p>';
    expect((await h.send()).allowEvent).toBe(false);
  });

  it('block and prompt alerts offer "Send securely" as their one-click action; the function turns it on', async () => {
    for (const action of ['block', 'prompt'] as const) {
      const h = createHarness({ mailboxMinor: 15 });
      h.script.policy = { ...POLICY, action };
      compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
      const result = await h.send();
      expect(result).toMatchObject({
        allowEvent: false,
        commandId: SEND_SECURELY_COMMAND_ID,
        cancelLabel: 'Send securely',
      });
    }
  });

  it('degrades to a plain block on Mailbox 1.12: no prompt, no button, no Markdown', async () => {
    const h = createHarness({ mailboxMinor: 12 });
    h.script.policy = { ...POLICY, action: 'prompt' };
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    const result = await h.send();
    expect(Object.keys(result).sort()).toEqual(['allowEvent', 'errorMessage']);
    expect(result.allowEvent).toBe(false);
  });
});

describe('on-send: "Send securely" and retries', () => {
  it('secures a clean message when the sender chose "Send securely", and clears the choice afterwards', async () => {
    const h = createHarness();
    compose(h, { to: ['a@verified.example'], html: CLEAN_HTML });
    h.mailbox.message.customProperties[SEND_SECURELY_PROPERTY] = '1';
    expect(await h.send()).toEqual({ allowEvent: true });
    expect(h.envelopes.size).toBe(1);
    expect(h.mailbox.message.headers[ENVELOPE_HEADER]).toBe('env-1');
    expect(h.mailbox.message.customProperties[SEND_SECURELY_PROPERTY]).toBeUndefined();
    // Sending the notice again (Outlook retried) makes no second envelope.
    expect(await h.send()).toEqual({ allowEvent: true });
    expect(h.envelopes.size).toBe(1);
  });

  it('learns that a send whose answer was lost went, and finishes it: no alert, one envelope', async () => {
    const h = createHarness();
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    h.script.loseNextEnvelopeAnswer = true;
    const first = await h.send();
    // The server made the envelope and queued its notices: the truth is "sent".
    expect(first).toEqual({ allowEvent: true });
    expect(h.mailbox.message.headers[ENVELOPE_HEADER]).toBe('env-1');
    expect(h.mailbox.message.bodyHtml).toContain('Reference env-1');
    const [post] = h.callsTo('/v1/envelopes');
    const [asked] = h.callsTo('/v1/envelopes/outcome');
    expect(asked?.headers['idempotency-key']).toBe(post?.headers['idempotency-key']);
    expect(h.envelopes.size).toBe(1);
    expect(h.outcomes.at(-1)).toMatchObject({ result: 'secured', envelopeId: 'env-1' });
  });

  it('says "nothing was sent" only when the server confirms it, and the next try makes the envelope', async () => {
    const h = createHarness();
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    h.script.dropNextEnvelopeRequest = true;
    const first = await h.send();
    expect(first.allowEvent).toBe(false);
    expect(first.errorMessage).toMatch(/Nothing was sent/);
    expect(h.mailbox.message.bodyHtml).toBe(SENSITIVE_HTML);
    expect(h.callsTo('/v1/envelopes/outcome')).toHaveLength(1);
    // The old key is withdrawn on the server, so the next try carries a new one and succeeds.
    expect(await h.send()).toEqual({ allowEvent: true });
    const [a, b] = h.callsTo('/v1/envelopes');
    expect(a?.headers['idempotency-key']).not.toBe(b?.headers['idempotency-key']);
    expect(h.envelopes.size).toBe(1);
  });

  it('says the outcome is unknown when the server cannot be asked, and a retry reuses the key: one envelope', async () => {
    const h = createHarness();
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    h.script.loseNextEnvelopeAnswer = true;
    h.script.outcomeDown = true;
    const first = await h.send();
    expect(first.allowEvent).toBe(false);
    expect(first.errorMessage).not.toMatch(/Nothing was sent/);
    expect(first.errorMessage).toMatch(/may already have gone/);
    expect(first.errorMessage).toMatch(/never sends it twice/);
    expect(h.mailbox.message.bodyHtml).toBe(SENSITIVE_HTML);
    h.script.outcomeDown = false;
    expect(await h.send()).toEqual({ allowEvent: true });
    const posts = h.callsTo('/v1/envelopes');
    expect(posts).toHaveLength(2);
    expect(posts[0]?.headers['idempotency-key']).toBe(posts[1]?.headers['idempotency-key']);
    expect(h.envelopes.size).toBe(1);
  });

  it('an edited draft gets a new key (the server would refuse the old key with other content)', async () => {
    const h = createHarness();
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    h.script.loseNextEnvelopeAnswer = true;
    h.script.outcomeDown = true;
    await h.send();
    h.mailbox.message.bodyHtml = SENSITIVE_HTML + '<p>One more thing.</p>';
    await h.send();
    const [a, b] = h.callsTo('/v1/envelopes');
    expect(a?.headers['idempotency-key']).not.toBe(b?.headers['idempotency-key']);
    // Same compose session: same prefix.
    expect(a?.headers['idempotency-key']?.slice(0, 36)).toBe(b?.headers['idempotency-key']?.slice(0, 36));
  });

  it('finishes an interrupted swap on the next send instead of sending what is left of the original', async () => {
    const h = createHarness();
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    h.mailbox.addAttachment({
      name: 'ssn.txt',
      size: 20,
      isInline: false,
      kind: 'file',
      base64: b64('SSN 536-22-1874'),
    });
    // Neither way of sealing works this time: the recipients stay, and the notice cannot replace the file.
    h.mailbox.faults['to.setAsync'] = 'Recipients cannot be changed now';
    h.mailbox.faults.removeAttachmentAsync = 'Attachment is locked';
    const first = await h.send();
    expect(first.allowEvent).toBe(false);
    expect(h.mailbox.message.attachments).toHaveLength(1);
    delete h.mailbox.faults['to.setAsync'];
    delete h.mailbox.faults.removeAttachmentAsync;
    expect(await h.send()).toEqual({ allowEvent: true });
    expect(h.mailbox.message.to).toEqual(['rep@plan.example']);
    expect(h.mailbox.message.headers[ENVELOPE_HEADER]).toBe('env-1');
    // The line saying where it went names the recipients the message was for, once.
    expect(h.mailbox.message.bodyHtml.split('Sent as Secure Email')).toHaveLength(2);
    expect(h.mailbox.message.bodyHtml).toContain('to desk@clinic.example.');
    expect(h.callsTo('/v1/envelopes')).toHaveLength(1);
  });
});

describe('on-send: idempotency for large drafts', () => {
  it('fingerprints a large attachment by samples: fast, yet a change at its start, at a sample point or at its end changes the key (other changes end in a 409, handled below)', () => {
    const big = 'A'.repeat(3 * 1024 * 1024);
    const request = {
      from: 'rep@plan.example',
      to: ['desk@clinic.example'],
      cc: [],
      bcc: [],
      subject: 's',
      html: '<p>x</p>',
      attachments: [{ name: 'scan.pdf', contentType: 'application/pdf', contentBase64: big }],
    };
    const started = Date.now();
    const base = requestFingerprint(request);
    expect(Date.now() - started).toBeLessThan(200);
    expect(base.length).toBeLessThan(64 * 1024);
    for (const at of [0, big.length / 2, big.length - 1]) {
      const changed = big.slice(0, at) + 'B' + big.slice(at + 1);
      const other = requestFingerprint({
        ...request,
        attachments: [{ ...request.attachments[0]!, contentBase64: changed }],
      });
      expect(other, `a change at ${at}`).not.toBe(base);
    }
    expect(requestFingerprint({ ...request, subject: 't' })).not.toBe(base);
  });

  it('a 409 (the key names other content) blocks this send and gives the next one a fresh key', async () => {
    const h = createHarness();
    compose(h, { to: ['desk@clinic.example'], html: SENSITIVE_HTML });
    h.script.envelopeError = { status: 409, code: 'IDEMPOTENCY_CONFLICT', message: 'other content' };
    const first = await h.send();
    expect(first.allowEvent).toBe(false);
    expect(first.errorMessage).toMatch(/changed while it was being sent/);
    delete h.script.envelopeError;
    expect(await h.send()).toEqual({ allowEvent: true });
    const [a, b] = h.callsTo('/v1/envelopes');
    expect(a?.headers['idempotency-key']?.slice(0, 36)).not.toBe(b?.headers['idempotency-key']?.slice(0, 36));
  });
});

describe('on-send: a domain that takes no mail', () => {
  it('says the address may be wrong, beside "no verified TLS"', async () => {
    const h = createHarness();
    h.script.policy = { ...POLICY, action: 'block' };
    compose(h, { to: ['desk@clinic.example', 'desk@clinc.example'], html: SENSITIVE_HTML });
    const completion = await h.send();
    expect(completion.allowEvent).toBe(false);
    expect(completion.errorMessage).toMatch(
      /no verified TLS\. clinc\.example takes no mail at all: check the address/,
    );
    expect(completion.errorMessage).not.toMatch(/clinic\.example takes no mail/);
    expect(completion.errorMessageMarkdown).toMatch(/clinc\.example takes no mail at all/);
  });
});
