/**
 * Whether an error means the store cannot be reached right now (the database
 * restarting, failing over, refusing connections, or a connection cut) rather
 * than a fault in the request or the code. Such errors are answered 503
 * STORE_UNAVAILABLE with Retry-After, and the work is tried again later.
 */

/** Socket errors of a connection that could not be made or was cut. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // The embedded store's file is locked by another writer past the busy timeout.
  'SQLITE_BUSY',
]);

/**
 * PostgreSQL's own: class 08 (connection exception), the server shutting
 * down or starting up (57P01-57P03), too many connections (53300), and a
 * read-only standby during failover (25006).
 */
function isUnavailableSqlState(code: string): boolean {
  return /^08/.test(code) || ['57P01', '57P02', '57P03', '53300', '25006'].indexOf(code) >= 0;
}

/** What node-postgres says when a connection ends under it or cannot be had in time. */
const DRIVER_MESSAGES =
  /connection terminated|connection ended unexpectedly|timeout exceeded when trying to connect|client has encountered a connection error|client was closed and is not queryable|cannot use a pool after calling end/i;

export function isStoreUnavailable(error: unknown): boolean {
  let e: unknown = error;
  // The cause chain: Kysely and the driver wrap the socket's error.
  for (let depth = 0; depth < 5 && typeof e === 'object' && e !== null; depth++) {
    const { code, message, errors, cause } = e as {
      code?: unknown;
      message?: unknown;
      errors?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || isUnavailableSqlState(code))) return true;
    if (typeof message === 'string' && DRIVER_MESSAGES.test(message)) return true;
    // Node's connect tries every address of a name and reports them together.
    if (Array.isArray(errors) && errors.some((inner) => isStoreUnavailable(inner))) return true;
    e = cause;
  }
  return false;
}
