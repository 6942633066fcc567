import type { FastifyInstance } from 'fastify';
import type { ErrorCode } from '../shared/errors';
import { HttpError } from './errors';

/**
 * How much body a request may carry, and how deep its JSON may nest.
 *
 * Every route gets the small default unless it declares more, and only the
 * routes that carry attachments do; each of those checks who is asking in an
 * `onRequest` hook, which runs before a byte of the body is read. A stranger
 * therefore cannot make the server receive, hold or parse more than a few
 * kilobytes.
 */

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What a client is told when its body is over this route's limit (default: REQUEST_TOO_LARGE). */
    tooLarge?: { code: ErrorCode; message: string };
  }
}

/**
 * Any route that does not say otherwise: sign-in, registration, password
 * reset, sign-out, revoke. The largest of these bodies (two 128-character
 * passwords, even written entirely as \u escapes) is under 2 KB.
 */
export const DEFAULT_BODY_BYTES = 8 * 1024;

/** The same, named where a route states it on purpose. */
export const FORM_BODY_BYTES = DEFAULT_BODY_BYTES;

/**
 * Deeper than any request of the API (an envelope's attachments are three
 * levels down). A body nested deeper is refused before it is parsed: parsing
 * millions of levels blocks the event loop for seconds and fills the heap.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * The body that carries `rawBytes` of attachments base64-encoded in JSON,
 * with room for the message text (up to 100 000 characters, each possibly a
 * six-byte escape) and the other fields.
 */
export function base64BodyBytes(rawBytes: number): number {
  return Math.ceil((rawBytes * 4) / 3) + 1024 * 1024;
}

/** "8 KB", "14 MB": a limit as a person reads it. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.floor(bytes / 1024 / 1024)} MB` : `${Math.floor(bytes / 1024)} KB`;
}

/**
 * Whether JSON `text` opens more than `max` arrays or objects inside each
 * other. One pass, no recursion, and it stops at the first level too deep, so
 * a hostile body costs microseconds. Strings are skipped with indexOf (a
 * bracket inside a string does not count); text that is not JSON at all is
 * left for the parser to refuse.
 */
export function jsonDepthExceeds(text: string, max: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // The closing quote is the next one not escaped by an odd run of backslashes.
      for (;;) {
        const end = text.indexOf('"', i + 1);
        if (end === -1) return false;
        let backslashes = 0;
        while (text.charCodeAt(end - 1 - backslashes) === 0x5c /* \ */) backslashes++;
        i = end;
        if (backslashes % 2 === 0) break;
      }
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > max) return true;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return false;
}

/**
 * Replaces the JSON body parser of `app` (and of every plugin registered
 * after) with Fastify's own (prototype-poisoning checks included) behind the
 * depth check. Call before registering routes.
 */
export function parseJsonWithBoundedDepth(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (jsonDepthExceeds(text, MAX_JSON_DEPTH)) {
      done(
        new HttpError(
          'JSON_TOO_DEEP',
          `the request body nests arrays or objects more than ${MAX_JSON_DEPTH} levels deep; no request of this API does`,
        ),
        undefined,
      );
      return;
    }
    // Fastify's own parser answers through `done`; it returns nothing to wait for.
    void parse(request, text, done);
  });
}
