import DOMPurify from 'dompurify';
import { cleanStyle, isInlineImageUrl, isRemoteImageUrl, isSafeLinkUrl, linkTargetLabel } from './policy';

/**
 * Turns a sender's HTML into something safe to show: DOMPurify with the HTML
 * profile only (no SVG or MathML), no forms, frames, media or style sheets;
 * then our own rules on what is left — links only to http(s)/mailto/tel, opened
 * in a new tab without opener or referrer and with their target shown; images
 * only inline rasters, remote ones held back until the reader consents; inline
 * styles reduced to an allow-list that fetches nothing. Runs in the browser.
 */

export interface SanitiseOptions {
  /** The reader chose "Show images": remote images may load. */
  showRemoteImages: boolean;
}

export interface SanitisedBody {
  /** Markup to place in the body of the message frame. */
  html: string;
  /** Remote images that were held back (0 when shown or when there were none). */
  blockedImages: number;
}

const FORBID_TAGS = [
  'style',
  'link',
  'meta',
  'base',
  'title',
  'form',
  'input',
  'button',
  'textarea',
  'select',
  'option',
  'optgroup',
  'datalist',
  'output',
  'iframe',
  'frame',
  'frameset',
  'object',
  'embed',
  'applet',
  'video',
  'audio',
  'source',
  'track',
  'picture',
  'canvas',
  'dialog',
  'template',
  'slot',
  'portal',
  'noscript',
  'marquee',
  'map',
  'area',
];

const FORBID_ATTR = [
  'srcset',
  'action',
  'formaction',
  'ping',
  'background',
  'poster',
  'target',
  'rel',
  'id',
  'name',
  'form',
  'popover',
  'popovertarget',
  'usemap',
  'tabindex',
  'accesskey',
  'contenteditable',
  'autofocus',
  'xmlns',
];

/** CSS the message frame starts with: readable text, nothing wider than the screen. */
export const FRAME_STYLE = [
  'html{color-scheme:light}',
  'body{margin:0;padding:4px 2px;font:15px/1.5 "Segoe UI",system-ui,-apple-system,sans-serif;color:#242424;overflow-wrap:anywhere;word-break:break-word}',
  'img{max-width:100%;height:auto}',
  'table{max-width:100%}',
  'pre{white-space:pre-wrap}',
  'a{color:#0f6cbd}',
  // A link whose target was removed is plain text, not something that looks clickable.
  'a:not([href]){color:inherit;text-decoration:none}',
  '.se-link-target{color:#616161;font-size:0.85em}',
  '.se-blocked-image{display:inline-block;border:1px dashed #8a8a8a;color:#616161;font-size:0.85em;padding:2px 6px}',
].join('');

function purify(dirty: string): Element {
  const purifier = DOMPurify(window);
  return purifier.sanitize(dirty, {
    USE_PROFILES: { html: true },
    FORBID_TAGS,
    FORBID_ATTR,
    // Removed together with what they hold: option lists and plug-in fallbacks are not message text.
    ADD_FORBID_CONTENTS: [
      'select',
      'option',
      'optgroup',
      'datalist',
      'textarea',
      'object',
      'embed',
      'applet',
    ],
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: true,
    ALLOW_UNKNOWN_PROTOCOLS: false,
    SAFE_FOR_TEMPLATES: false,
    WHOLE_DOCUMENT: false,
    RETURN_DOM: true,
  });
}

function fixLink(a: HTMLAnchorElement): void {
  const href = a.getAttribute('href');
  if (href === null) return;
  if (!isSafeLinkUrl(href)) {
    a.removeAttribute('href');
    return;
  }
  a.setAttribute('target', '_blank');
  a.setAttribute('rel', 'noopener noreferrer');
  a.setAttribute('referrerpolicy', 'no-referrer');
  a.setAttribute('title', href.trim());
  const label = linkTargetLabel(href, a.textContent);
  if (label !== undefined) {
    const target = a.ownerDocument.createElement('span');
    target.className = 'se-link-target';
    target.textContent = ` [${label}]`;
    a.after(target);
  }
}

function fixImage(img: HTMLImageElement, options: SanitiseOptions): boolean {
  const src = img.getAttribute('src') ?? '';
  img.setAttribute('referrerpolicy', 'no-referrer');
  img.setAttribute('loading', 'lazy');
  if (isInlineImageUrl(src)) return false;
  if (isRemoteImageUrl(src)) {
    if (options.showRemoteImages) return false;
    const placeholder = img.ownerDocument.createElement('span');
    placeholder.className = 'se-blocked-image';
    const alt = (img.getAttribute('alt') ?? '').trim();
    placeholder.textContent = alt === '' ? 'Image not shown' : `Image not shown: ${alt}`;
    img.replaceWith(placeholder);
    return true;
  }
  // cid: and other schemes cannot be resolved here; an image that cannot load is dropped.
  img.remove();
  return false;
}

/** Sanitises a message's HTML for display in the message frame. */
export function sanitiseMessageHtml(dirty: string, options: SanitiseOptions): SanitisedBody {
  const body = purify(dirty);
  for (const el of Array.from(body.querySelectorAll<HTMLElement>('[style]'))) {
    const style = cleanStyle(el.getAttribute('style') ?? '');
    if (style === '') el.removeAttribute('style');
    else el.setAttribute('style', style);
  }
  for (const a of Array.from(body.querySelectorAll('a'))) fixLink(a);
  let blockedImages = 0;
  for (const img of Array.from(body.querySelectorAll('img'))) {
    if (fixImage(img, options)) blockedImages += 1;
  }
  return { html: body.innerHTML, blockedImages };
}

/** The whole document for the sandboxed frame: our style, no referrer, the sanitised body. */
export function frameDocument(bodyHtml: string): string {
  return (
    '<!doctype html><html><head><meta charset="utf-8">' +
    '<meta name="referrer" content="no-referrer">' +
    `<style>${FRAME_STYLE}</style></head><body>${bodyHtml}</body></html>`
  );
}
