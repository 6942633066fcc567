/**
 * The message-body sanitiser in a real browser (DOMPurify needs one): attack
 * strings go through it, the result is put straight into a page with no CSP
 * and no sandbox, and nothing may run, fetch, or keep a dangerous attribute.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './helpers/browser';
import { bundleSanitiser, openHarness, TRACKER_ORIGIN } from './helpers/portal-sanitise-harness';

const T = TRACKER_ORIGIN;

/** Each would run `pwn(...)`, open a dialog, fetch from the tracker, or escape the message box if left alone. */
const ATTACKS: string[] = [
  `<script>pwn('script')</script>`,
  `<SCRIPT SRC=${T}/x.js></SCRIPT>`,
  `<scr<script>ipt>pwn('split')</script>`,
  `<img src=x onerror="pwn('img-onerror')">`,
  `<img src="x" onerror=pwn('unquoted')>`,
  `<IMG SRC=x oNeRrOr=pwn('case')>`,
  `<img src=x onerror\u000b=pwn('vtab')>`,
  `<body onload="pwn('body')">`,
  `<svg onload="pwn('svg-onload')"></svg>`,
  `<svg><script>pwn('svg-script')</script></svg>`,
  `<svg><animate onbegin="pwn('animate')" attributeName="x" dur="1s"></animate></svg>`,
  `<svg><a xlink:href="javascript:pwn('svg-xlink')"><text x="20" y="20">x</text></a></svg>`,
  `<svg><foreignObject><img src=x onerror="pwn('fo')"></foreignObject></svg>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="pwn('mxss-math')">`,
  `<math><mi><a href="javascript:pwn('math-a')">x</a></mi></math>`,
  `<noscript><p title="</noscript><img src=x onerror=pwn('noscript')>"></noscript>`,
  `<!--<img src="--><img src=x onerror=pwn('comment')//">`,
  `<textarea><script>pwn('textarea')</script></textarea>`,
  `<title><img src=x onerror=pwn('title')></title>`,
  `<xmp><img src=x onerror=pwn('xmp')></xmp>`,
  `<template><img src=x onerror=pwn('template')></template>`,
  `<a href="javascript:pwn('a-href')">click</a>`,
  `<a href="JaVaScRiPt:pwn('a-case')">click</a>`,
  `<a href="java&#x09;script:pwn('a-tab')">click</a>`,
  `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;pwn('a-entities')">click</a>`,
  `<a href=" &#14; javascript:pwn('a-ctl')">click</a>`,
  `<a href="vbscript:msgbox(1)">click</a>`,
  `<a href="data:text/html,<script>alert(1)</script>">click</a>`,
  `<a href="/portal/api/sign-out">relative</a>`,
  `<a href="https://clinic.example/" ping="${T}/ping">ping</a>`,
  `<iframe src="javascript:parent.pwn('iframe')"></iframe>`,
  `<iframe srcdoc="<script>parent.pwn('srcdoc')</script>"></iframe>`,
  `<object data="javascript:pwn('object')"></object>`,
  `<embed src="javascript:pwn('embed')">`,
  `<form action="javascript:pwn('form')"><button>go</button></form>`,
  `<button formaction="javascript:pwn('formaction')">go</button>`,
  `<input autofocus onfocus="pwn('autofocus')">`,
  `<details open ontoggle="pwn('details')"><summary>x</summary></details>`,
  `<video><source onerror="pwn('video')"></video>`,
  `<audio src="${T}/a.mp3" autoplay></audio>`,
  `<marquee onstart="pwn('marquee')">x</marquee>`,
  `<meta http-equiv="refresh" content="0;url=javascript:pwn('meta')">`,
  `<base href="javascript:/">`,
  `<link rel="stylesheet" href="${T}/x.css">`,
  `<style>@import '${T}/import.css';</style>`,
  `<style>body{background:url(${T}/style-bg)}</style>`,
  `<div style="background:url(${T}/inline-bg)">bg</div>`,
  `<div style="background-image: u\\72 l(${T}/escaped-bg)">escaped</div>`,
  `<div style="width: expression(pwn('expression'))">ie</div>`,
  `<div style="position:fixed;top:0;left:0;width:100%;height:100%;z-index:99999">overlay</div>`,
  `<img src="${T}/pixel.gif">`,
  `<img srcset="${T}/srcset.gif 1x">`,
  `<picture><source srcset="${T}/picture.gif"><img src="data:image/png;base64,iVBORw0KGgo="></picture>`,
  `<table background="${T}/table.gif"><tr><td>x</td></tr></table>`,
  `<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9InB3bigxKSIvPg==">`,
  `<a id="location" href="https://evil.example/">clobber</a><form name="cookie"></form>`,
  `<div data-bind="pwn('knockout')" onclick="pwn('onclick')">x</div>`,
  `<isindex action="javascript:pwn('isindex')" type="image">`,
  `<portal src="${T}/portal"></portal>`,
  `<div popover id="p">x</div><button popovertarget="p">p</button>`,
];

