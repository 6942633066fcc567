import { resolve } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';

const ROOT = resolve(import.meta.dirname, '../../..');

/** The portal's sanitiser as one browser script exposing `window.portalSanitise`. */
export async function bundleSanitiser(): Promise<string> {
  const result = await build({
    stdin: {
      contents:
        "import { sanitiseMessageHtml, frameDocument } from './src/portal/sanitise/sanitise';\n" +
        'Object.assign(window, { portalSanitise: { sanitiseMessageHtml, frameDocument } });\n',
      resolveDir: ROOT,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    platform: 'browser',
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (file === undefined) throw new Error('esbuild produced no output for the sanitiser');
  return file.text;
}

export const HARNESS_ORIGIN = 'http://harness.test';
export const TRACKER_ORIGIN = 'http://tracker.test';

/**
 * Serves a bare page (no CSP, no sandbox: the sanitiser alone must make
 * markup inert) with the sanitiser, and a tracker host that records every
 * request, so a test can prove nothing was fetched.
 */
export async function openHarness(page: Page, script: string): Promise<{ trackerHits: string[] }> {
  const trackerHits: string[] = [];
  const gif = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
  await page.route(`${TRACKER_ORIGIN}/**`, async (route) => {
    trackerHits.push(route.request().url());
    await route.fulfill({ status: 200, contentType: 'image/gif', body: gif });
  });
  await page.route(`${HARNESS_ORIGIN}/**`, async (route) => {
    const path = new URL(route.request().url()).pathname;
    if (path === '/sanitise.js') {
      await route.fulfill({ status: 200, contentType: 'text/javascript', body: script });
      return;
    }
    await route.fulfill({
      status: 200,
      contentType: 'text/html',
      body:
        '<!doctype html><html><head><title>harness</title>' +
        '<script>window.pwned = []; window.pwn = function (x) { window.pwned.push(String(x)); };</script>' +
        '<script src="/sanitise.js"></script></head><body><div id="out"></div></body></html>',
    });
  });
  await page.goto(`${HARNESS_ORIGIN}/`);
  return { trackerHits };
}
