import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkState, PortalMessage, Thread, ThreadSummary } from '../../../src/shared/portal-api';
import type { TestServer } from '../helpers/context';
import { STORE_KINDS } from '../helpers/stores';
import { Browser, openPortalServer, registered, sendEnvelope, type SentEnvelope } from './helpers';

const FILE = Buffer.from('B-only attachment: DOB 04/12/1961').toString('base64');

/**
 * Recipient A must never read, download, reply to or even learn of recipient
 * B's messages: every route answers B's ids exactly as it answers ids that
 * never existed.
 */
describe.each(STORE_KINDS)('portal isolation on %s', (kind) => {
  let t: TestServer;
  let a: Browser;
  let b: Browser;
  let envA: SentEnvelope;
  let envB: SentEnvelope;
  let bThread: Thread;
  let bReply: PortalMessage;

  beforeAll(async () => {
    t = await openPortalServer(kind);
    envA = await sendEnvelope(t, { to: ['a@clinic.example'], subject: 'For A' });
    envB = await sendEnvelope(
      t,
      {
        to: ['b@hospital.example'],
        bcc: ['audit@hospital.example'],
        subject: 'For B',
        attachments: [{ name: 'b.txt', contentType: 'text/plain', contentBase64: FILE }],
      },
      'other.rep@plan.example',
    );
    a = await registered(t, envA, 'a@clinic.example');
    b = await registered(t, envB, 'b@hospital.example');
    const bThreadId = (await b.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads[0]!
      .id;
    bThread = (await b.get(`/portal/api/threads/${bThreadId}`)).json<Thread>();
    const r = await b.post(`/portal/api/threads/${bThreadId}/reply`, {
      text: 'B answers',
      attachments: [{ name: 'b-reply.txt', contentType: 'text/plain', contentBase64: FILE }],
    });
    expect(r.statusCode).toBe(201);
    bReply = r.json<{ message: PortalMessage }>().message;
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("answers every route with B's ids exactly like ids that do not exist", async () => {
    const bMsg = bThread.messages[0]!;
    const bAtt = bMsg.attachments[0]!;
    const bReplyAtt = bReply.attachments[0]!;
    const fake = 'AAAAAAAAAAAAAAAAAAAAAA';
    const pairs: [string, 'GET' | 'POST', string, string][] = [
      ['thread', 'GET', `/portal/api/threads/${bThread.id}`, `/portal/api/threads/${fake}`],
      ['reply', 'POST', `/portal/api/threads/${bThread.id}/reply`, `/portal/api/threads/${fake}/reply`],
      [
        'attachment',
        'GET',
        `/portal/api/messages/${bMsg.id}/attachments/${bAtt.id}`,
        `/portal/api/messages/${fake}/attachments/${fake}`,
      ],
      [
        'reply attachment',
        'GET',
        `/portal/api/messages/${bReply.id}/attachments/${bReplyAtt.id}`,
        `/portal/api/messages/${fake}/attachments/${bReplyAtt.id}`,
      ],
      [
        "B's attachment under A's own message",
        'GET',
        `/portal/api/messages/${(await firstThread(a)).id}/attachments/${bAtt.id}`,
        `/portal/api/messages/${(await firstThread(a)).id}/attachments/${fake}`,
      ],
    ];
    for (const [what, method, bUrl, fakeUrl] of pairs) {
      const payload = method === 'POST' ? { text: 'sneaky' } : undefined;
      const real = await a.request(method, bUrl, payload);
      const none = await a.request(method, fakeUrl, payload);
      expect(real.statusCode, what).toBe(404);
      expect(real.body, what).toBe(none.body);
      expect(real.headers['content-length'], what).toBe(none.headers['content-length']);
    }
    // Nothing A did reached B's thread.
    const after = (await b.get(`/portal/api/threads/${bThread.id}`)).json<Thread>();
    expect(after.messages.map((m) => m.text ?? '')).not.toContain('sneaky');
  });

  it("shows A neither B's threads nor B's representative", async () => {
    const list = (await a.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads;
    expect(list.map((x) => x.subject)).toEqual(['For A']);
    const people = (await a.get('/portal/api/correspondents')).json<{
      correspondents: { address: string }[];
    }>();
    expect(people.correspondents).toEqual([{ address: 'rep@plan.example' }]);
    const start = await a.post('/portal/api/messages', {
      to: 'other.rep@plan.example',
      subject: 'Hello',
      text: 'Let me in',
    });
    expect(start.statusCode).toBe(403);
  });

  it("does not let B's secure link open anything for A", async () => {
    // A, signed in, clicks B's link (forwarded mail): the link names B, not A's session.
    await a.open(envB.tokens.get('b@hospital.example')!);
    const link = (await a.get('/portal/api/link')).json<LinkState>();
    expect(link).toEqual({ state: 'sign-in', address: 'b@hospital.example', threadId: bThread.id });
    expect((await a.get(`/portal/api/threads/${bThread.id}`)).statusCode).toBe(404);
    // A's link in a fresh browser cannot register anyone again, nor open B's thread.
    const stranger = new Browser(t);
    await stranger.open(envA.tokens.get('a@clinic.example')!);
    expect((await stranger.register('a different passphrase')).statusCode).toBe(409);
    expect((await stranger.get(`/portal/api/threads/${bThread.id}`)).statusCode).toBe(401);
  });

  it('never shows Bcc recipients, not even to themselves', async () => {
    expect(bThread.messages[0]!.to).toEqual(['b@hospital.example']);
    expect(bThread.messages[0]!.cc).toEqual([]);
    const hidden = await registered(t, envB, 'audit@hospital.example');
    const list = (await hidden.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads;
    const view = (await hidden.get(`/portal/api/threads/${list[0]!.id}`)).json<Thread>();
    expect(view.messages[0]!.to).toEqual(['b@hospital.example']);
    expect(JSON.stringify(view)).not.toContain('audit@hospital.example');
    // B's reply is B's: the Bcc recipient's view of the same envelope does not show it.
    expect(view.messages).toHaveLength(1);
    expect(view.id).not.toBe(bThread.id);
  });

  it('refuses a link token that is unknown, and a thread id of the wrong shape', async () => {
    const c = new Browser(t);
    const res = await c.open('x'.repeat(43));
    expect(res.statusCode).toBe(303);
    expect((await c.get('/portal/api/link')).json<LinkState>()).toEqual({ state: 'invalid' });
    expect((await a.get('/portal/api/threads/..%2F..%2Fetc')).statusCode).toBe(404);
  });
});

async function firstThread(b: Browser): Promise<PortalMessage> {
  const id = (await b.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads.at(-1)!.id;
  return (await b.get(`/portal/api/threads/${id}`)).json<Thread>().messages[0]!;
}
