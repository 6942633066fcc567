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
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  IDEMPOTENCY_CONFLICT: 409,
  ENVELOPE_TOO_LARGE: 413,
  ATTACHMENT_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  STORE_UNAVAILABLE: 503,
  /** The identity provider's signing keys could not be fetched. */
  AUTH_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The body of every error response. */
export interface ApiError {
  code: ErrorCode;
  message: string;
}
