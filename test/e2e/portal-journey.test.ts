/**
 * The recipient's whole journey in Chromium against the real server: the notice
 * from the mail catcher, its link, registration, reading, a download, a secure
 * reply that reaches the representative, sign-out, sign-in again, the inbox,
 * a later click on the same link, and a new message. axe-core checks each page.
 */
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../server/helpers/process';
import { launchBrowser } from './helpers/browser';
import {
  caughtMail,
  describeViolations,
  focusedHeading,
  linkIn,
  portalContext,
  screenshot,
  senderToken,
  sendEnvelope,
  seriousA11yViolations,
  startServer,
  waitForMail,
} from './helpers/portal-e2e';

const REP = 'rep@plan.example';
const RECIPIENT = 'billing@clinic.example';
const PASSWORD = 'maple river lantern 42';
const ATTACHMENT = 'Claim 4471: approved amount 1,250.00\n';

async function expectAccessible(page: Page, what: string): Promise<void> {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${what}:\n${describeViolations(violations)}`).toEqual([]);
}

async function heading(page: Page): Promise<string> {
  return (await page.locator('h1').textContent()) ?? '';
}

describe('recipient portal: the whole journey', () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let link: string;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const token = await senderToken(server.base, REP, 'Dana Reyes');
    await sendEnvelope(server.base, token, {
      from: REP,
      to: [RECIPIENT],
      subject: 'Claim 4471',
      html:
        '<p>Hello,</p><p>The claim for member <b>MBR-88231</b> was approved. ' +
        'Details: <a href="https://plan.example/claims/4471">claim page</a>.</p>',
      attachments: [
        {
          name: 'claim-4471.txt',
          contentType: 'text/plain',
          contentBase64: Buffer.from(ATTACHMENT).toString('base64'),
        },
      ],
    });
    const notice = await waitForMail(server.base, (m) => m.to.includes(RECIPIENT), `to ${RECIPIENT}`);
    link = linkIn(notice, '/r/', server.base);
    context = await portalContext(browser);
    page = await context.newPage();
    page.on('dialog', (d) => {
      throw new Error(`unexpected dialog: ${d.message()}`);
    });
  }, 40_000);

  afterAll(async () => {
    await browser.close();
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('the first click on the link asks for a password, with the address fixed', async () => {
    await page.goto(link);
    await page.waitForURL(/\/portal\/#\/link$/);
    // The token is gone from the address bar.
    expect(page.url()).not.toContain('/r/');
    await expect.poll(() => heading(page)).toBe('Create your password');
    expect(await focusedHeading(page)).toBe('Create your password');
    const address = page.getByLabel(/^E-mail address/);
    expect(await address.inputValue()).toBe(RECIPIENT);
    expect(await address.getAttribute('readonly')).not.toBeNull();
    await expect
      .poll(() => page.getByText('At least 8 characters; 15 or more is recommended').count())
      .toBe(1);
    await expectAccessible(page, 'registration');
    await screenshot(page, 'register');

    // Too short, and a confirmation that differs: said next to the fields, nothing sent.
    await page.getByLabel(/^New password/).fill('short');
    await page.getByRole('button', { name: 'Create password and read' }).click();
    await expect.poll(() => page.getByText('Use at least 8 characters.').count()).toBe(1);
    await page.getByLabel(/^New password/).fill(PASSWORD);
    await page.getByLabel(/^Confirm new password/).fill(`${PASSWORD}!`);
    await page.getByRole('button', { name: 'Create password and read' }).click();
    await expect.poll(() => page.getByText('The two passwords differ.').count()).toBe(1);

    // The show-password toggle reveals what was typed.
    const field = page.getByLabel(/^New password/);
    expect(await field.getAttribute('type')).toBe('password');
    await page.getByRole('button', { name: 'Show new password' }).click();
    expect(await field.getAttribute('type')).toBe('text');

    await page.getByLabel(/^Confirm new password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create password and read' }).click();
    await page.waitForURL(/#\/thread\//);
  });

  it('opens the message: body, sender, expiry and attachment, with focus on the heading', async () => {
    await expect.poll(() => heading(page)).toBe('Claim 4471');
    expect(await focusedHeading(page)).toBe('Claim 4471');
    const frame = page.frameLocator('iframe[title^="Message from"]');
    await expect.poll(() => frame.locator('body').textContent()).toContain('was approved');
    expect(await frame.locator('b').textContent()).toBe('MBR-88231');
    // The link opens in a new tab, without opener or referrer, and says where it goes.
    const a = frame.locator('a');
    expect(await a.getAttribute('rel')).toBe('noopener noreferrer');
    expect(await a.getAttribute('target')).toBe('_blank');
    expect(await frame.locator('.se-link-target').textContent()).toContain(
      'https://plan.example/claims/4471',
    );
    expect(await page.locator('iframe').first().getAttribute('sandbox')).not.toContain('allow-scripts');
    await expect.poll(() => page.getByText(/Expires in \d+ days/).count()).toBeGreaterThan(0);
    await expectAccessible(page, 'thread');
    await screenshot(page, 'thread');
  });

  it('downloads the attachment, decrypted', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: /Download claim-4471\.txt/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('claim-4471.txt');
    const path = await download.path();
    expect(await readFile(path, 'utf8')).toBe(ATTACHMENT);
  });

  it('sends a secure reply with an attachment, and the representative gets it', async () => {
    const before = (await caughtMail(server.base)).length;
    await page.getByRole('button', { name: 'Send securely' }).click();
    await expect.poll(() => page.getByText('Write your reply first.').count()).toBe(1);
    await page.getByLabel(/^Your reply to/).fill('Thank you. The signed form is attached.');
    await page.locator('input[type=file]').setInputFiles({
      name: 'signed-form.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('signed\n'),
    });
    await expect.poll(() => page.getByRole('button', { name: 'Remove signed-form.txt' }).count()).toBe(1);
    await page.getByRole('button', { name: 'Send securely' }).click();
    await expect.poll(() => page.getByText(/Your reply was sent securely to/).count()).toBe(1);
    await expect.poll(() => page.getByRole('heading', { name: /^You wrote/ }).count()).toBe(1);
    const copy = await waitForMail(
      server.base,
      (m) => m.to.includes(REP) && (m.text ?? '').includes('The signed form is attached.'),
      `reply to ${REP}`,
    );
    expect(copy.text).toContain('signed-form.txt');
    expect((await caughtMail(server.base)).length).toBeGreaterThan(before);
    await screenshot(page, 'replied');
  });

  it('signs out, and back in to the inbox', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/#\/sign-in\?reason=signed-out$/);
    await expect.poll(() => page.getByText('You have signed out.').count()).toBe(1);
    await expectAccessible(page, 'sign-in');
    await screenshot(page, 'signed-out');

    // A wrong password gets the API's refusal in plain words.
    await page.getByLabel(/^E-mail address/).fill(RECIPIENT);
    await page.getByLabel(/^Password/).fill('not the password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByText(/do not match/).count()).toBe(1);

    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/#\/inbox$/);
    await expect.poll(() => heading(page)).toBe('Inbox');
    const item = page.getByRole('link', { name: /Claim 4471/ });
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.textContent()).toMatch(/With Dana Reyes <rep@plan\.example>/);
    expect(await item.textContent()).toMatch(/2 messages/);
    expect(await item.textContent()).toMatch(/Expires in \d+ days/);
    await expectAccessible(page, 'inbox');
    await screenshot(page, 'inbox');
  });

  it('a later click on the same link asks to sign in, then opens the message', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/#\/sign-in/);
    await page.goto(link);
    await expect.poll(() => heading(page)).toBe('Sign in to read your message');
    expect(await page.getByLabel(/^E-mail address/).inputValue()).toBe(RECIPIENT);
    await page.getByLabel(/^Password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/#\/thread\//);
    await expect.poll(() => heading(page)).toBe('Claim 4471');
  });

  it('writes a new secure message to the representative', async () => {
    await page.getByRole('navigation').getByRole('link', { name: 'New message' }).click();
    await expect.poll(() => heading(page)).toBe('New secure message');
    const to = page.getByLabel(/^To/);
    await expect.poll(() => to.inputValue()).toBe(REP);
    await expectAccessible(page, 'new message');
    await page.getByLabel(/^Subject/).fill('Question about claim 4472');
    await page.getByLabel(/^Message/).fill('Could you confirm the member ID on claim 4472?');
    await page.getByRole('button', { name: 'Send securely' }).click();
    await page.waitForURL(/#\/thread\//);
    await expect.poll(() => heading(page)).toBe('Question about claim 4472');
    await waitForMail(
      server.base,
      (m) => m.to.includes(REP) && (m.text ?? '').includes('confirm the member ID on claim 4472'),
      `new message to ${REP}`,
    );
    await page.getByRole('link', { name: 'Back to inbox' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('list', { name: /Conversations/ })
          .getByRole('link')
          .count(),
      )
      .toBe(2);
    // Newest first.
    expect(
      await page
        .getByRole('list', { name: /Conversations/ })
        .getByRole('link')
        .first()
        .textContent(),
    ).toContain('Question about claim 4472');
  });
});
