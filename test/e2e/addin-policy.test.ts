/**
 * The admin's other actions for sensitive mail to an unprotected domain,
 * end to end through the harness: "prompt" lets the sender choose Send
 * anyway (the message then leaves as written), "block" does not.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signal, type ServerProcess } from '../server/helpers/process';
import { launchBrowser } from './helpers/browser';
import {
  compose,
  openHarness,
  pressSend,
  screenshot,
  startAddinServer,
  startTlsPeers,
  type TlsPeers,
} from './helpers/addin-e2e';

const SENSITIVE = '<p>Member Jane Roe, SSN: 536-22-1874.</p>';

let peers: TlsPeers;
let browser: Browser;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  peers = await startTlsPeers();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser.close();
  for (const s of servers) {
    signal(s, 'SIGTERM');
    await s.exited;
  }
  await peers.close();
});

describe.sequential('policy actions through the harness', () => {
  it('prompt: the alert offers Send anyway; choosing it sends the message as written', async () => {
    const server = await startAddinServer(peers, { policy: { action: 'prompt' } });
    servers.push(server);
    const { page } = await openHarness(browser, server);
    await compose(page, { to: [`desk@${peers.domains.none}`], subject: 'Claim', html: SENSITIVE });
    await page.click('#send');
    await page.waitForSelector('#alert-send-anyway', { state: 'visible' });
    expect(await page.locator('#alert-text').textContent()).toMatch(
      /Send it only if the recipient expects it/,
    );
    await screenshot(page, 'harness-prompt');
    await page.click('#alert-send-anyway');
    await page.waitForSelector('#sent', { state: 'visible' });
    const record = await page.evaluate(
      () =>
        (window as unknown as { __secureEnvelopeHarness: { lastSend: unknown } }).__secureEnvelopeHarness
          .lastSend,
    );
    expect(record).toMatchObject({
      completion: { allowEvent: false, sendModeOverride: 'promptUser' },
      sent: { bodyHtml: SENSITIVE, headers: {} },
    });
  });

  it("with no organisation domains configured, mail to a colleague on the sender's own domain leaves as written", async () => {
    const server = await startAddinServer(peers, { policy: { orgDomains: [] } });
    servers.push(server);
    expect(server.output()).toContain("internal       each sender's own domain");
    const { page } = await openHarness(browser, server);
    await compose(page, { to: ['colleague@plan.example'], subject: 'Claim', html: SENSITIVE });
    const record = await pressSend(page);
    expect(record.completion.allowEvent).toBe(true);
    expect(record.sent).toMatchObject({ bodyHtml: SENSITIVE });
  });

  it('block: the alert says the organization does not allow it, and offers no way to send it as is', async () => {
    const server = await startAddinServer(peers, { policy: { action: 'block' } });
    servers.push(server);
    const { page } = await openHarness(browser, server);
    await compose(page, { to: [`desk@${peers.domains.none}`], subject: 'Claim', html: SENSITIVE });
    const record = await pressSend(page);
    expect(record.completion.allowEvent).toBe(false);
    expect(record.sent).toBeNull();
    expect(await page.locator('#alert-text').textContent()).toMatch(/does not allow sending it as is/);
    expect(await page.locator('#alert-send-anyway').isVisible()).toBe(false);
  });

  it('a domain that takes no mail: the alert says the address may be wrong, not only that TLS is missing', async () => {
    const server = await startAddinServer(peers, { policy: { action: 'block' } });
    servers.push(server);
    const { page } = await openHarness(browser, server);
    const wrong = peers.domains.nxdomain;
    await compose(page, { to: [`desk@${wrong}`], subject: 'Claim', html: SENSITIVE });
    const record = await pressSend(page);
    expect(record.completion.allowEvent).toBe(false);
    const text = (await page.locator('#alert-text').textContent()) ?? '';
    expect(text).toContain(`${wrong} takes no mail at all: check the address`);
  });
});
