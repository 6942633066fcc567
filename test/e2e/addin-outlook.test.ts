/**
 * The add-in end to end in Chromium: the Outlook harness (/dev/outlook) runs
 * the real task pane and the real on-send bundle against the real server,
 * which judges real loopback mail domains (DNS + SMTP peers) and hands its
 * notices to the development mail catcher.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../server/helpers/process';
import { signal } from '../server/helpers/process';
import { launchBrowser } from './helpers/browser';
import {
  caughtMail,
  compose,
  newMessage,
  openHarness,
  pressSend,
  screenshot,
  SENDER,
  startAddinServer,
  seriousViolations,
  startTlsPeers,
  taskpaneFrame,
  waitForMail,
  type TlsPeers,
} from './helpers/addin-e2e';

const SENSITIVE = '<p>Hello,</p><p>Member Jane Roe, SSN: 536-22-1874, needs a call back.</p><p>Thanks</p>';
const CLEAN = '<p>Hello,</p><p>Our office is closed on Friday.</p>';

let peers: TlsPeers;
let server: ServerProcess;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  peers = await startTlsPeers();
  server = await startAddinServer(peers);
  browser = await launchBrowser();
  ({ page } = await openHarness(browser, server));
}, 60_000);

afterAll(async () => {
  await browser.close();
  signal(server, 'SIGTERM');
  await server.exited;
  await peers.close();
});

describe.sequential('Outlook harness → on-send handler → server', () => {
  it('(1) secures a sensitive message to a domain without TLS: one notice per recipient, the copy kept for the sender, secure link works', async () => {
    const to = `desk@${peers.domains.none}`;
    await compose(page, { to: [to], subject: 'Claim for Jane Roe', html: SENSITIVE });
    // The task pane sees it while composing: the finding masked, the recipient's verdict, the decision.
    const pane = page.frameLocator('#taskpane');
    await expect.poll(() => pane.getByText('•••-••-1874').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => pane.getByText('No TLS').count(), { timeout: 15_000 }).toBe(1);
    await expect
      .poll(() => pane.getByText(/it will go as Secure Email/).count(), { timeout: 15_000 })
      .toBe(1);
    await screenshot(page, 'taskpane-sensitive');

    const record = await pressSend(page);
    expect(record.completion.allowEvent).toBe(true);
    const sent = record.sent!;
    const id = sent.headers['X-Secure-Envelope-Id'];
    expect(id).toMatch(/\S{8,}/);
    // Outlook's copy reaches no recipient: it goes to the sender alone, as written, and says where it went.
    // The recipient's one e-mail is the server's notice below.
    expect([sent.to, sent.cc, sent.bcc]).toEqual([[SENDER], [], []]);
    expect(sent.bodyHtml).toContain('536-22-1874');
    expect(sent.bodyHtml).toContain(`Sent as Secure Email</strong> to ${to}.`);
    expect(sent.subject).toBe('Claim for Jane Roe');
    await expect
      .poll(() => page.locator('#sent dd[data-header="x-secure-envelope-id"]').textContent())
      .toBe(id);
    await screenshot(page, 'harness-secured');
    // The pane knows the message has gone: it says so rather than scanning the sealed copy.
    await expect.poll(() => pane.getByText('Sent as Secure Email').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => pane.getByText(/Sent Items keeps what you wrote/).count()).toBe(1);
    expect(await pane.getByText(/secure marker/i).count()).toBe(0);
    expect(await pane.getByRole('switch', { name: 'Send securely' }).count()).toBe(0);

    const notice = await waitForMail(server, to);
    // One e-mail for the recipient: the server's notice, and nothing else addressed to them.
    await new Promise((r) => setTimeout(r, 1000));
    expect((await caughtMail(server)).filter((m) => m.to.includes(to))).toHaveLength(1);
    const body = `${notice.text ?? ''}\n${notice.html ?? ''}`;
    expect(body).not.toContain('536-22-1874');
    const link = /https?:\/\/[^\s"<>]+\/r\/[\w-]+/.exec(body)?.[0];
    expect(link, 'the notice carries a secure link').toBeDefined();
    const answer = await fetch(new URL(new URL(link!).pathname, server.base), { redirect: 'manual' });
    expect([200, 302, 303, 307]).toContain(answer.status);
  });

  it('(2) sends the same message unchanged to a domain with verified TLS', async () => {
    await newMessage(page);
    const to = `desk@${peers.domains.verified}`;
    await compose(page, { to: [to], subject: 'Claim for Jane Roe', html: SENSITIVE });
    const pane = page.frameLocator('#taskpane');
    await expect
      .poll(() => pane.getByText('Verified TLS', { exact: true }).count(), { timeout: 15_000 })
      .toBe(1);
    const record = await pressSend(page);
    expect(record.completion.allowEvent).toBe(true);
    expect(record.sent?.bodyHtml).toBe(SENSITIVE);
    expect(record.sent?.subject).toBe('Claim for Jane Roe');
    expect(record.sent?.headers).toEqual({});
  });

  it('(3) sends a clean message unchanged, even to a domain without TLS', async () => {
    await newMessage(page);
    await compose(page, { to: [`front@${peers.domains.none}`], subject: 'Friday', html: CLEAN });
    const record = await pressSend(page);
    expect(record.completion.allowEvent).toBe(true);
    expect(record.sent?.bodyHtml).toBe(CLEAN);
    expect(record.sent?.headers).toEqual({});
  });

  it('(5) "Send securely" in the task pane sends a clean message as an envelope', async () => {
    await newMessage(page);
    const to = `billing@${peers.domains.verified}`;
    await compose(page, { to: [to], subject: 'Friday', html: CLEAN });
    const pane = page.frameLocator('#taskpane');
    await pane.getByRole('switch', { name: 'Send securely' }).check();
    await expect.poll(() => pane.getByText(/You chose Send securely/).count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, 'taskpane-send-securely');
    const record = await pressSend(page);
    expect(record.completion.allowEvent).toBe(true);
    expect(record.sent?.headers['X-Secure-Envelope-Id']).toBeDefined();
    expect(record.sent?.to).toEqual([SENDER]);
    await waitForMail(server, to);
  });

  it('(6) a send whose answer was lost learns it went and finishes: no alert, one notice', async () => {
    await newMessage(page);
    const to = `retry@${peers.domains.none}`;
    await compose(page, { to: [to], subject: 'Claim', html: SENSITIVE });
    await page.check('#lose-answer');
    const first = await pressSend(page);
    expect(first.completion.allowEvent).toBe(true);
    expect(first.sent?.headers['X-Secure-Envelope-Id']).toBeDefined();
    expect(await page.locator('#alert').isVisible()).toBe(false);
    await waitForMail(server, to);
    // Give the outbox time to deliver a second notice if a second envelope existed.
    await new Promise((r) => setTimeout(r, 1500));
    const notices = (await caughtMail(server)).filter((m) => m.to.includes(to));
    expect(notices).toHaveLength(1);
  });

  it('(6b) a send that never reached the server says nothing was sent, and the next try sends it once', async () => {
    await newMessage(page);
    const to = `dropped@${peers.domains.none}`;
    await compose(page, { to: [to], subject: 'Claim', html: SENSITIVE });
    await page.check('#drop-request');
    const first = await pressSend(page);
    expect(first.completion.allowEvent).toBe(false);
    await expect.poll(() => page.locator('#alert-text').textContent()).toMatch(/Nothing was sent/);
    // Confirmed by the server, not guessed: nothing reaches the recipient.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await caughtMail(server)).filter((m) => m.to.includes(to))).toHaveLength(0);
    const second = await pressSend(page);
    expect(second.completion.allowEvent).toBe(true);
    await waitForMail(server, to);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await caughtMail(server)).filter((m) => m.to.includes(to))).toHaveLength(1);
  });

  it('(6c) a send whose answer and connection were lost says it may have gone, and sending again sends it once', async () => {
    await newMessage(page);
    const to = `unknown@${peers.domains.none}`;
    await compose(page, { to: [to], subject: 'Claim', html: SENSITIVE });
    await page.check('#cut-after-send');
    const first = await pressSend(page);
    expect(first.completion.allowEvent).toBe(false);
    const alert = page.locator('#alert-text');
    await expect.poll(() => alert.textContent()).toMatch(/may already have gone/);
    expect(await alert.textContent()).not.toMatch(/Nothing was sent/);
    // It did go: the server made the envelope and its notice.
    await waitForMail(server, to);
    const second = await pressSend(page);
    expect(second.completion.allowEvent).toBe(true);
    await new Promise((r) => setTimeout(r, 1500));
    expect((await caughtMail(server)).filter((m) => m.to.includes(to))).toHaveLength(1);
  });

  it('(7) the pane follows what was sent: delivered, opened by one recipient; withdrawn from the other, then from all', async () => {
    await newMessage(page);
    const reader = `reader@${peers.domains.none}`;
    const other = `other@${peers.domains.none}`;
    await compose(page, { to: [reader, other], subject: 'Claim', html: SENSITIVE });
    const record = await pressSend(page);
    expect(record.completion.allowEvent).toBe(true);
    const id = record.sent!.headers['X-Secure-Envelope-Id']!;
    const notice = await waitForMail(server, reader);
    await waitForMail(server, other);
    const pane = page.frameLocator('#taskpane');
    const item = pane.locator(`li[data-envelope="${id}"]`);
    const statuses = () => item.getByTestId('recipient-status').allTextContents();
    const refreshUntil = async (want: string[]): Promise<void> => {
      await expect
        .poll(
          async () => {
            await pane.locator('#sent-refresh').click();
            return statuses();
          },
          { timeout: 15_000, interval: 300 },
        )
        .toEqual(want);
    };
    await refreshUntil(['Delivered', 'Delivered']);
    // The reader opens their link.
    const link = /https?:\/\/[^\s"<>]+\/r\/[\w-]+/.exec(`${notice.text ?? ''}\n${notice.html ?? ''}`)![0];
    await fetch(new URL(new URL(link).pathname, server.base), { redirect: 'manual' });
    await refreshUntil(['Opened', 'Delivered']);
    // Withdrawn from one recipient alone: the other keeps reading.
    await item.getByRole('button', { name: `Withdraw from ${other}` }).click();
    await refreshUntil(['Opened', 'Withdrawn']);
    // Kept readable longer: the date the pane shows moves by the days the button says.
    const until = async (): Promise<number> =>
      Date.parse((await item.locator('[data-expires]').getAttribute('data-expires')) ?? '');
    const before = await until();
    await item.getByRole('button', { name: 'Keep 30 days longer' }).click();
    await expect.poll(until, { timeout: 10_000 }).toBeGreaterThan(before + 29 * 86_400_000);
    await screenshot(page, 'taskpane-sent-items');
    await item.getByRole('button', { name: 'Withdraw', exact: true }).click();
    await expect.poll(() => item.textContent(), { timeout: 10_000 }).toMatch(/withdrawn/);
  });

  it('the task pane and the harness are accessible, keyboard-operable and fit the narrow pane', async () => {
    await newMessage(page);
    await compose(page, {
      to: [`desk@${peers.domains.none}`, 'colleague@plan.example'],
      subject: 'Claim',
      html: SENSITIVE,
    });
    const frame = await taskpaneFrame(page);
    await expect.poll(() => frame.getByText('Internal').count(), { timeout: 15_000 }).toBe(1);
    const paneViolations = await seriousViolations(frame);
    expect(paneViolations, JSON.stringify(paneViolations, null, 1)).toEqual([]);
    const pageViolations = await seriousViolations(page.mainFrame());
    expect(pageViolations, JSON.stringify(pageViolations, null, 1)).toEqual([]);
    // Narrow: nothing scrolls sideways at the pane's width.
    const overflow = await frame.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    // The switch says what will happen: this message goes securely by policy,
    // so it is on, cannot be turned off, and says why.
    const toggle = frame.getByRole('switch', { name: 'Send securely' });
    await expect.poll(() => toggle.isChecked(), { timeout: 10_000 }).toBe(true);
    expect(await toggle.isDisabled()).toBe(true);
    expect(
      await frame.getByText('Your organization requires Secure Email for these recipients.').count(),
    ).toBe(1);
    await screenshot(page, 'taskpane-mixed-recipients');
    // Keyboard, on a message the sender decides: the switch takes focus by Tab and toggles with Space.
    await newMessage(page);
    await compose(page, { to: [`desk@${peers.domains.none}`], subject: 'Friday', html: CLEAN });
    await expect.poll(() => frame.getByText(/Nothing sensitive found/).count(), { timeout: 15_000 }).toBe(1);
    expect(await toggle.isDisabled()).toBe(false);
    await frame.focus('button:has-text("Re-scan")');
    for (let i = 0; i < 10 && !(await toggle.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press('Tab');
    }
    expect(await toggle.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press('Space');
    await expect.poll(() => toggle.isChecked()).toBe(true);
    await expect
      .poll(() =>
        page.evaluate(
          () =>
            (
              window as unknown as {
                __secureEnvelopeHarness: {
                  mailbox: { message: { customProperties: Record<string, string> } };
                };
              }
            ).__secureEnvelopeHarness.mailbox.message.customProperties.secureEnvelopeSendSecurely,
        ),
      )
      .toBe('1');
    await page.keyboard.press('Space');
    await expect.poll(() => toggle.isChecked()).toBe(false);
  });

  it('(4) with the server stopped, blocks the sensitive message with a clear message and still sends a clean one', async () => {
    await newMessage(page);
    signal(server, 'SIGTERM');
    await server.exited;
    const to = `desk@${peers.domains.none}`;
    await compose(page, { to: [`other@gmail.com`, to], subject: 'Claim', html: SENSITIVE });
    const blocked = await pressSend(page);
    expect(blocked.completion.allowEvent).toBe(false);
    expect(blocked.elapsedMs).toBeLessThan(5000);
    const alert = page.locator('#alert-text');
    await expect.poll(() => alert.textContent()).toMatch(/SSN/);
    // The request failed without an answer: the add-in cannot know the server never took it, and says so.
    expect(await alert.textContent()).toMatch(/cannot tell whether it went/);
    expect(await alert.textContent()).not.toMatch(/Nothing was sent/);
    expect(await page.locator('#alert').isVisible()).toBe(true);
    expect(await page.locator('#alert-command').isVisible()).toBe(true);
    // The pane still works from its caches and the built-in policy, and agrees with the alert.
    const pane = page.frameLocator('#taskpane');
    await expect.poll(() => pane.getByText('•••-••-1874').count(), { timeout: 10_000 }).toBe(1);
    await screenshot(page, 'harness-blocked-server-down');

    // A client with only Mailbox 1.12 gets the plain message, without the task-pane button.
    await page.selectOption('#mailbox-version', '12');
    const plain = await pressSend(page);
    expect(Object.keys(plain.completion).sort()).toEqual(['allowEvent', 'errorMessage']);
    expect(await page.locator('#alert-command').isVisible()).toBe(false);
    await page.selectOption('#mailbox-version', '15');

    await newMessage(page);
    await compose(page, { to: [to], subject: 'Friday', html: CLEAN });
    const clean = await pressSend(page);
    expect(clean.completion.allowEvent).toBe(true);
    expect(clean.sent?.bodyHtml).toBe(CLEAN);
  });
});
