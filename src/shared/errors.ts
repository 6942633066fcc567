/**
 * Every error the API returns, with its HTTP status. Clients branch on `code`;
 * `message` is for people and may change. One registry, so a code means the
 * same thing on every route.
 */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_ADDRESS: 400,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  UNAUTHENTICATED: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_INVALID: 401,
  TOKEN_WRONG_AUDIENCE: 401,
  TOKEN_WRONG_ISSUER: 401,
  TOKEN_WRONG_TENANT: 401,
  TOKEN_MISSING_SCOPE: 401,
  /** A domain name in a TLS check request is not a valid mail domain. */
  INVALID_DOMAIN: 400,
  /** A TLS check asked about more domains than one request may. */
  TOO_MANY_DOMAINS: 400,
  /** The password is too short, too long or on the list of common passwords. */
  PASSWORD_REJECTED: 400,
  /** A password-reset or registration token that is unknown, used or expired. */
  TOKEN_NOT_VALID: 400,
  /** Wrong address or password; deliberately does not say which. */
  SIGN_IN_FAILED: 401,
  /** No portal session, or it ended (idle or absolute limit, sign-out, reset). */
  SESSION_REQUIRED: 401,
  FORBIDDEN: 403,
  /** A state-changing portal request without the right CSRF token or Origin. */
  CSRF_REJECTED: 403,
  NOT_FOUND: 404,
  IDEMPOTENCY_CONFLICT: 409,
  /** Sending flagged mail as is needs a reason under this organisation's policy, or the reason given holds sensitive data. */
  OVERRIDE_REASON_REJECTED: 400,
  /** The sender's add-in asked what became of this send and was told "not sent": it will not be made now. */
  SEND_WITHDRAWN: 409,
  /** The recipient already registered: sign in instead. */
  ALREADY_REGISTERED: 409,
  /** The secure message or link is past its expiry. */
  EXPIRED: 410,
  /** The sender withdrew the secure message. */
  REVOKED: 410,
  ENVELOPE_TOO_LARGE: 413,
  ATTACHMENT_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** A recipient's attachment of a type the organisation does not accept from outside (programs, web pages). */
  ATTACHMENT_TYPE_REFUSED: 415,
  RATE_LIMITED: 429,
  /** A recipient sent as many portal messages, or attachment bytes, as the period allows. */
  MESSAGE_LIMIT_REACHED: 429,
  INTERNAL: 500,
  STORE_UNAVAILABLE: 503,
  /** The browser bundles (add-in, portal) were not built on this server: `npm run build`. */
  NOT_BUILT: 503,
  /** The identity provider's signing keys could not be fetched. */
  AUTH_UNAVAILABLE: 503,
  /** A request body larger than its route accepts; the message names the limit. */
  REQUEST_TOO_LARGE: 413,
  /** A JSON body nested deeper than any request of the API is. */
  JSON_TOO_DEEP: 400,
  /** Too many passwords being checked at once, server-wide: try again after Retry-After seconds. */
  SIGN_IN_BUSY: 503,
  /** This instance is stopping (its health says so first); another instance, or this one restarted, answers. */
  SHUTTING_DOWN: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The body of every error response. */
export interface ApiError {
  code: ErrorCode;
  message: string;
}