interface Inspection {
  html: string;
  blockedImages: number;
  /** Problems found in the sanitised DOM. */
  problems: string[];
}

/** Sanitises in the page and inspects the resulting DOM for anything that can run or fetch. */
function inspectAll(
  page: Page,
  attacks: string[],
  showRemoteImages: boolean,
  options: { raw?: boolean } = {},
): Promise<Inspection[]> {
  return page.evaluate(
    ({ attacks, showRemoteImages, raw }) => {
      const w = window as unknown as {
        portalSanitise: {
          sanitiseMessageHtml(
            d: string,
            o: { showRemoteImages: boolean },
          ): { html: string; blockedImages: number };
        };
      };
      const out = document.getElementById('out')!;
      const forbiddenTags = new Set([
        'SCRIPT',
        'SVG',
        'MATH',
        'STYLE',
        'IFRAME',
        'OBJECT',
        'EMBED',
        'FORM',
        'INPUT',
        'BUTTON',
        'BASE',
        'META',
        'LINK',
        'TEMPLATE',
        'VIDEO',
        'AUDIO',
        'SOURCE',
        'PICTURE',
        'TEXTAREA',
        'NOSCRIPT',
        'PORTAL',
      ]);
      return attacks.map((attack) => {
        // raw: the inspection's own control, on markup that was not sanitised (inserted inert, in a template).
        const { html, blockedImages } = raw
          ? { html: attack, blockedImages: 0 }
          : w.portalSanitise.sanitiseMessageHtml(attack, { showRemoteImages });
        const holder = document.createElement(raw ? 'template' : 'div');
        holder.innerHTML = html;
        const root = holder instanceof HTMLTemplateElement ? holder.content : holder;
        if (!raw) out.append(holder);
        const problems: string[] = [];
        for (const el of Array.from(root.querySelectorAll('*'))) {
          if (forbiddenTags.has(el.tagName.toUpperCase())) problems.push(`tag ${el.tagName}`);
          for (const attr of Array.from(el.attributes)) {
            const name = attr.name.toLowerCase();
            const value = attr.value;
            if (name.startsWith('on')) problems.push(`handler ${name}`);
            if (
              [
                'srcset',
                'ping',
                'action',
                'formaction',
                'background',
                'id',
                'name',
                'popover',
                'xlink:href',
              ].includes(name)
            )
              problems.push(`attribute ${name}`);
            if (name === 'href' && !/^(?:https?:\/\/[^/]|mailto:|tel:)/i.test(value))
              problems.push(`href ${value}`);
            if (
              name === 'src' &&
              !/^data:image\/(?:png|gif|jpeg|jpg|webp);base64,/i.test(value) &&
              !(showRemoteImages && value.startsWith('http'))
            )
              problems.push(`src ${value}`);
            if (name === 'style' && /url|expression|position|z-index|\\/i.test(value))
              problems.push(`style ${value}`);
          }
          if (el.tagName === 'A' && el.hasAttribute('href')) {
            if (el.getAttribute('rel') !== 'noopener noreferrer')
              problems.push('link without rel=noopener noreferrer');
            if (el.getAttribute('target') !== '_blank') problems.push('link not opened in a new tab');
          }
        }
        return { html, blockedImages, problems };
      });
    },
    { attacks, showRemoteImages, raw: options.raw === true },
  );
}

