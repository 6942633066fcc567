/**
 * What the portal's browser tests share: the server as its own process (with
 * the development mail catcher and token issuer), a representative sending a
 * secure message through the API, mail taken from the catcher, an axe-core
 * check and screenshots.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { spawnServer, type ServerProcess } from '../../server/helpers/process';
import { SCREENSHOT_DIR } from './browser';

const ROOT = resolve(import.meta.dirname, '../../..');
export const PORTAL_BUNDLE = join(ROOT, 'dist/portal.js');

/** The browser tests need the built portal; say how to get it rather than fail obscurely. */
export function requirePortalBundle(): void {
  if (!existsSync(PORTAL_BUNDLE)) {
    throw new Error(
      'dist/portal.js is missing: run `npm run build` first (npm test does this before vitest)',
    );
  }
}

/** A development server with its own data directory. */
export function startServer(): Promise<ServerProcess> {
  requirePortalBundle();
  return spawnServer({ DATA_DIR: mkdtempSync(join(tmpdir(), 'se-portal-e2e-')) });
}

/** A browser context for the portal: desktop by default, or a phone's viewport and touch. */
export function portalContext(browser: Browser, options: { phone?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({
    ignoreHTTPSErrors: true,
    acceptDownloads: true,
    ...(options.phone === true
      ? { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
      : { viewport: { width: 1280, height: 900 } }),
  });
}

export interface CaughtMail {
  id: string;
  from: string;
  to: string[];
  subject: string;
  text: string | null;
  html: string | null;
  raw: string;
}

export async function caughtMail(base: string): Promise<CaughtMail[]> {
  const response = await fetch(`${base}/dev/mail/messages`);
  if (!response.ok) throw new Error(`GET /dev/mail/messages answered ${response.status}`);
  return ((await response.json()) as { messages: CaughtMail[] }).messages;
}

/** Waits until the catcher holds a message that matches (the outbox delivers in the background). */
export async function waitForMail(
  base: string,
  match: (m: CaughtMail) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<CaughtMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await caughtMail(base)).find(match);
    if (found !== undefined) return found;
    if (Date.now() > deadline) {
      const seen = (await caughtMail(base)).map((m) => `${m.to.join(',')}: ${m.subject}`);
      throw new Error(`no mail ${what} within ${timeoutMs} ms; the catcher holds: ${JSON.stringify(seen)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * The first link in a mail whose path starts with `prefix` (`/r/` or
 * `/portal/reset/`), moved onto the test server's origin: the server speaks
 * plain http here while the links name its public https address.
 */
export function linkIn(mail: CaughtMail, prefix: string, base: string): string {
  const text = `${mail.text ?? ''}\n${mail.html ?? ''}`;
  for (const match of text.matchAll(/https?:\/\/[^\s"'<>]+/g)) {
    const url = new URL(match[0].replace(/&amp;/g, '&'));
    if (url.pathname.startsWith(prefix)) return `${base}${url.pathname}${url.search}`;
  }
  throw new Error(`no ${prefix} link in the mail "${mail.subject}"`);
}

export async function senderToken(base: string, address: string, name?: string): Promise<string> {
  const query = new URLSearchParams({ address, ...(name !== undefined ? { name } : {}) });
  const response = await fetch(`${base}/dev/token?${query.toString()}`);
  if (!response.ok) throw new Error(`GET /dev/token answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

export interface SentEnvelope {
  id: string;
  recipients: { address: string }[];
}

/** The representative sends a secure message through the API, as the add-in does. */
export async function sendEnvelope(
  base: string,
  token: string,
  body: {
    from: string;
    to: string[];
    subject: string;
    html?: string;
    text?: string;
    attachments?: { name: string; contentType: string; contentBase64: string }[];
  },
): Promise<SentEnvelope> {
  const response = await fetch(`${base}/v1/envelopes`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}`,
    },
    body: JSON.stringify({ cc: [], bcc: [], attachments: [], ...body }),
  });
  if (response.status !== 201) {
    throw new Error(`POST /v1/envelopes answered ${response.status}: ${await response.text()}`);
  }
  return (await response.json()) as SentEnvelope;
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/**
 * Runs axe-core on the page as it stands. The script goes in through the
 * DevTools protocol (page.evaluate), which the page's CSP does not govern, so
 * the portal is checked under its real policy. Returns serious and critical
 * violations.
 */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof window.axe === "object"');
  if (loaded !== true) await page.evaluate(AXE_SOURCE);
  // The message frame runs no script, so axe checks the frame element (its title), not the sender's markup.
  const violations = await page.evaluate<AxeViolation[]>(`window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    iframes: false,
  }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) })))`);
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** A readable line per violation, for an assertion message. */
export function describeViolations(violations: AxeViolation[]): string {
  return violations
    .map((v) => `${v.id} (${v.impact ?? '?'}): ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`)
    .join('\n');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOT_DIR, `portal-${name}.png`), fullPage: true });
}

/** Text of the page's h1, which takes focus when a page opens. */
export async function focusedHeading(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return el !== null && el.tagName === 'H1' ? el.textContent : null;
  });
}
