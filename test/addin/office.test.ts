/**
 * The Office wrapper (src/addin/office) over the fake mailbox: promises from
 * callbacks, Office's errors passed on, what persists where, and which Smart
 * Alert options each client version gets.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decisionSentence } from '../../src/addin/core/decision-text';
import { maskValue, viewFindings } from '../../src/addin/core/mask';
import { base64ToText } from '../../src/addin/core/base64';
import { digest } from '../../src/addin/core/idempotency';
import { scanText } from '../../src/detect/index';
import { completionOptions, officeHost } from '../../src/addin/office/index';
import { createFakeOffice, FakeMailbox } from '../../src/addin/office/fake-office';

function install(minor = 15): FakeMailbox {
  const mailbox = new FakeMailbox('Rep@Plan.Example', minor);
  (globalThis as { Office?: unknown }).Office = createFakeOffice(mailbox).office;
  return mailbox;
}

afterEach(() => {
  delete (globalThis as { Office?: unknown }).Office;
});

describe('office wrapper', () => {
  it('fails clearly when Office.js is not loaded', () => {
    expect(() => officeHost().item()).toThrow(/Office.js is not loaded/);
  });

  it('reads recipients lower-cased and trimmed, subject and HTML body', async () => {
    const mailbox = install();
    mailbox.message.to = [' Desk@Clinic.Example '];
    mailbox.message.bcc = ['a@b.example'];
    mailbox.message.subject = 'Hi';
    mailbox.message.bodyHtml = '<p>x</p>';
    const host = officeHost();
    const item = host.item();
    expect(await item.getRecipients()).toEqual({ to: ['desk@clinic.example'], cc: [], bcc: ['a@b.example'] });
    expect(await item.getSubject()).toBe('Hi');
    expect(await item.getBodyHtml()).toBe('<p>x</p>');
    expect(host.userAddress()).toBe('rep@plan.example');
  });

  it("passes Office's error message on as a rejection", async () => {
    const mailbox = install();
    mailbox.faults['subject.getAsync'] = 'The item was closed';
    await expect(officeHost().item().getSubject()).rejects.toThrow('The item was closed');
  });

  it('refuses a body over 1 MB as Outlook does', async () => {
    install();
    await expect(officeHost().item().setBodyHtml('x'.repeat(1_000_001))).rejects.toThrow(
      /DataExceedsMaximumSize/,
    );
  });

  it('lists attachments by kind and reads only files as base64', async () => {
    const mailbox = install();
    const file = mailbox.addAttachment({
      name: 'a.txt',
      size: 3,
      isInline: false,
      kind: 'file',
      base64: 'YWJj',
    });
    const cloud = mailbox.addAttachment({
      name: 'b.docx',
      size: 0,
      isInline: false,
      kind: 'cloud',
      base64: '',
    });
    const item = officeHost().item();
    expect((await item.getAttachments()).map((a) => [a.name, a.kind])).toEqual([
      ['a.txt', 'file'],
      ['b.docx', 'cloud'],
    ]);
    expect(await item.getAttachmentBase64(file)).toBe('YWJj');
    expect(await item.getAttachmentBase64(cloud)).toBeNull();
    await item.removeAttachment(file);
    expect(mailbox.message.attachments.map((a) => a.name)).toEqual(['b.docx']);
  });

  it('session data: missing keys read as null, values shared by every frame over the same mailbox', async () => {
    const mailbox = install();
    const item = officeHost().item();
    expect(await item.getSessionValue('k')).toBeNull();
    await item.setSessionValue('k', 'v');
    (globalThis as { Office?: unknown }).Office = createFakeOffice(mailbox).office;
    expect(await officeHost().item().getSessionValue('k')).toBe('v');
    await expect(item.setSessionValue('big', 'x'.repeat(50_001))).rejects.toThrow(/MaxLength/);
  });

  it('draft properties persist with the draft only once saved, and can be removed', async () => {
    const mailbox = install();
    const item = officeHost().item();
    await item.setDraftProperty('p', '1');
    expect(mailbox.message.customProperties).toEqual({ p: '1' });
    expect(await item.getDraftProperty('p')).toBe('1');
    await item.setDraftProperty('p', null);
    expect(mailbox.message.customProperties).toEqual({});
  });

  it('stamps internet headers', async () => {
    const mailbox = install();
    const item = officeHost().item();
    await item.setInternetHeaders({ 'X-Secure-Envelope-Id': 'abc' });
    expect(mailbox.message.headers).toEqual({ 'X-Secure-Envelope-Id': 'abc' });
    expect(await item.getInternetHeader('X-Secure-Envelope-Id')).toBe('abc');
  });

  it('reports recipient and attachment changes until unsubscribed', async () => {
    const mailbox = install();
    let calls = 0;
    const off = await officeHost().onItemChanged(() => calls++);
    mailbox.setRecipients('to', ['a@b.example']);
    mailbox.addAttachment({ name: 'x', size: 1, isInline: false, kind: 'file', base64: '' });
    expect(calls).toBe(2);
    off();
    await new Promise((r) => setTimeout(r, 0));
    mailbox.setRecipients('cc', ['c@d.example']);
    expect(calls).toBe(2);
  });

  it('knows the requirement sets the client supports', () => {
    install(13);
    const host = officeHost();
    expect(host.supportsMailbox(12)).toBe(true);
    expect(host.supportsMailbox(13)).toBe(true);
    expect(host.supportsMailbox(14)).toBe(false);
  });

  it('Office SSO token: null when the manifest does not declare it', async () => {
    install();
    expect(await officeHost().ssoToken()).toBeNull();
  });
});

describe('Smart Alert options per client', () => {
  const full = {
    allowEvent: false,
    errorMessage: 'plain',
    errorMessageMarkdown: '**md**',
    promptUser: true,
    commandId: 'btn',
    cancelLabel: 'Review',
  };
  it.each([
    [
      15,
      {
        allowEvent: false,
        errorMessage: 'plain',
        errorMessageMarkdown: '**md**',
        commandId: 'btn',
        cancelLabel: 'Review',
        sendModeOverride: 'promptUser',
      },
    ],
    [
      14,
      {
        allowEvent: false,
        errorMessage: 'plain',
        commandId: 'btn',
        cancelLabel: 'Review',
        sendModeOverride: 'promptUser',
      },
    ],
    [12, { allowEvent: false, errorMessage: 'plain' }],
  ])('Mailbox 1.%i', (minor, expected) => {
    install(minor);
    expect(completionOptions(full, (m) => m <= minor)).toEqual(expected);
  });

  it.each([
    [15, { commandId: 'secure-fn', cancelLabel: 'Send securely', contextData: '{"from":"smart-alert"}' }],
    [14, { commandId: 'btn', cancelLabel: 'Review' }],
    [12, {}],
  ])(
    'Mailbox 1.%i: a block that offers securing runs the function where the client can',
    (minor, expected) => {
      install(minor);
      const secure = { allowEvent: false, errorMessage: 'plain', commandId: 'btn', cancelLabel: 'Review' };
      expect(completionOptions({ ...secure, secureCommandId: 'secure-fn' }, (m) => m <= minor)).toEqual({
        allowEvent: false,
        errorMessage: 'plain',
        ...expected,
      });
    },
  );

  it('an allowed send carries nothing else', () => {
    install();
    expect(completionOptions({ allowEvent: true, errorMessage: 'x' }, () => true)).toEqual({
      allowEvent: true,
    });
  });
});

describe('task pane helpers', () => {
  it('masks all but the last four letters or digits, keeping separators', () => {
    expect(maskValue('536-22-1874')).toBe('•••-••-1874');
    expect(maskValue('E11.9')).toBe('••1.9');
    expect(maskValue('4111 1111 1111 1111')).toBe('•••• •••• •••• 1111');
  });

  it('shows a finding in HTML masked, on the line a reader counts, never the value', () => {
    const html = '<p>Hello,</p><p>Member Jane Roe</p><p>SSN: 536-<span>22</span>-1874</p>';
    const [view] = viewFindings(html, 'html', scanText(html, 'html'));
    expect(view?.masked).toBe('•••-••-1874');
    expect(view?.line).toBe(3);
  });

  it('says the decision in one sentence', () => {
    expect(decisionSentence({ kind: 'allow', reason: 'clean' }, '')).toBe(
      'Nothing sensitive found: it will be sent as is.',
    );
    expect(
      decisionSentence(
        {
          kind: 'secure',
          reason: 'unprotected',
          unprotected: ['a.example', 'b.example'],
          consumer: [],
          noMail: [],
        },
        'SSN',
      ),
    ).toBe('Found SSN, and a.example and b.example have no verified TLS: it will go as Secure Email.');
    expect(
      decisionSentence(
        { kind: 'block', reason: 'unprotected', unprotected: ['a.example'], consumer: [], noMail: [] },
        'SSN',
      ),
    ).toMatch(/a.example has no verified TLS: your organization blocks sending it/);
  });

  it('words each domain for what it is: consumer mail by rule, a trusted domain as listed, not measured', () => {
    expect(
      decisionSentence(
        {
          kind: 'secure',
          reason: 'unprotected',
          unprotected: ['gmail.com', 'clinic.example'],
          consumer: ['gmail.com'],
          noMail: [],
        },
        'SSN',
      ),
    ).toBe(
      'Found SSN, and gmail.com is consumer mail, which always goes securely, and clinic.example has no ' +
        'verified TLS: it will go as Secure Email.',
    );
    const consumerOnly = decisionSentence(
      {
        kind: 'secure',
        reason: 'unprotected',
        unprotected: ['gmail.com'],
        consumer: ['gmail.com'],
        noMail: [],
      },
      'SSN',
    );
    expect(consumerOnly).not.toMatch(/TLS/);
    expect(
      decisionSentence(
        { kind: 'allow', reason: 'protected', trusted: ['partner.example'], measured: [] },
        'SSN',
      ),
    ).toBe("Found SSN, but partner.example is on your organization's trusted list: it will be sent as is.");
    expect(
      decisionSentence(
        { kind: 'allow', reason: 'protected', trusted: [], measured: ['verified.example'] },
        'SSN',
      ),
    ).toMatch(/takes verified TLS|mail server takes verified TLS/);
  });

  it('says when a domain takes no mail at all, so the sender checks the address', () => {
    const sentence = decisionSentence(
      {
        kind: 'secure',
        reason: 'unprotected',
        unprotected: ['clinic.example', 'clinc.example'],
        consumer: [],
        noMail: ['clinc.example'],
      },
      'SSN',
    );
    expect(sentence).toMatch(
      /it will go as Secure Email\. clinc\.example takes no mail at all: check the address/,
    );
    expect(sentence).not.toMatch(/clinic\.example takes no mail/);
  });

  it('decodes base64 UTF-8 without atob or TextDecoder', () => {
    expect(base64ToText(Buffer.from('Zoë 536-22-1874 ✓ 𝄞', 'utf8').toString('base64'))).toBe(
      'Zoë 536-22-1874 ✓ 𝄞',
    );
  });

  it('digests differ for different drafts and repeat for the same one', () => {
    expect(digest('a')).toMatch(/^[\da-f]{16}$/);
    expect(digest('draft one')).toBe(digest('draft one'));
    expect(digest('draft one')).not.toBe(digest('draft two'));
  });
});