describe('portal sanitiser in Chromium', () => {
  let browser: Browser;
  let script: string;

  beforeAll(async () => {
    [browser, script] = await Promise.all([launchBrowser(), bundleSanitiser()]);
  }, 30_000);

  afterAll(async () => {
    await browser.close();
  });

  it('the harness itself notices script execution and tracker fetches (control)', async () => {
    const page = await browser.newPage();
    const { trackerHits } = await openHarness(page, script);
    await page.evaluate((t) => {
      document.getElementById('out')!.innerHTML =
        `<img src=x onerror="pwn('control')"><img src="${t}/control.gif">`;
    }, TRACKER_ORIGIN);
    await page.waitForFunction(() => (window as unknown as { pwned: string[] }).pwned.length > 0);
    await expect.poll(() => trackerHits.length).toBeGreaterThan(0);
    // The DOM inspection finds problems in most attack strings when they are not sanitised.
    const raw = await inspectAll(page, ATTACKS, false, { raw: true });
    expect(raw.filter((r) => r.problems.length > 0).length).toBeGreaterThan(ATTACKS.length * 0.8);
    await page.close();
  });

  it(`leaves ${ATTACKS.length} attack strings inert: nothing runs, nothing is fetched, nothing dangerous remains`, async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const { trackerHits } = await openHarness(page, script);
    const results = await inspectAll(page, ATTACKS, false);
    // Give error/load/focus/animation events time to fire.
    await page.waitForTimeout(1500);
    const pwned = await page.evaluate(() => (window as unknown as { pwned: string[] }).pwned);

    const failures = results.flatMap((r, i) => r.problems.map((p) => `${ATTACKS[i] ?? ''} → ${p}`));
    expect(failures).toEqual([]);
    expect(pwned).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(trackerHits).toEqual([]);
    for (const r of results) expect(r.html).not.toMatch(/<script|javascript:|onerror|onload|url\(/i);
    // The lone remote image is counted as held back, with a placeholder in its place.
    const pixel = results[ATTACKS.findIndex((a) => a.startsWith('<img src="http'))];
    expect(pixel?.blockedImages).toBe(1);
    expect(pixel?.html).toContain('Image not shown');
    await page.close();
  });

  it('keeps ordinary message formatting, shows each link target, and loads remote images only when asked', async () => {
    const page = await browser.newPage();
    const { trackerHits } = await openHarness(page, script);
    const ordinary =
      '<h2>Claim 4471</h2><p style="color:#c00;font-weight:bold">Please review <b>today</b>.</p>' +
      '<table border="1"><tr><td>Member</td><td>Dana</td></tr></table>' +
      '<ul><li>one</li></ul><a href="https://evil.example/login">https://bank.example</a> ' +
      '<a href="mailto:rep@plan.example">rep@plan.example</a>' +
      `<img alt="logo" src="${TRACKER_ORIGIN}/logo.png">`;
    const [blocked, shown] = await page.evaluate((html) => {
      const s = (
        window as unknown as {
          portalSanitise: {
            sanitiseMessageHtml(
              d: string,
              o: { showRemoteImages: boolean },
            ): { html: string; blockedImages: number };
          };
        }
      ).portalSanitise;
      return [
        s.sanitiseMessageHtml(html, { showRemoteImages: false }),
        s.sanitiseMessageHtml(html, { showRemoteImages: true }),
      ];
    }, ordinary);
    expect(blocked.html).toContain('<h2>Claim 4471</h2>');
    expect(blocked.html).toContain('style="color: #c00; font-weight: bold"');
    expect(blocked.html).toContain('<td>Dana</td>');
    // The real target of a link whose text pretends to be another address is shown beside it.
    expect(blocked.html).toContain('[https://evil.example/login]');
    expect(blocked.html).not.toContain('[rep@plan.example]');
    expect(blocked.html).toContain('Image not shown: logo');
    expect(blocked.blockedImages).toBe(1);
    expect(shown.blockedImages).toBe(0);

    await page.evaluate((html) => {
      document.getElementById('out')!.innerHTML = html;
    }, blocked.html);
    await page.waitForTimeout(300);
    expect(trackerHits).toEqual([]);
    await page.evaluate((html) => {
      document.getElementById('out')!.innerHTML = html;
    }, shown.html);
    await expect.poll(() => trackerHits.length).toBe(1);
    await page.close();
  });
});
