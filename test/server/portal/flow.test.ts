import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkState, SignInResult, Thread, ThreadSummary } from '../../../src/shared/portal-api';
import type { TestServer } from '../helpers/context';
import { STORE_KINDS } from '../helpers/stores';
import { Browser, openPortalServer, PASSWORD, registered, sendEnvelope } from './helpers';

const BODY = '<p>Member SSN 536-22-1874, claim 4471 was denied.</p>';
const FILE = Buffer.alloc(200_000, 'roster line\n');

describe.each(STORE_KINDS)('portal: link, registration, sign-in, reading on %s', (kind) => {
  let t: TestServer;

  beforeAll(async () => {
    t = await openPortalServer(kind);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('takes a first-time recipient from the link through registration to the message and its attachment', async () => {
    const env = await sendEnvelope(t, {
      to: ['desk@clinic.example'],
      subject: 'Claim 4471',
      html: BODY,
      attachments: [
        { name: 'Röster 2026.csv', contentType: 'text/csv', contentBase64: FILE.toString('base64') },
      ],
    });
    const b = new Browser(t);
    const token = env.tokens.get('desk@clinic.example')!;

    const click = await b.get(`/r/${token}`);
    expect(click.statusCode).toBe(303);
    expect(click.headers.location).toBe('/portal/#/link');
    expect(click.headers['cache-control']).toBe('no-store');
    expect(click.headers['referrer-policy']).toBe('no-referrer');
    const linkCookie = click.headers['set-cookie'] as string;
    expect(linkCookie).toMatch(/^__Host-se-link=/);
    expect(linkCookie).toMatch(/Secure/);
    expect(linkCookie).toMatch(/HttpOnly/);
    expect(linkCookie).toMatch(/SameSite=Strict/);
    expect(linkCookie).toMatch(/Path=\//);
    expect(linkCookie).not.toMatch(/Domain=/i);

    await b.session();
    const link = (await b.get('/portal/api/link')).json<LinkState>();
    // The link alone shows who sent something, never what.
    expect(link).toEqual({
      state: 'register',
      address: 'desk@clinic.example',
      senderName: 'Rita Rep',
    });

    const reg = await b.register();
    expect(reg.statusCode).toBe(200);
    const result = reg.json<SignInResult>();
    expect(result.address).toBe('desk@clinic.example');
    expect(result.threadId).toMatch(/^[\w-]{20,}$/);
    const session = (reg.headers['set-cookie'] as string[] | string).toString();
    expect(session).toMatch(/__Host-se-session=[\w-]{40,};/);

    const thread = await b.get(`/portal/api/threads/${result.threadId!}`);
    expect(thread.statusCode).toBe(200);
    const view = thread.json<Thread>();
    // The representative by the name their sign-in carried, and their address.
    expect(view.correspondent).toEqual({ address: 'rep@plan.example', name: 'Rita Rep' });
    expect(view.subject).toBe('Claim 4471');
    expect(view.correspondent.address).toBe('rep@plan.example');
    expect(view.messages).toHaveLength(1);
    const message = view.messages[0]!;
    expect(message).toMatchObject({
      direction: 'in',
      from: 'rep@plan.example',
      to: ['desk@clinic.example'],
      html: BODY,
    });
    expect(message.attachments).toEqual([
      {
        id: expect.any(String) as string,
        name: 'Röster 2026.csv',
        contentType: 'text/csv',
        size: FILE.length,
      },
    ]);

    const file = await b.get(`/portal/api/messages/${message.id}/attachments/${message.attachments[0]!.id}`);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload.equals(FILE)).toBe(true);
    expect(file.headers['content-type']).toBe('text/csv');
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="R_ster 2026.csv"; filename*=UTF-8''R%C3%B6ster%202026.csv`,
    );
    expect(file.headers['x-content-type-options']).toBe('nosniff');

    const list = (await b.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads;
    expect(list).toEqual([
      expect.objectContaining({ id: result.threadId, subject: 'Claim 4471', unread: false, messageCount: 1 }),
    ]);
  });

  it('sends a registered recipient from a later link to sign-in, then to that message', async () => {
    const first = await sendEnvelope(t, { to: ['billing@clinic.example'] });
    const b1 = new Browser(t);
    await b1.open(first.tokens.get('billing@clinic.example')!);
    expect((await b1.register()).statusCode).toBe(200);

    const second = await sendEnvelope(t, { to: ['billing@clinic.example'], subject: 'Second claim' });
    const b2 = new Browser(t);
    await b2.open(second.tokens.get('billing@clinic.example')!);
    const link = (await b2.get('/portal/api/link')).json<LinkState>();
    expect(link).toMatchObject({ state: 'sign-in', address: 'billing@clinic.example' });
    // Registration does not work twice.
    const again = await b2.register('another fine passphrase');
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'ALREADY_REGISTERED' });

    const signIn = await b2.signIn('Billing@Clinic.example', PASSWORD);
    expect(signIn.statusCode).toBe(200);
    const threadId = signIn.json<SignInResult>().threadId;
    expect(threadId).toBe(link.state === 'sign-in' ? link.threadId : 'x');
    const view = (await b2.get(`/portal/api/threads/${threadId!}`)).json<Thread>();
    expect(view.subject).toBe('Second claim');
    // Signed in, the same link now opens straight away.
    expect((await b2.get('/portal/api/link')).json<LinkState>()).toEqual({ state: 'open', threadId });

    const list = (await b2.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads;
    expect(list.map((x) => x.subject)).toEqual(['Second claim', 'Claim 4471']);
    expect(list.map((x) => x.unread)).toEqual([false, true]);
  });

  it('streams a large attachment (over the whole-file limit) intact', async () => {
    const big = Buffer.alloc(5 * 1024 * 1024 + 123);
    for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i);
    const env = await sendEnvelope(t, {
      to: ['large@clinic.example'],
      attachments: [
        { name: 'scan.bin', contentType: 'application/octet-stream', contentBase64: big.toString('base64') },
      ],
    });
    const b = await registered(t, env, 'large@clinic.example');
    const id = (await b.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads[0]!.id;
    const m = (await b.get(`/portal/api/threads/${id}`)).json<Thread>().messages[0]!;
    const file = await b.get(`/portal/api/messages/${m.id}/attachments/${m.attachments[0]!.id}`);
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-length']).toBe(String(big.length));
    expect(file.rawPayload.equals(big)).toBe(true);
  });

  it('serves the page shell with a strict Content-Security-Policy', async () => {
    for (const url of ['/portal/', '/portal/inbox', '/portal/thread/abc']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toMatch(/^<!doctype html>/);
      expect(res.body).toContain('<html lang="en">');
      expect(res.body).toContain('name="viewport"');
      expect(res.body).toContain('<title>Secure messages</title>');
      expect(res.body).toContain('<div id="root"></div>');
      expect(res.body).toContain('<script src="/portal/assets/portal.js" defer></script>');
      const csp = res.headers['content-security-policy'] as string;
      expect(csp).toContain("default-src 'none'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).not.toMatch(/script-src[^;]*unsafe/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
    const api = await t.app.inject({ method: 'GET', url: '/portal/api/nothing-here' });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ code: 'NOT_FOUND' });
    const redirect = await t.app.inject({ method: 'GET', url: '/portal' });
    expect(redirect.headers.location).toBe('/portal/');
  });
});
