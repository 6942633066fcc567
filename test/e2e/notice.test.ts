/**
 * The notice a recipient gets, as a phone shows it: the organisation's logo,
 * a real button, the username line, nothing wider than the screen; and the
 * attached page that opens the message when a mail filter breaks the link.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../server/helpers/process';
import { launchBrowser } from './helpers/browser';
import {
  portalContext,
  requirePortalBundle,
  screenshot,
  senderToken,
  sendEnvelope,
  waitForMail,
  type CaughtMail,
} from './helpers/portal-e2e';

const REP = 'rep@plan.example';
const RECIPIENT = 'billing@smallclinic.example';
const LOGO = 'https://brand.plan.example/logo.png';

describe('the notice on a phone', () => {
  let server: ServerProcess;
  let browser: Browser;
  let notice: CaughtMail;

  beforeAll(async () => {
    requirePortalBundle();
    const dir = mkdtempSync(join(tmpdir(), 'se-notice-e2e-'));
    const config = join(dir, 'config.json');
    writeFileSync(
      config,
      JSON.stringify({
        limits: { requestsPerMinute: 1_000_000 },
        org: {
          name: 'Sunrise Health Plan',
          supportContact: 'Provider Services, 1-800-555-0100',
          logoUrl: LOGO,
        },
      }),
    );
    [server, browser] = await Promise.all([
      spawnServer({ DATA_DIR: join(dir, 'data'), SECURE_ENVELOPE_CONFIG: config }),
      launchBrowser(),
    ]);
    const token = await senderToken(server.base, REP);
    await sendEnvelope(server.base, token, {
      from: REP,
      to: [RECIPIENT],
      subject: 'Remittance',
      html: '<p>x</p>',
    });
    notice = await waitForMail(server.base, (m) => m.to.includes(RECIPIENT), `notice to ${RECIPIENT}`);
  }, 40_000);

  afterAll(async () => {
    await browser.close();
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('shows the logo, a real button to the link and the username, and fits a phone', async () => {
    const context = await portalContext(browser, { phone: true });
    // The logo is on the organisation's own site; here it is served from the project's assets.
    const logoRequests: string[] = [];
    await context.route(LOGO, async (route) => {
      logoRequests.push(route.request().url());
      await route.fulfill({
        contentType: 'image/png',
        body: readFileSync(resolve(import.meta.dirname, '../../assets/logo.png')),
      });
    });
    const page = await context.newPage();
    await page.setContent(notice.html!, { waitUntil: 'load' });
    expect(logoRequests).toEqual([LOGO]);
    expect(await page.getByRole('img', { name: 'Sunrise Health Plan' }).isVisible()).toBe(true);
    const button = page.getByRole('link', { name: 'Open secure message' });
    expect(await button.isVisible()).toBe(true);
    const href = await button.getAttribute('href');
    expect(href).toMatch(/\/r\/[\w-]+$/);
    const box = (await button.boundingBox())!;
    // A button a thumb can hit.
    expect(box.height).toBeGreaterThanOrEqual(40);
    expect(await page.getByText(`Your username is this e-mail address: ${RECIPIENT}`).count()).toBe(1);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'phone-notice');
    await context.close();
  });

  it("attaches a page whose button opens the portal's sign-in for that message", async () => {
    const parsed = await simpleParser(notice.raw);
    const page = parsed.attachments.find((a) => a.filename === 'SecureMessage.html');
    expect(page?.contentType).toBe('text/html');
    const file = join(mkdtempSync(join(tmpdir(), 'se-notice-page-')), 'SecureMessage.html');
    writeFileSync(file, page!.content);
    const context = await portalContext(browser, { phone: true });
    const tab = await context.newPage();
    await tab.goto(`file://${file}`);
    const link = tab.getByRole('link', { name: 'Open secure message' });
    // The page's link is the notice's link, pointed at this test server's address.
    const href = (await link.getAttribute('href'))!;
    expect(href).toBe(/https?:\/\/\S+\/r\/[\w-]+/.exec(notice.text!)?.[0]);
    await tab.goto(new URL(new URL(href).pathname, server.base).href);
    // A first-time recipient lands on registration for this message.
    await expect.poll(() => tab.getByLabel(/^New password/).count(), { timeout: 15_000 }).toBe(1);
    await context.close();
  });
});
