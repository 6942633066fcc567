import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThreadSummary } from '../../../src/shared/portal-api';
import { decryptContent } from '../../../src/server/crypto/content-crypto';
import { noticeAad } from '../../../src/server/crypto/bindings';
import { startMailCatcher, type MailCatcher } from '../../../src/server/dev/mail-catcher';
import { OutboxWorker } from '../../../src/server/outbox/worker';
import type { TestServer } from '../helpers/context';
import { STORE_KINDS } from '../helpers/stores';
import { openPortalServer, registered, sendEnvelope } from './helpers';

const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64');

/**
 * A signed-in recipient writes to representatives through the portal, and
 * the mail arrives from the organisation's own address: one account must
 * not be able to flood inboxes, pass programs or web pages through, or
 * pass for a colleague.
 */
describe.each(STORE_KINDS)('what a recipient may send through the portal, on %s', (kind) => {
  let t: TestServer;
  let catcher: MailCatcher;
  let worker: OutboxWorker;

  beforeAll(async () => {
    t = await openPortalServer(kind, {
      recipientMessages: { perHour: 5, attachmentMegabytesPerDay: 1 },
    });
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

  async function signedIn(address: string) {
    const env = await sendEnvelope(t, { to: [address], subject: 'Claim 5102' });
    const b = await registered(t, env, address);
    const threadId = (await b.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>().threads[0]!.id;
    return { b, threadId };
  }

  it('stops a burst of messages at the hourly limit, even sent all at once', async () => {
    const { b, threadId } = await signedIn('burst@clinic.example');
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        b.post(`/portal/api/threads/${threadId}/reply`, { text: `Note ${i}` }),
      ),
    );
    const accepted = answers.filter((r) => r.statusCode === 201).length;
    const refused = answers.filter((r) => r.statusCode === 429);
    expect(accepted).toBe(5);
    expect(refused).toHaveLength(7);
    expect(refused[0]!.json()).toMatchObject({ code: 'MESSAGE_LIMIT_REACHED' });
    expect(refused[0]!.json<{ message: string }>().message).toMatch(/last hour/);
    const stored = await t.ctx.store.db
      .selectFrom('portal_messages')
      .select('id')
      .where('address', '=', 'burst@clinic.example')
      .execute();
    expect(stored).toHaveLength(5);
  });

  it('stops attachments past the daily volume', async () => {
    const { b, threadId } = await signedIn('volume@clinic.example');
    const half = b64(Buffer.alloc(600 * 1024, 7));
    const first = await b.post(`/portal/api/threads/${threadId}/reply`, {
      text: 'Scan one',
      attachments: [{ name: 'scan1.pdf', contentType: 'application/pdf', contentBase64: half }],
    });
    expect(first.statusCode).toBe(201);
    const second = await b.post(`/portal/api/threads/${threadId}/reply`, {
      text: 'Scan two',
      attachments: [{ name: 'scan2.pdf', contentType: 'application/pdf', contentBase64: half }],
    });
    expect(second.statusCode).toBe(429);
    expect(second.json()).toMatchObject({ code: 'MESSAGE_LIMIT_REACHED' });
    expect(second.json<{ message: string }>().message).toMatch(/1 MB of files in 24 hours/);
  });

  it('refuses programs and web pages by name and by content, saying what may be sent', async () => {
    const { b, threadId } = await signedIn('files@clinic.example');
    const tries = [
      {
        name: 'invoice.exe',
        contentType: 'application/x-msdownload',
        contentBase64: b64('MZ\x90\x00binary'),
      },
      { name: 'statement.html', contentType: 'text/html', contentBase64: b64('<html><script>x()</script>') },
      // A program or a page that calls itself a PDF is still what its bytes say.
      { name: 'referral.pdf', contentType: 'application/pdf', contentBase64: b64('MZ\x90\x00binary') },
      {
        name: 'referral.pdf',
        contentType: 'application/pdf',
        contentBase64: b64('\ufeff  <!DOCTYPE html><p>'),
      },
      { name: 'README', contentType: 'text/plain', contentBase64: b64('hello') },
    ];
    for (const a of tries) {
      const res = await b.post(`/portal/api/threads/${threadId}/reply`, {
        text: 'See file',
        attachments: [a],
      });
      expect(res.statusCode, a.name).toBe(415);
      expect(res.json()).toMatchObject({ code: 'ATTACHMENT_TYPE_REFUSED' });
      const message = res.json<{ message: string }>().message;
      expect(message).toContain(`'${a.name}' cannot be sent`);
      expect(message).toContain('.pdf');
    }
    const stored = await t.ctx.store.db
      .selectFrom('portal_messages')
      .select('id')
      .where('address', '=', 'files@clinic.example')
      .execute();
    expect(stored).toHaveLength(0);
  });

  it('relays an accepted file with the type its extension says, marked as outside mail', async () => {
    const { b, threadId } = await signedIn('marked@clinic.example');
    const res = await b.post(`/portal/api/threads/${threadId}/reply`, {
      text: 'Referral attached.',
      attachments: [{ name: 'referral.pdf', contentType: 'text/html', contentBase64: b64('%PDF-1.7 scan') }],
    });
    expect(res.statusCode).toBe(201);
    await worker.runOnce();
    const mail = catcher
      .messages()
      .find((m) => m.to.includes('rep@plan.example') && (m.text ?? '').includes('Referral'))!;
    expect(mail.subject).toBe('[External] Re: Claim 5102');
    expect((mail.text ?? '').split('\n')[0]).toMatch(
      /^External sender: marked@clinic\.example is outside Health Plan/,
    );
    expect(mail.raw).toMatch(/Content-Type: application\/pdf; name=referral\.pdf/);
    expect(mail.raw).not.toMatch(/Content-Type: text\/html; name=referral/);
  });
});
