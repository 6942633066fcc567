import { describe, expect, it } from 'vitest';
import {
  cleanStyle,
  isInlineImageUrl,
  isRemoteImageUrl,
  isSafeLinkUrl,
  linkTargetLabel,
  shortenMiddle,
} from '../../src/portal/sanitise/policy';

describe('isSafeLinkUrl', () => {
  it.each([
    'https://clinic.example/claims?id=1',
    'http://clinic.example',
    'HTTPS://CLINIC.EXAMPLE/',
    'mailto:rep@plan.example',
    'mailto:rep@plan.example?subject=Claim',
    'tel:+15555550100',
    '  https://clinic.example  ',
  ])('allows %s', (url) => {
    expect(isSafeLinkUrl(url)).toBe(true);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'java\tscript:alert(1)',
    'java\nscript:alert(1)',
    '\u0000javascript:alert(1)',
    ' \u200bjavascript:alert(1)',
    'jav&#x09;ascript:alert(1)',
    'vbscript:msgbox(1)',
    'data:text/html,<script>alert(1)</script>',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'file:///etc/passwd',
    'blob:https://clinic.example/uuid',
    'about:blank',
    'ftp://clinic.example/x',
    '/portal/api/sign-out',
    '//evil.example/x',
    '../x',
    '#top',
    '',
    'http://',
    'https:',
  ])('refuses %j', (url) => {
    expect(isSafeLinkUrl(url)).toBe(false);
  });
});

describe('images', () => {
  it('treats http(s) images as remote', () => {
    expect(isRemoteImageUrl('https://tracker.example/p.gif?u=1')).toBe(true);
    expect(isRemoteImageUrl('http://tracker.example/p.gif')).toBe(true);
    expect(isRemoteImageUrl('cid:logo@x')).toBe(false);
    expect(isRemoteImageUrl('/local.png')).toBe(false);
  });

  it('accepts only raster data images inline', () => {
    expect(isInlineImageUrl('data:image/png;base64,iVBORw0KGgo=')).toBe(true);
    expect(isInlineImageUrl('data:image/jpeg;base64,/9j/4AAQ')).toBe(true);
    expect(isInlineImageUrl('data:image/svg+xml;base64,PHN2Zz4=')).toBe(false);
    expect(isInlineImageUrl('data:text/html;base64,PHNjcmlwdD4=')).toBe(false);
    expect(isInlineImageUrl('data:image/png,<svg onload=alert(1)>')).toBe(false);
    expect(isInlineImageUrl('https://x.example/a.png')).toBe(false);
  });
});

describe('linkTargetLabel', () => {
  it('shows where a link really goes when its text says something else', () => {
    expect(linkTargetLabel('https://evil.example/login', 'https://bank.example')).toBe(
      'https://evil.example/login',
    );
    expect(linkTargetLabel('https://clinic.example/a', 'Click here')).toBe('https://clinic.example/a');
    expect(linkTargetLabel('mailto:rep@plan.example', 'write to us')).toBe('rep@plan.example');
  });

  it('says nothing when the text is the target already', () => {
    expect(linkTargetLabel('https://clinic.example/', 'https://clinic.example')).toBeUndefined();
    expect(linkTargetLabel('https://clinic.example/a', ' HTTPS://clinic.example/a ')).toBeUndefined();
    expect(linkTargetLabel('mailto:rep@plan.example', 'rep@plan.example')).toBeUndefined();
  });

  it('keeps the scheme and host of a very long target', () => {
    const long = `https://clinic.example/${'a'.repeat(300)}`;
    const label = linkTargetLabel(long, 'x');
    expect(label?.startsWith('https://clinic.example/')).toBe(true);
    expect(label?.length).toBe(90);
    expect(shortenMiddle('short', 10)).toBe('short');
  });
});

describe('cleanStyle', () => {
  it('keeps harmless typography and box properties', () => {
    expect(cleanStyle('color: #c00; font-weight: bold; margin: 0 4px')).toBe(
      'color: #c00; font-weight: bold; margin: 0 4px',
    );
    expect(cleanStyle('font-family: "Segoe UI", Arial, sans-serif')).toBe(
      'font-family: "Segoe UI", Arial, sans-serif',
    );
    expect(cleanStyle('BACKGROUND-COLOR: rgb(255, 0, 0)')).toBe('background-color: rgb(255, 0, 0)');
  });

  it.each([
    'background: url(https://tracker.example/p.gif)',
    'background-image: url("https://tracker.example/p.gif")',
    'background: u\\72 l(https://tracker.example/p.gif)',
    'color: red; background: URL( //tracker.example/p.gif )',
    'border-image: url(x)',
    'list-style: url(x)',
    'width: expression(alert(1))',
    'behavior: url(x.htc)',
    '-moz-binding: url(x.xml#xss)',
    'position: fixed; top: 0; left: 0; width: 100%; height: 100%',
    'z-index: 99999',
    'content: "x"',
    'cursor: url(x), auto',
    'background-color: red /* } */',
    'color: var(--x)',
    'font-family: "a;background:url(https://t.example/)"',
    'color: red; @import "x"',
    'width: 10px</style><script>alert(1)</script>',
    'background: image-set("x.png" 1x)',
    'filter: blur(5px)',
    'transform: scale(50)',
    'animation: x 1s',
  ])('drops what fetches, runs or escapes: %s', (style) => {
    const kept = cleanStyle(style);
    expect(kept).not.toMatch(
      /url|expression|position|z-index|content|binding|behavior|import|script|var\(|image-set|filter|transform|animation|\\/i,
    );
  });

  it('keeps the safe part of a mixed declaration list', () => {
    expect(cleanStyle('color: red; position: absolute; background: url(x); padding: 2px')).toBe(
      'color: red; padding: 2px',
    );
  });
});
