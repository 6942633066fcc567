/**
 * Walks the handler through every failure it can meet (each Office call
 * failing, each server answer and outage) for each kind of message, and
 * checks the two promises on every path: `event.completed` is called exactly
 * once within Outlook's time, and protected mail never leaves as it was.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { b64, CLEAN_HTML, compose, createHarness, type Harness, SENSITIVE_HTML } from './fixtures';

const OFFICE_CALLS = [
  'to.getAsync',
  'cc.getAsync',
  'bcc.getAsync',
  'subject.getAsync',
  'subject.setAsync',
  'body.getAsync',
  'body.setAsync',
  'body.prependAsync',
  'to.setAsync',
  'cc.setAsync',
  'bcc.setAsync',
  'getAttachmentsAsync',
  'getAttachmentContentAsync',
  'removeAttachmentAsync',
  'internetHeaders.setAsync',
  'sessionData.getAsync',
  'sessionData.setAsync',
  'loadCustomPropertiesAsync',
  'customProperties.saveAsync',
] as const;

/** The index of the hanging server among SERVER_STATES. */
const HANG = 2;
const SERVER_STATES: ((h: Harness) => void)[] = [
  () => undefined,
  (h) => (h.script.state = 'down'),
  (h) => (h.script.state = 'hang'),
  (h) => (h.script.tlsDown = true),
  (h) => (h.script.envelopeError = { status: 500, code: 'INTERNAL', message: 'x' }),
  (h) => (h.script.loseNextEnvelopeAnswer = true),
];

const MESSAGES = {
  'sensitive, external without TLS': {
    to: ['desk@clinic.example'],
    html: SENSITIVE_HTML,
    protectedMail: true,
  },
  'sensitive, internal only': { to: ['colleague@plan.example'], html: SENSITIVE_HTML, protectedMail: false },
  'clean, external': { to: ['desk@clinic.example'], html: CLEAN_HTML, protectedMail: false },
} as const;

afterEach(() => {
  delete (globalThis as { Office?: unknown }).Office;
});

describe('every path completes once, in time, and never leaks protected mail', () => {
  for (const [name, message] of Object.entries(MESSAGES)) {
    it(`${name}: every Office failure × every server state`, async () => {
      const finished: [string, Harness][] = [];
      /** Paths on which protected mail was allowed, sealed: the walk must reach some. */
      const sealed: string[] = [];
      for (const fault of [null, ...OFFICE_CALLS]) {
        for (const [s, setState] of SERVER_STATES.entries()) {
          // Time enough to make the envelope and seal the draft, except where the server
          // hangs: there the budget is short so that the walk stays quick.
          const hang = s === HANG;
          const watchdogMs = hang ? 250 : 1500;
          const h = createHarness({ deps: { budgetMs: hang ? 150 : 1300, watchdogMs } });
          compose(h, { to: [...message.to], html: message.html });
          h.mailbox.addAttachment({
            name: 'note.txt',
            size: 9,
            isInline: false,
            kind: 'file',
            base64: b64('plain note'),
          });
          setState(h);
          if (fault !== null) h.mailbox.faults[fault] = 'failed for the test';
          const label = `${fault ?? 'no fault'} / server state ${s}`;
          const started = Date.now();
          const result = await h.send();
          expect(Date.now() - started, label).toBeLessThan(watchdogMs + 150);
          finished.push([label, h]);
          if (message.protectedMail && result.allowEvent === true) {
            // Allowed only sealed: the content goes to the sender alone, or it is gone.
            const m = h.mailbox.message;
            const selfOnly = [...m.to, ...m.cc, ...m.bcc].every((a) => a === 'rep@plan.example');
            if (!selfOnly) {
              expect(m.bodyHtml, label).not.toContain('536-22-1874');
              expect(m.attachments, label).toEqual([]);
            }
            expect(m.headers['X-Secure-Envelope-Id'], label).toBeDefined();
            sealed.push(label);
          }
          if (result.allowEvent !== true) expect(result.errorMessage, label).toMatch(/\S/);
        }
      }
      // The walk reaches the secure path: a check that only ever saw blocks would prove nothing.
      if (message.protectedMail) expect(sealed.length).toBeGreaterThan(10);
      // Past every watchdog: a second completion would have thrown inside fireSend or added an outcome.
      await new Promise((r) => setTimeout(r, 300));
      for (const [label, h] of finished) expect(h.outcomes, label).toHaveLength(1);
    }, 60_000);
  }

  it('ordinary mail goes out under every server state when Outlook itself works', async () => {
    for (const message of [MESSAGES['sensitive, internal only'], MESSAGES['clean, external']]) {
      for (const setState of SERVER_STATES) {
        const h = createHarness({ deps: { budgetMs: 150, watchdogMs: 250 } });
        compose(h, { to: [...message.to], html: message.html });
        setState(h);
        expect(await h.send()).toEqual({ allowEvent: true });
        expect(h.mailbox.message.bodyHtml).toBe(message.html);
      }
    }
  });
});
