/**
 * Forgot password, end to end in Chromium: the request (same answer for an
 * address without an account), the reset mail from the catcher, the reset page
 * it leads to, the server's refusal of a common password, the new password
 * working and the old one not, and a used reset link saying so plainly.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerProcess } from '../server/helpers/process';
import { launchBrowser } from './helpers/browser';
import {
  caughtMail,
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
const RECIPIENT = 'records@hospital.example';
const FIRST = 'first password for records';
const SECOND = 'second password, longer still';

async function heading(page: Page): Promise<string> {
  return (await page.locator('h1').textContent()) ?? '';
}

async function expectAccessible(page: Page, what: string): Promise<void> {
  const violations = await seriousA11yViolations(page);
  expect(violations, `${what}:\n${describeViolations(violations)}`).toEqual([]);
}

async function signIn(page: Page, base: string, password: string): Promise<void> {
  await page.goto(`${base}/portal/#/sign-in`);
  await page.getByLabel(/^E-mail address/).fill(RECIPIENT);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

describe('recipient portal: forgot password', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const token = await senderToken(server.base, REP);
    await sendEnvelope(server.base, token, {
      from: REP,
      to: [RECIPIENT],
      subject: 'Records request',
      text: 'Please send the chart.',
    });
    const notice = await waitForMail(server.base, (m) => m.to.includes(RECIPIENT), `notice to ${RECIPIENT}`);
    page = await (await portalContext(browser)).newPage();
    // Register through the link, then sign out: an account that has forgotten its password.
    await page.goto(linkIn(notice, '/r/', server.base));
    await page.getByLabel(/^New password/).fill(FIRST);
    await page.getByLabel(/^Confirm new password/).fill(FIRST);
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

  it('asks for the address and answers the same whether or not it has an account', async () => {
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await expect.poll(() => heading(page)).toBe('Forgot your password?');
    await expectAccessible(page, 'forgot password');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expect.poll(() => page.getByText('Enter your e-mail address.').count()).toBe(1);

    const confirmation = async (address: string): Promise<string> => {
      await page.getByLabel(/^E-mail address/).fill(address);
      await page.getByRole('button', { name: 'Send reset link' }).click();
      const notice = page.getByText(/has an account here, we have sent it a link/);
      await expect.poll(() => notice.count()).toBe(1);
      const text = (await notice.textContent()) ?? '';
      await page.getByRole('link', { name: 'try again' }).click();
      return text.replace(address, '<address>');
    };
    const unknown = await confirmation('nobody@hospital.example');
    const known = await confirmation(RECIPIENT);
    expect(known).toBe(unknown);
    await screenshot(page, 'forgot');
  });

  it('follows the reset mail to the reset page; a common password is refused with the server message', async () => {
    const mail = await waitForMail(
      server.base,
      (m) => m.to.includes(RECIPIENT) && (m.text ?? '').includes('/portal/reset/'),
      'with a reset link',
    );
    expect((await caughtMail(server.base)).some((m) => m.to.includes('nobody@hospital.example'))).toBe(false);
    await page.goto(linkIn(mail, '/portal/reset/', server.base));
    await page.waitForURL(/#\/reset$/);
    await expect.poll(() => heading(page)).toBe('Choose a new password');
    await expectAccessible(page, 'reset');

    await page.getByLabel(/^New password/).fill('password1');
    await page.getByLabel(/^Confirm new password/).fill('password1');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await expect.poll(() => page.getByText(/^This password cannot be used/).count()).toBe(1);
    await screenshot(page, 'reset-rejected');

    await page.getByLabel(/^New password/).fill(SECOND);
    await page.getByLabel(/^Confirm new password/).fill(SECOND);
    await page.getByRole('button', { name: 'Save new password' }).click();
    await page.waitForURL(/#\/sign-in\?reason=password-reset$/);
    await expect
      .poll(() => page.getByText('Your password has been changed.', { exact: false }).count())
      .toBe(1);
  });

  it('the new password works and the old one does not', async () => {
    await signIn(page, server.base, FIRST);
    await expect.poll(() => page.getByText(/do not match/).count()).toBe(1);
    await signIn(page, server.base, SECOND);
    await page.waitForURL(/#\/inbox$/);
    await expect.poll(() => page.getByRole('link', { name: /Records request/ }).count()).toBe(1);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/#\/sign-in/);
  });

  it('a reset link that was used says so, and offers a new one', async () => {
    const mail = await waitForMail(
      server.base,
      (m) => m.to.includes(RECIPIENT) && (m.text ?? '').includes('/portal/reset/'),
      'with a reset link',
    );
    await page.goto(linkIn(mail, '/portal/reset/', server.base));
    await page.getByLabel(/^New password/).fill('a third password here');
    await page.getByLabel(/^Confirm new password/).fill('a third password here');
    await page.getByRole('button', { name: 'Save new password' }).click();
    await expect.poll(() => page.getByText('This reset link no longer works').count()).toBe(1);
    await expect.poll(() => page.getByRole('link', { name: 'Request a new reset link' }).count()).toBe(1);
    await screenshot(page, 'reset-used');
  });
});
