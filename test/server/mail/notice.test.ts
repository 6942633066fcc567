import { describe, expect, it } from 'vitest';
import { renderNotice, type NoticeInput } from '../../../src/server/mail/notice';

const base: NoticeInput = {
  orgName: 'Health Plan',
  supportContact: 'Provider Services, 1-800-555-0100, help@plan.example',
  senderName: 'Dana Rep',
  senderAddress: 'dana@plan.example',
  link: 'https://secure.plan.example/r/AbC123_tokenValue-xyz',
  firstTime: false,
  expiresAt: new Date('2026-03-14T09:05:00Z'),
  recipientAddress: 'front.desk@clinic.example',
};

describe('renderNotice', () => {
  it('has a subject naming only the organisation', () => {
    expect(renderNotice(base).subject).toBe('Secure message from Health Plan');
  });

  it('never carries anything but the fields it is given (no original subject or content)', () => {
    // The input has no subject or body field at all; an object smuggling one in is ignored.
    const smuggled = { ...base, subject: 'Member 123-45-6789 diagnosis', text: 'SSN 123-45-6789' };
    const notice = renderNotice(smuggled);
    for (const part of [notice.subject, notice.text, notice.html]) {
      expect(part).not.toContain('123-45-6789');
      expect(part).not.toContain('diagnosis');
    }
  });

  it('shows the sender, the encryption, the full link, the expiry, support and the password warning', () => {
    const { text, html } = renderNotice(base);
    for (const part of [text, html]) {
      expect(part).toContain('Dana Rep');
      expect(part).toContain('dana@plan.example');
      expect(part).toContain('encrypted');
      expect(part).toContain('https://secure.plan.example/r/AbC123_tokenValue-xyz');
      expect(part).toContain('14 March 2026, 09:05 UTC');
      expect(part).toContain('Provider Services, 1-800-555-0100, help@plan.example');
      expect(part).toContain('will never ask for your password by e-mail');
    }
    expect(text.split('\n')).toContain('https://secure.plan.example/r/AbC123_tokenValue-xyz');
    expect(html).toContain('href="https://secure.plan.example/r/AbC123_tokenValue-xyz"');
  });

  it('tells a first-time recipient to register once, a returning one to sign in', () => {
    const first = renderNotice({ ...base, firstTime: true });
    const again = renderNotice({ ...base, firstTime: false });
    for (const part of [first.text, first.html]) {
      expect(part).toContain(
        'register once with this e-mail address, then sign in with your username and password',
      );
    }
    for (const part of [again.text, again.html]) {
      expect(part).not.toContain('register');
      expect(part).toContain('Sign in with your username and password');
    }
  });

  it('escapes every interpolated value in the HTML', () => {
    const notice = renderNotice({
      ...base,
      orgName: 'Plan & <b>Co</b>',
      senderName: '<script>alert(1)</script>',
      senderAddress: 'x"onmouseover="alert(2)@evil.example',
      supportContact: "<img src=x onerror='alert(3)'>",
      link: 'https://secure.plan.example/r/a?b=1&c="2"',
    });
    expect(notice.html).not.toContain('<script');
    expect(notice.html).not.toContain('<img');
    expect(notice.html).not.toContain('<b>');
    expect(notice.html).not.toContain('"onmouseover');
    expect(notice.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(notice.html).toContain('Plan &amp; &lt;b&gt;Co&lt;/b&gt;');
    expect(notice.html).toContain('&#39;alert(3)&#39;');
    // The only tags are the template's own.
    const tags = new Set([...notice.html.matchAll(/<\/?([a-z][a-z0-9]*)/gi)].map((m) => m[1]!.toLowerCase()));
    expect([...tags].sort()).toEqual(
      ['a', 'body', 'h1', 'head', 'hr', 'html', 'meta', 'p', 'strong', 'table', 'td', 'title', 'tr'].sort(),
    );
  });

  it('keeps every value on one line, so nothing can add a header or a line of its own', () => {
    const notice = renderNotice({ ...base, orgName: 'Plan\r\nBcc: victim@example.org', senderName: 'A\nB' });
    expect(notice.subject).toBe('Secure message from Plan Bcc: victim@example.org');
    expect(notice.subject).not.toMatch(/[\r\n]/);
    expect(notice.text).toContain('A B <dana@plan.example>');
  });

  it('shows the address once when the name is the address', () => {
    const { text } = renderNotice({ ...base, senderName: 'dana@plan.example' });
    expect(text).toContain('dana@plan.example sent you a secure message through Health Plan.');
  });

  it('has a real button to the link, says the username is the address, and attaches a page that opens it', () => {
    const { html, text, attachments } = renderNotice(base);
    const link = 'https://secure.plan.example/r/AbC123_tokenValue-xyz';
    expect(html).toMatch(
      new RegExp(`<td style="background-color:#0b57d0[^"]*"><a href="${link}"[^>]*>Open secure message</a>`),
    );
    expect(text).toContain('Your username is this e-mail address: front.desk@clinic.example');
    expect(html).toContain(
      'Your username is this e-mail address: <strong>front.desk@clinic.example</strong>',
    );
    expect(attachments).toHaveLength(1);
    const [page] = attachments!;
    expect(page).toMatchObject({ filename: 'SecureMessage.html', contentType: 'text/html' });
    const opened = Buffer.from(page!.contentBase64, 'base64').toString('utf8');
    expect(opened).toContain(`<a href="${link}"`);
    expect(opened).not.toMatch(/<script|<img|src=/i);
    expect(text).toContain('If the link does not open, open the attached SecureMessage.html.');
  });

  it("shows the organisation's logo when one is configured, and only from an https address", () => {
    const { html } = renderNotice({ ...base, logoUrl: 'https://plan.example/logo.png' });
    expect(html).toContain('<img src="https://plan.example/logo.png" alt="Health Plan"');
    expect(() => renderNotice({ ...base, logoUrl: 'javascript:alert(1)' })).toThrow(TypeError);
  });

  it('has no remote resources, scripts or style sheets without a logo, and a phone viewport', () => {
    const { html } = renderNotice(base);
    expect(html).not.toMatch(/<img|<script|<link|<style|src=|url\(/i);
    expect(html).toContain('name="viewport"');
    expect(html).toContain('max-width:600px');
  });

  it('refuses a link that is not http(s) and an invalid date', () => {
    expect(() => renderNotice({ ...base, link: 'javascript:alert(1)' })).toThrow(TypeError);
    expect(() => renderNotice({ ...base, link: '/r/relative' })).toThrow(TypeError);
    expect(() => renderNotice({ ...base, expiresAt: new Date('nope') })).toThrow(TypeError);
  });

  it('is pure: the same input gives the same notice', () => {
    expect(renderNotice(base)).toEqual(renderNotice({ ...base }));
  });
});
