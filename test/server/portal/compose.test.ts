import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortalMessage, Thread, ThreadSummary } from '../../../src/shared/portal-api';
import { decryptContent } from '../../../src/server/crypto/content-crypto';
import { noticeAad } from '../../../src/server/crypto/bindings';
import { startMailCatcher, type MailCatcher } from '../../../src/server/dev/mail-catcher';
import { OutboxWorker } from '../../../src/server/outbox/worker';
import type { TestServer } from '../helpers/context';
import { STORE_KINDS } from '../helpers/stores';
import { openPortalServer, registered, sendEnvelope } from './helpers';

const REPLY = 'Reply-marker-71c2: the member DOB is 04/12/1961';
const FILE = Buffer.from('File-marker-5a0e: scanned referral');

/** The header block with folded lines joined. */
function headers(raw: string): string {
  return raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
}

/**
 * A recipient's reply reaches the representative as ordinary mail through a
 * real SMTP server (the mail catcher), threaded after the envelope, while the
 * store keeps only ciphertext.
 */
describe.each(STORE_KINDS)('portal replies and new messages on %s', (kind) => {
  let t: TestServer;
  let catcher: MailCatcher;
  let worker: OutboxWorker;

  beforeAll(async () => {
    t = await openPortalServer(kind);
    catcher = await startMailCatcher();
    worker = new OutboxWorker({
      db: t.ctx.store.db,
      smtpUrl: catcher.url,
      from: '"Secure Mail" <secure@plan.example>',
      dialect: t.ctx.store.dialect,
      openNotice: async (stored, id) =>
        new TextDecoder().decode(await decryptContent(t.ctx.keyring, stored, noticeAad(id))),
    });
  });
  afterAll(async () => {
    await worker.stop();
    await catcher.close();
    await t.cleanup();
  });

  it('stores a reply encrypted and relays it to the representative, threaded, with its attachment', async () => {
    const env = await sendEnvelope(t, { to: ['desk@clinic.example'], subject: 'Claim 9001' });
    const b = await registered(t, env, 'desk@clinic.example');
    const threadId = (await b.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads[0]!.id;

    const res = await b.post(`/portal/api/threads/${threadId}/reply`, {
      text: REPLY,
      attachments: [
        { name: 'referral.pdf', contentType: 'application/pdf', contentBase64: FILE.toString('base64') },
      ],
    });
    expect(res.statusCode).toBe(201);
    const message = res.json<{ message: PortalMessage }>().message;
    expect(message).toMatchObject({
      direction: 'out',
      from: 'desk@clinic.example',
      to: ['rep@plan.example'],
      subject: 'Re: Claim 9001',
      text: REPLY,
    });

    // Nothing readable at rest.
    const rows = await t.ctx.store.db.selectFrom('portal_messages').selectAll().execute();
    const outbox = await t.ctx.store.db.selectFrom('outbox').selectAll().execute();
    for (const text of [JSON.stringify(rows), JSON.stringify(outbox)]) {
      expect(text).not.toContain('Reply-marker');
      expect(text).not.toContain(FILE.toString('base64'));
    }

    await worker.runOnce();
    const mail = catcher.messages().find((m) => m.to.includes('rep@plan.example'))!;
    expect(mail.subject).toBe('[External] Re: Claim 9001');
    expect(mail.text).toContain(REPLY);
    expect(mail.text).toContain(`https://secure.plan.example/portal/#/thread/${threadId}`);
    expect(headers(mail.raw)).toMatch(/^Reply-To: desk@clinic\.example/m);
    const notice = `<${env.id}.${threadId}@secure.plan.example>`;
    expect(headers(mail.raw)).toContain(`In-Reply-To: ${notice}`);
    expect(headers(mail.raw)).toContain(`References: ${notice}`);
    expect(mail.raw).toMatch(/Content-Disposition: attachment; filename=referral\.pdf/);
    expect(mail.raw).toContain(FILE.toString('base64'));
    expect(headers(mail.raw)).not.toMatch(/^Auto-Submitted/m);

    // A second reply threads after the first.
    const second = await b.post(`/portal/api/threads/${threadId}/reply`, { text: 'One more thing.' });
    expect(second.statusCode).toBe(201);
    await worker.runOnce();
    const next = catcher
      .messages()
      .filter((m) => m.to.includes('rep@plan.example'))
      .at(-1)!;
    expect(headers(next.raw)).toContain(`In-Reply-To: ${mail.messageId}`);
    expect(headers(next.raw)).toContain(`References: ${notice} ${mail.messageId}`);

    // The thread shows the whole conversation in order, and the reply's attachment downloads.
    const view = (await b.get(`/portal/api/threads/${threadId}`)).json<Thread>();
    expect(view.messages.map((m) => m.direction)).toEqual(['in', 'out', 'out']);
    expect(view.messages[1]!.text).toBe(REPLY);
    const att = view.messages[1]!.attachments[0]!;
    const file = await b.get(`/portal/api/messages/${view.messages[1]!.id}/attachments/${att.id}`);
    expect(file.rawPayload.equals(FILE)).toBe(true);
    expect(file.headers['content-type']).toBe('application/pdf');
    const summary = (await b.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads[0]!;
    expect(summary.messageCount).toBe(3);
  });

  it('starts a new message to a representative the recipient already corresponds with', async () => {
    const env = await sendEnvelope(t, { to: ['clerk@clinic.example'] }, 'dana@plan.example');
    const b = await registered(t, env, 'clerk@clinic.example');
    const people = (await b.get('/portal/api/correspondents')).json<{
      correspondents: { address: string }[];
    }>();
    expect(people.correspondents).toEqual([{ address: 'dana@plan.example' }]);
    const res = await b.post('/portal/api/messages', {
      to: 'Dana@Plan.example',
      subject: 'New referral',
      text: 'Please see the referral.',
    });
    expect(res.statusCode).toBe(201);
    const { threadId, message } = res.json<{ threadId: string; message: PortalMessage }>();
    expect(message.subject).toBe('New referral');
    const list = (await b.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads;
    expect(list[0]).toMatchObject({ id: threadId, subject: 'New referral', messageCount: 1, unread: false });
    const view = (await b.get(`/portal/api/threads/${threadId}`)).json<Thread>();
    expect(view.correspondent.address).toBe('dana@plan.example');
    expect(view.messages).toHaveLength(1);
    // A reply in that thread goes to the same representative.
    expect(
      (await b.post(`/portal/api/threads/${threadId}/reply`, { text: 'And a follow-up.' })).statusCode,
    ).toBe(201);
    await worker.runOnce();
    const mails = catcher.messages().filter((m) => m.to.includes('dana@plan.example'));
    // Sent in parallel: the order of arrival is not the order of writing.
    expect(mails.map((m) => m.subject).sort()).toEqual([
      '[External] New referral',
      '[External] Re: New referral',
    ]);
    const first = mails.find((m) => m.subject === '[External] New referral')!;
    const followUp = mails.find((m) => m.subject === '[External] Re: New referral')!;
    expect(headers(followUp.raw)).toContain(`In-Reply-To: ${first.messageId}`);
  });

  it('refuses attachments over the limit and empty replies', async () => {
    const env = await sendEnvelope(t, { to: ['big@clinic.example'] });
    const b = await registered(t, env, 'big@clinic.example');
    const threadId = (await b.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads[0]!.id;
    const big = Buffer.alloc(10 * 1024 * 1024 + 10).toString('base64');
    const res = await b.post(`/portal/api/threads/${threadId}/reply`, {
      text: 'too big',
      attachments: [{ name: 'x.bin', contentType: 'application/octet-stream', contentBase64: big }],
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'ATTACHMENT_TOO_LARGE' });
    const empty = await b.post(`/portal/api/threads/${threadId}/reply`, { text: '   ' });
    expect(empty.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
