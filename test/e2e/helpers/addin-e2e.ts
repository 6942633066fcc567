/**
 * What the add-in's browser tests share: loopback mail peers (real DNS and
 * SMTP servers) so the server's TLS checks have real domains to judge, the
 * server as its own process pointed at them, and the Outlook harness page
 * driven through its controls and its `__secureEnvelopeHarness` API.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Frame, Page } from 'playwright-core';
import type { HarnessApi, SendRecord } from '../../../src/addin/harness/api';
import { spawnServer, type ServerProcess } from '../../server/helpers/process';
import { startTlsPeers, type TlsPeers } from '../../server/tls-check/peers';
import { SCREENSHOT_DIR } from './browser';

const ROOT = resolve(import.meta.dirname, '../../..');

/** The tests need the built bundles; say how to get them rather than fail obscurely. */
export function requireAddinBundles(): void {
  for (const file of ['commands.js', 'taskpane.js', 'harness.js', 'harness-frame.js']) {
    if (!existsSync(join(ROOT, 'dist', file))) {
      throw new Error(
        `dist/${file} is missing: run \`npm run build\` first (npm test does this before vitest)`,
      );
    }
  }
}

export const SENDER = 'rep@plan.example';

/** A development server that sees the loopback peers, with the organisation's domain set. */
export async function startAddinServer(
  peers: TlsPeers,
  options: { policy?: Record<string, unknown> } = {},
): Promise<ServerProcess & { env: Record<string, string> }> {
  requireAddinBundles();
  const dir = mkdtempSync(join(tmpdir(), 'se-addin-e2e-'));
  const config = join(dir, 'config.json');
  writeFileSync(
    config,
    JSON.stringify({
      // One browser makes every request from one address: lift the per-client limit.
      limits: { requestsPerMinute: 1_000_000 },
      policy: { orgDomains: ['plan.example'], ...options.policy },
    }),
  );
  const env = {
    DATA_DIR: join(dir, 'data'),
    SECURE_ENVELOPE_CONFIG: config,
    SECURE_ENVELOPE_DNS_SERVERS: peers.dnsServers,
    SECURE_ENVELOPE_EXTRA_CA: peers.extraCaFile,
    SECURE_ENVELOPE_ALLOW_PRIVATE_MX: '1',
  };
  // The environment goes with the server, so a test can run the CLI (`audit export`) against its store.
  return { ...(await spawnServer(env)), env };
}

export { startTlsPeers, type TlsPeers };

/**
 * The harness at the server's public address (http://localhost:PORT, which
 * is what the add-in's configuration names), ready once the commands bundle
 * has associated its handler.
 */
export async function openHarness(
  browser: Browser,
  server: ServerProcess,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    ignoreHTTPSErrors: true,
    viewport: { width: 1280, height: 900 },
  });
  const page = await context.newPage();
  await page.goto(`http://localhost:${server.port}/dev/outlook`);
  await page.evaluate(() =>
    (window as unknown as { __secureEnvelopeHarness: HarnessApi }).__secureEnvelopeHarness.ready(),
  );
  return { context, page };
}

export interface Draft {
  to?: string[];
  cc?: string[];
  bcc?: string[];
  subject: string;
  html: string;
}

/** Types the draft into the compose form as a person would; the body goes in as HTML. */
export async function compose(page: Page, draft: Draft): Promise<void> {
  await page.fill('#to', (draft.to ?? []).join('; '));
  await page.fill('#cc', (draft.cc ?? []).join('; '));
  await page.fill('#bcc', (draft.bcc ?? []).join('; '));
  for (const id of ['#to', '#cc', '#bcc']) await page.dispatchEvent(id, 'change');
  await page.fill('#subject', draft.subject);
  await page.evaluate((html) => {
    (window as unknown as { __secureEnvelopeHarness: HarnessApi }).__secureEnvelopeHarness.setBodyHtml(html);
  }, draft.html);
}

/** Presses Send (the button, as a person would) and returns what the harness recorded. */
export async function pressSend(page: Page): Promise<SendRecord> {
  const before = await page.evaluate(
    () => (window as unknown as { __secureEnvelopeHarness: HarnessApi }).__secureEnvelopeHarness.lastSend,
  );
  await page.click('#send');
  await page.waitForFunction(
    (prev) => {
      const last = (window as unknown as { __secureEnvelopeHarness: HarnessApi }).__secureEnvelopeHarness
        .lastSend;
      return last !== null && last !== prev && JSON.stringify(last) !== JSON.stringify(prev);
    },
    before,
    { timeout: 15_000 },
  );
  return page.evaluate(
    () => (window as unknown as { __secureEnvelopeHarness: HarnessApi }).__secureEnvelopeHarness.lastSend!,
  );
}

export async function newMessage(page: Page): Promise<void> {
  await page.click('#new-message');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `addin-${name}.png`), fullPage: true });
}

export interface CaughtMail {
  to: string[];
  subject: string;
  text: string | null;
  html: string | null;
}

export async function caughtMail(server: ServerProcess): Promise<CaughtMail[]> {
  const r = await fetch(`${server.base}/dev/mail/messages`);
  return ((await r.json()) as { messages: CaughtMail[] }).messages;
}

/** Waits for the outbox worker to hand a notice for `address` to the mail catcher. */
export async function waitForMail(
  server: ServerProcess,
  address: string,
  timeoutMs = 15_000,
): Promise<CaughtMail> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const found = (await caughtMail(server)).find((m) => m.to.includes(address));
    if (found !== undefined) return found;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`no notice for ${address} reached the mail catcher within ${timeoutMs} ms`);
}

const requireFromHere = createRequire(import.meta.url);
const AXE = readFileSync(requireFromHere.resolve('axe-core/axe.min.js'), 'utf8');

export interface A11yViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * axe-core's serious and critical WCAG 2.1 A/AA findings in one frame. The
 * script is evaluated through DevTools, which the page's CSP does not govern.
 */
export async function seriousViolations(frame: Frame): Promise<A11yViolation[]> {
  if ((await frame.evaluate('typeof window.axe')) !== 'object') await frame.evaluate(AXE);
  const found = await frame.evaluate<A11yViolation[]>(`window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    iframes: false,
  }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target)) })))`);
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** The task pane's frame, once its bundle has rendered. */
export async function taskpaneFrame(page: Page): Promise<Frame> {
  const handle = await page.waitForSelector('#taskpane');
  const frame = await handle.contentFrame();
  if (frame === null) throw new Error('the task pane frame has no document');
  await frame.waitForSelector('main[aria-label="Secure Envelope"]');
  return frame;
}
