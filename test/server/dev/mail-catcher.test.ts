import nodemailer from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import {
  renderCatcherPage,
  startMailCatcher,
  type CaughtMessage,
  type MailCatcher,
} from '../../../src/server/dev/mail-catcher';

const open: MailCatcher[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function catcher(options: Parameters<typeof startMailCatcher>[0] = {}): Promise<MailCatcher> {
  const c = await startMailCatcher(options);
  open.push(c);
  return c;
}

function transport(url: string) {
  return nodemailer.createTransport({ url, logger: false });
}

describe('mail catcher', () => {
  it('listens on loopback and receives a real message sent with nodemailer', async () => {
    const c = await catcher();
    expect(c.url).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    const html = `<p>Hello <b>there</b> — ${'long line '.repeat(20)}</p>`;
    await transport(c.url).sendMail({
      from: '"Health Plan Secure Mail" <secure@plan.example>',
      to: 'ann@clinic.example',
      bcc: 'audit@plan.example',
      subject: 'Grüße: secure message ✉ from Health Plan',
      text: 'Line one\nLine two with ümlauts and = signs\n',
      html,
      messageId: '<env1.rcp1@secure.plan.example>',
    });
    const [m] = c.messages();
    expect(c.messages()).toHaveLength(1);
    expect(m).toMatchObject({
      from: 'Health Plan Secure Mail <secure@plan.example>',
      to: ['ann@clinic.example', 'audit@plan.example'],
      subject: 'Grüße: secure message ✉ from Health Plan',
      messageId: '<env1.rcp1@secure.plan.example>',
      text: 'Line one\nLine two with ümlauts and = signs\n',
      html,
    });
    expect(m!.raw).toContain('Message-ID: <env1.rcp1@secure.plan.example>');
    expect(m!.raw).not.toContain('audit@plan.example>\r\nBcc');
    expect(Date.parse(m!.receivedAt)).not.toBeNaN();
  });

  it('decodes base64 bodies too', async () => {
    const c = await catcher();
    await transport(c.url).sendMail({
      from: 'a@plan.example',
      to: 'b@clinic.example',
      subject: 'plain',
      text: 'base64 text ✓',
      html: '<p>base64 html ✓</p>',
      textEncoding: 'base64',
    });
    const [m] = c.messages();
    expect(m!.raw).toContain('Content-Transfer-Encoding: base64');
    expect(m!.text).toBe('base64 text ✓');
    expect(m!.html).toBe('<p>base64 html ✓</p>');
  });

  it('refuses a message over the size limit, and keeps only the newest `max`', async () => {
    const c = await catcher({ max: 2, maxMessageBytes: 2000 });
    const t = transport(c.url);
    await expect(
      t.sendMail({ from: 'a@plan.example', to: 'b@clinic.example', text: 'x'.repeat(5000) }),
    ).rejects.toMatchObject({ responseCode: 552 });
    for (const n of [1, 2, 3]) {
      await t.sendMail({ from: 'a@plan.example', to: 'b@clinic.example', subject: `n${n}`, text: 'hi' });
    }
    expect(c.messages().map((m) => m.subject)).toEqual(['n2', 'n3']);
    c.clear();
    expect(c.messages()).toEqual([]);
  });

  it('refuses to listen anywhere but loopback', async () => {
    await expect(startMailCatcher({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});

describe('renderCatcherPage', () => {
  const evil: CaughtMessage = {
    id: 'id1',
    receivedAt: '2026-01-01T00:00:00.000Z',
    from: '<script>alert("from")</script>',
    to: ['"><img src=x onerror=alert(1)>@x'],
    subject: '</title><script>alert(2)</script>',
    messageId: '<m@x>',
    text: '<script>alert(3)</script>',
    html: '<p>hi</p><script>alert(4)</script><img src="https://tracker.example/p.gif">',
    raw: 'Subject: <script>alert(5)</script>',
  };

  it('escapes everything and shows HTML only in a sandbox without scripts', () => {
    const page = renderCatcherPage([evil]);
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img/i);
    expect(page).toContain('&lt;script&gt;alert(&quot;from&quot;)&lt;/script&gt;');
    const frames = [...page.matchAll(/<iframe[^>]*>/g)].map((m) => m[0]);
    expect(frames).toHaveLength(1);
    expect(frames[0]).toContain('sandbox=""');
    expect(frames[0]).not.toContain('allow-scripts');
    expect(frames[0]).toContain('srcdoc="&lt;p&gt;hi&lt;/p&gt;&lt;script&gt;');
  });

  it('lists the newest first', () => {
    const a = { ...evil, id: 'a', subject: 'first', html: null };
    const b = { ...evil, id: 'b', subject: 'second', text: null };
    const page = renderCatcherPage([a, b]);
    expect(page.indexOf('id="m-b"')).toBeGreaterThan(0);
    expect(page.indexOf('id="m-b"')).toBeLessThan(page.indexOf('id="m-a"'));
    expect(page).toContain('2 messages');
    expect(renderCatcherPage([])).toContain('No messages yet');
  });
});
