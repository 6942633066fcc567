/**
 * Signing in by e-mailed link, end to end in Chromium: password sign-in
 * waits after too many wrong guesses and says how else to get in; the
 * "Email me a sign-in link" page; the link from the catcher; one click signs
 * in; the same link a second time says plainly that it no longer works.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../server/helpers/process';
import { launchBrowser } from './helpers/browser';
import {
  describeViolations,
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
const RECIPIENT = 'billing@hospital.example';
const PASSWORD = 'billing office passphrase';

async function heading(page: Page): Promise<string> {
  return (await page.locator('h1').textContent()) ?? '';
}

async function expectAccessible(page: Page, what: string): Promise<void> {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${what}:\n${describeViolations(violations)}`).toEqual([]);
}

async function signIn(page: Page, password: string): Promise<void> {
  await page.getByLabel(/^E-mail address/).fill(RECIPIENT);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

describe('recipient portal: sign in with an e-mailed link', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    await sendEnvelope(server.base, await senderToken(server.base, REP), {
      from: REP,
      to: [RECIPIENT],
      subject: 'Remittance advice',
      text: 'Please see the remittance.',
    });
    const notice = await waitForMail(server.base, (m) => m.to.includes(RECIPIENT), `notice to ${RECIPIENT}`);
    page = await (await portalContext(browser)).newPage();
    await page.goto(linkIn(notice, '/r/', server.base));
    await page.getByLabel(/^New password/).fill(PASSWORD);
    await page.getByLabel(/^Confirm new password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create password and read' }).click();
    await page.waitForURL(/#\/thread\//);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/#\/sign-in/);
  }, 40_000);

  afterAll(async () => {
    await browser.close();
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('after too many wrong passwords, sign-in waits and points to the e-mailed link', async () => {
    for (let i = 0; i < 5; i++) {
      await signIn(page, `wrong guess number ${i}`);
      await expect.poll(() => page.getByText(/do not match/).count()).toBe(1);
    }
    await signIn(page, PASSWORD);
    await expect.poll(() => page.getByText(/Email me a sign-in link"\)/).count()).toBe(1);
    await screenshot(page, 'sign-in-waits');
  });

  it('asks for the address on its own page and mails a link that signs in with one click', async () => {
    await page.getByRole('link', { name: 'Email me a sign-in link' }).click();
    await expect.poll(() => heading(page)).toBe('Email me a sign-in link');
    await expectAccessible(page, 'email me a sign-in link');
    await page.getByLabel(/^E-mail address/).fill(RECIPIENT);
    await page.getByRole('button', { name: 'Send sign-in link' }).click();
    await expect.poll(() => page.getByText(/has an account here, we have sent it a link/).count()).toBe(1);

    const mail = await waitForMail(
      server.base,
      (m) => m.to.includes(RECIPIENT) && (m.text ?? '').includes('/portal/sign-in-link?token='),
      'with a sign-in link',
    );
    await page.goto(linkIn(mail, '/portal/sign-in-link', server.base));
    await page.waitForURL(/#\/email-link-sign-in$/);
    await expect.poll(() => heading(page)).toBe('Sign in with your e-mailed link');
    await expectAccessible(page, 'sign in with your e-mailed link');
    await screenshot(page, 'email-link-sign-in');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL(/#\/inbox$/);
    await expect.poll(() => page.getByRole('link', { name: /Remittance advice/ }).count()).toBe(1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/#\/sign-in/);

    // The same link again: used, and the page says so.
    await page.goto(linkIn(mail, '/portal/sign-in-link', server.base));
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect.poll(() => page.getByText('This sign-in link no longer works').count()).toBe(1);
    await expect.poll(() => page.getByRole('link', { name: 'Email me a new sign-in link' }).count()).toBe(1);
  });
});
