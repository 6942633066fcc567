/**
 * Download headers for a decrypted attachment. The file always downloads
 * (`attachment`), never renders in the portal's origin, and a type that is not
 * a plain `type/subtype` becomes application/octet-stream.
 */

const MEDIA_TYPE = /^[a-z0-9][\w!#$&^.+-]{0,126}\/[a-z0-9][\w!#$&^.+-]{0,126}$/i;

export function safeContentType(contentType: string): string {
  const bare = contentType.split(';')[0]!.trim().toLowerCase();
  return MEDIA_TYPE.test(bare) ? bare : 'application/octet-stream';
}

/** RFC 6266: an ASCII fallback name, and the real name in UTF-8 (RFC 5987). */
export function contentDisposition(name: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are what must go
  const clean = name.replace(/[\u0000-\u001f\u007f/\\]+/g, '_').trim() || 'attachment';
  const fallback = clean.replace(/[^\x20-\x7e]/g, '_').replace(/["%;]/g, '_');
  const encoded = encodeURIComponent(clean).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
