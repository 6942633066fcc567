import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailCatcher, type MailCatcher } from '../../../src/server/dev/mail-catcher';
import {
  renderPasswordChangedMail,
  renderReplyMail,
  renderResetMail,
} from '../../../src/server/mail/portal-mail';
import { defaultRequireTls, OutboxWorker } from '../../../src/server/outbox/worker';
import { openTestStore, type TestStore } from '../helpers/stores';

const FROM = '"Secure Mail" <secure@plan.example>';

async function insert(store: TestStore, id: string, json: unknown): Promise<void> {
  const at = new Date().toISOString();
  await store.db
    .insertInto('outbox')
    .values({
      id,
      envelope_id: 'portal:test',
      recipient_id: id,
      message_id: `<${id}@secure.plan.example>`,
      to_address: 'rep@plan.example',
      notice_json: JSON.stringify(json),
      status: 'pending',
      next_attempt_at: at,
      last_error: null,
      created_at: at,
      sent_at: null,
    })
    .execute();
}

describe('the outbox carries portal mail', () => {
  let store: TestStore;
  let catcher: MailCatcher;

  beforeAll(async () => {
    store = await openTestStore('sqlite');
    catcher = await startMailCatcher();
  });
  afterAll(async () => {
    await catcher.close();
    await store.cleanup();
  });

  it('requires TLS of every relay except one on this machine or smtps', () => {
    expect(defaultRequireTls('smtp://relay.plan.example:587')).toBe(true);
    expect(defaultRequireTls('smtp://10.0.0.5:25')).toBe(true);
    expect(defaultRequireTls('smtp://127.0.0.1:2525')).toBe(false);
    expect(defaultRequireTls('smtp://localhost:2525')).toBe(false);
    expect(defaultRequireTls('smtp://[::1]:2525')).toBe(false);
    expect(defaultRequireTls('smtps://relay.plan.example:465')).toBe(false);
  });

  it('sends nothing to a relay that does not offer STARTTLS when TLS is required', async () => {
    let accepted = 0;
    const plain = new SMTPServer({
      logger: false,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      hideSTARTTLS: true,
      onData(stream, _session, callback) {
        stream.resume();
        stream.on('end', () => {
          accepted++;
          callback();
        });
      },
    });
    plain.on('error', () => undefined);
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    const port = (plain.server.address() as AddressInfo).port;
    await insert(
      store,
      'tls1',
      renderReplyMail({
        fromAddress: 'desk@clinic.example',
        subject: 'Re: x',
        text: 'private reply',
        threadUrl: 'https://secure.plan.example/portal/#/thread/t1',
        attachmentNames: [],
        orgName: 'Health Plan',
      }),
    );
    const worker = new OutboxWorker({
      db: store.db,
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: FROM,
      requireTls: true,
      dialect: 'sqlite',
    });
    const result = await worker.runOnce();
    await worker.stop();
    await new Promise<void>((resolve) => {
      plain.close(() => {
        resolve();
      });
    });
    expect(result.retried).toBe(1);
    expect(accepted).toBe(0);
    const row = await store.db
      .selectFrom('outbox')
      .select(['status', 'last_error'])
      .where('id', '=', 'tls1')
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect(row.last_error).toMatch(/^ETLS|ESOCKET|EENVELOPE|ECONNECTION/);
    await store.db.deleteFrom('outbox').where('id', '=', 'tls1').execute();
  });

  it('delivers threading headers, Reply-To and attachments, and refuses a malformed row at once', async () => {
    await insert(store, 'p1', {
      ...renderResetMail({
        orgName: 'Health Plan',
        supportContact: 'Provider Services',
        link: 'https://secure.plan.example/portal/reset/abc',
        minutes: 30,
      }),
      replyTo: 'desk@clinic.example',
      inReplyTo: '<first@secure.plan.example>',
      references: ['<first@secure.plan.example>'],
      attachments: [
        {
          filename: 'a.txt',
          contentType: 'text/plain',
          contentBase64: Buffer.from('hello file').toString('base64'),
        },
      ],
      auto: false,
    });
    await insert(store, 'p2', {
      subject: 'x',
      text: 'y',
      html: 'z',
      inReplyTo: 'no brackets\r\nBcc: evil@example.org',
    });
    const worker = new OutboxWorker({ db: store.db, smtpUrl: catcher.url, from: FROM, dialect: 'sqlite' });
    const result = await worker.runOnce();
    await worker.stop();
    expect(result).toMatchObject({ sent: 1, dead: 1 });
    const mail = catcher.messages().at(-1)!;
    const head = mail.raw.split(/\r?\n\r?\n/)[0]!.replace(/\r?\n[ \t]+/g, ' ');
    expect(head).toContain('In-Reply-To: <first@secure.plan.example>');
    expect(head).toContain('Reply-To: desk@clinic.example');
    expect(head).not.toContain('Auto-Submitted');
    expect(mail.subject).toBe('Reset your password for secure messages from Health Plan');
    expect(mail.text).toContain('https://secure.plan.example/portal/reset/abc');
    expect(mail.raw).toContain(Buffer.from('hello file').toString('base64'));
    expect(mail.raw).not.toContain('evil@example.org');
  });

  it('renders the password-changed notice without anything secret', () => {
    const m = renderPasswordChangedMail({
      orgName: 'Health Plan',
      supportContact: 'Provider Services',
      portalUrl: 'https://secure.plan.example/portal/',
      at: new Date('2026-03-01T10:00:00Z'),
    });
    expect(m.subject).toBe('Your password for secure messages from Health Plan was changed');
    expect(m.text).toContain('2026-03-01 10:00 UTC');
    expect(m.text).toContain('https://secure.plan.example/portal/');
  });
});
