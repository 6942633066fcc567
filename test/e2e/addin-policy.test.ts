/**
 * The admin's other actions for sensitive mail to an unprotected domain,
 * end to end through the harness: "prompt" lets the sender send it as is
 * once they have recorded why in the task pane (the message then leaves as
 * written, and the audit log says who, what and why), "block" does not.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, signal, type ServerProcess } from '../server/helpers/process';
import { launchBrowser } from './helpers/browser';
import {
  compose,
  openHarness,
  pressSend,
  screenshot,
  waitForMail,
  SENDER,
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
  it('prompt: the alert sends the sender to the pane; a recorded reason lets this draft go as written, on the record', async () => {
    const server = await startAddinServer(peers, { policy: { action: 'prompt' } });
    servers.push(server);
    const { page } = await openHarness(browser, server);
    const to = `desk@${peers.domains.none}`;
    await compose(page, { to: [to], subject: 'Claim', html: SENSITIVE });
    const held = await pressSend(page);
    expect(held.completion.allowEvent).toBe(false);
    // No unrecorded "Send anyway": the way to send it as is goes through the record.
    expect(await page.locator('#alert-send-anyway').isVisible()).toBe(false);
    expect(await page.locator('#alert-text').textContent()).toMatch(
      /To send it as is, open Secure Envelope, say why/,
    );
    await screenshot(page, 'harness-prompt');

    const pane = page.frameLocator('#taskpane');
    const record = pane.locator('#override-record');
    await record.waitFor({ state: 'visible', timeout: 15_000 });
    // A reason is required by default: the button waits for one.
    expect(await record.isDisabled()).toBe(true);
    await pane.locator('#override-reason').fill('Provider asked for the remittance by mail today');
    await record.click();
    await pane.getByTestId('override-recorded').waitFor({ timeout: 10_000 });
    await screenshot(page, 'taskpane-override-recorded');

    const sent = await pressSend(page);
    expect(sent.completion.allowEvent).toBe(true);
    expect(sent.sent).toMatchObject({ bodyHtml: SENSITIVE, headers: {} });

    const exported = await runCli(['audit', 'export'], server.env);
    expect(exported.code).toBe(0);
    const records = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { action: string; actor: string; detail: Record<string, unknown> });
    const override = records.find((r) => r.action === 'message.override');
    expect(override).toMatchObject({
      actor: `sender:${SENDER}`,
      detail: {
        reason: 'Provider asked for the remittance by mail today',
        found: expect.stringMatching(/US_SSN×1/) as unknown,
        domains: `${peers.domains.none} (unprotected, none)`,
        recipients: to,
      },
    });
    expect(exported.stdout).not.toContain('536-22-1874');
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

  it('block: the alert offers no way to send it as is, and its one button sends it securely', async () => {
    const server = await startAddinServer(peers, { policy: { action: 'block' } });
    servers.push(server);
    const { page } = await openHarness(browser, server);
    await compose(page, { to: [`desk@${peers.domains.none}`], subject: 'Claim', html: SENSITIVE });
    const record = await pressSend(page);
    expect(record.completion.allowEvent).toBe(false);
    expect(record.sent).toBeNull();
    expect(await page.locator('#alert-text').textContent()).toMatch(/does not allow sending it as is/);
    expect(await page.locator('#alert-send-anyway').isVisible()).toBe(false);

    // The way forward is one click: the alert's own button makes it Secure Email.
    const action = page.locator('#alert-command');
    expect(await action.textContent()).toBe('Send securely');
    await action.click();
    await expect.poll(() => page.locator('#status').textContent()).toMatch(/Send securely is on/);
    const secured = await pressSend(page);
    expect(secured.completion.allowEvent).toBe(true);
    expect(secured.sent?.headers['X-Secure-Envelope-Id']).toBeDefined();
    expect(secured.sent?.to).toEqual([SENDER]);
    await waitForMail(server, `desk@${peers.domains.none}`);
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
