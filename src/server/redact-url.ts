/**
 * What a log line says about a request's URL. Secrets (secure-link and reset
 * tokens) never reach a log line.
 *
 * The path is written from the route the router matched, not from the text
 * the client sent: the router decodes percent-escapes before matching, so
 * `/%72/<token>` reaches the secure-link handler as surely as `/r/<token>`,
 * and any rule on the raw text can be spelled around. Only parameters known
 * to hold no secret keep their values; every other parameter, and any
 * wildcard, is written as `[redacted]`. A path no route matched is written
 * as its first segment only.
 */

/** Route parameters whose values are identifiers, not secrets, and worth seeing in a log. */
const LOGGABLE_PARAMS: ReadonlySet<string> = new Set(['id', 'messageId', 'attachmentId']);

/** Query parameters whose names say they carry a secret. */
const SECRET_QUERY_NAME = /token|code|secret|password|key|sig/i;

const REDACTED = '[redacted]';

/** What the logger's request serializer is handed: Fastify's request. */
export interface LoggedRequest {
  url: string;
  /** The matched route; absent or without `url` when no route matched. */
  routeOptions?: { url?: string | undefined } | undefined;
  params?: unknown;
}

/** The URL of `request` as a log line may show it. */
export function loggedUrl(request: LoggedRequest): string {
  const q = request.url.indexOf('?');
  const path = q === -1 ? request.url : request.url.slice(0, q);
  const query = q === -1 ? '' : redactQuery(request.url.slice(q + 1));
  const pattern = request.routeOptions?.url;
  const written =
    pattern !== undefined && pattern !== '' ? fromPattern(pattern, request.params) : firstSegment(path);
  return query === '' ? written : `${written}?${query}`;
}

/** The route pattern with loggable parameters filled in and all others redacted. */
function fromPattern(pattern: string, params: unknown): string {
  const values = (typeof params === 'object' && params !== null ? params : {}) as Record<string, unknown>;
  return pattern.replace(/:(\w+)(?:\([^)]*\))?|\*/g, (whole: string, name: string | undefined) => {
    if (name === undefined || !LOGGABLE_PARAMS.has(name)) return REDACTED;
    const value = values[name];
    // Identifiers are short and URL-safe; anything else is not what this parameter should hold.
    return typeof value === 'string' && /^[\w-]{1,64}$/.test(value) ? value : REDACTED;
  });
}

/** `/a/b/c` → `/a/[redacted]`: what follows an unknown path's first segment may be anything. */
function firstSegment(path: string): string {
  const match = /^\/[^/]*/.exec(path);
  const first = match?.[0] ?? '/';
  return first.length < path.length ? `${first}/${REDACTED}` : first;
}

/** Values of query parameters named like secrets, redacted; names compared after decoding. */
function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const name = pair.slice(0, eq);
      let decoded: string;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A name that cannot be decoded cannot be judged: its value is not written.
        return `${name}=${REDACTED}`;
      }
      return SECRET_QUERY_NAME.test(decoded) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
}
