/**
 * How a session ends, in Chromium: the minute's warning before automatic
 * sign-out after 15 idle minutes (the page's clock is driven by the test),
 * "Stay signed in", the sign-out itself with a plain explanation; and a
 * message the representative withdrew, said plainly with whom to contact.
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
const PASSWORD = 'a quiet afternoon at the desk';

async function heading(page: Page): Promise<string> {
  return (await page.locator('h1').textContent()) ?? '';
}

describe('recipient portal: sessions end plainly', () => {
  let server: ServerProcess;
  let browser: Browser;
  let token: string;

  /** Sends a message to `to` and registers through its link; returns the page and the envelope id. */
  async function registered(to: string, page: Page): Promise<{ envelopeId: string; link: string }> {
    const sent = await sendEnvelope(server.base, token, {
      from: REP,
      to: [to],
      subject: `For ${to}`,
      text: 'Lab results attached.',
    });
    const notice = await waitForMail(server.base, (m) => m.to.includes(to), `notice to ${to}`);
    const link = linkIn(notice, '/r/', server.base);
    await page.goto(link);
    await page.getByLabel(/^New password/).fill(PASSWORD);
    await page.getByLabel(/^Confirm new password/).fill(PASSWORD);
    await page.getByRole('button', { name: 'Create password and read' }).click();
    await page.waitForURL(/#\/thread\//);
    return { envelopeId: sent.id, link };
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    token = await senderToken(server.base, REP, 'Dana Reyes');
  }, 40_000);

  afterAll(async () => {
    await browser.close();
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('warns a minute before 15 idle minutes, stays on request, then signs out and says why', async () => {
    const page = await (await portalContext(browser)).newPage();
    await page.clock.install();
    await registered('idle@clinic.example', page);
    await expect.poll(() => heading(page)).toBe('For idle@clinic.example');

    await page.clock.fastForward('13:50');
    expect(await page.getByRole('alertdialog').count()).toBe(0);
    await page.clock.fastForward('00:15');
    const dialog = page.getByRole('alertdialog');
    await expect.poll(() => dialog.count()).toBe(1);
    expect(await dialog.textContent()).toMatch(/signed out in \d+ seconds/);
    // The dialog fades in: contrast is judged once it has (a real defect stays and fails).
    let violations = await seriousA11yViolations(page);
    for (let i = 0; i < 20 && violations.length > 0; i++) {
      await page.waitForTimeout(100);
      violations = await seriousA11yViolations(page);
    }
    expect(violations, describeViolations(violations)).toEqual([]);
    await screenshot(page, 'idle-warning');

    // "Stay signed in" tells the server (a signed-in read restarts its idle timer) and closes the warning.
    const keptAlive = page.waitForResponse(
      (r) => r.url().includes('/portal/api/') && r.request().method() === 'GET' && r.ok(),
    );
    await dialog.getByRole('button', { name: 'Stay signed in' }).click();
    await keptAlive;
    await expect.poll(() => dialog.count()).toBe(0);
    await page.clock.fastForward('10:00');
    expect(await dialog.count()).toBe(0);

    // Nobody answers this time.
    await page.clock.fastForward('04:10');
    await expect.poll(() => dialog.count()).toBe(1);
    const signedOut = page.waitForResponse((r) => r.url().endsWith('/portal/api/sign-out'));
    await page.clock.fastForward('01:00');
    expect((await signedOut).status()).toBe(204);
    await page.waitForURL(/#\/sign-in\?reason=idle$/);
    await expect.poll(() => page.getByText(/signed out after 15 minutes without activity/).count()).toBe(1);
    await screenshot(page, 'idle-signed-out');

    // The server agrees: the inbox needs signing in again.
    const threads = await page.evaluate(async () => (await fetch('/portal/api/threads')).status);
    expect(threads).toBe(401);
    await page.goto(`${server.base}/portal/#/inbox`);
    await expect.poll(() => heading(page)).toBe('Sign in');
    await page.context().close();
  });

  it('a withdrawn message says so, with the representative to contact, from the link and in the portal', async () => {
    const page = await (await portalContext(browser)).newPage();
    const { envelopeId, link } = await registered('withdrawn@clinic.example', page);
    const threadUrl = page.url();
    const revoked = await fetch(`${server.base}/v1/envelopes/${envelopeId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(revoked.status).toBe(200);

    await page.goto(`${server.base}/portal/#/inbox`);
    await page.goto(threadUrl);
    await expect.poll(() => page.getByText('This message was withdrawn').count()).toBe(1);
    expect(await page.getByText(/something went wrong/i).count()).toBe(0);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/#\/sign-in/);
    await page.goto(link);
    await expect.poll(() => heading(page)).toBe('This message was withdrawn');
    expect(await page.getByRole('link', { name: REP }).getAttribute('href')).toBe(`mailto:${REP}`);
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await screenshot(page, 'withdrawn');
    await page.context().close();
  });
});
