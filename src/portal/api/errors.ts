import type { ErrorCode } from '../../shared/errors';

/** Codes the portal adds for failures that never reached the API. */
export type ClientErrorCode = 'NETWORK' | 'UNKNOWN';
export type PortalErrorCode = ErrorCode | ClientErrorCode;

/** A failed API call, carrying the API's stable code and its message for people. */
export class PortalError extends Error {
  readonly code: PortalErrorCode;
  readonly status: number;

  constructor(code: PortalErrorCode, message: string, status = 0) {
    super(message);
    this.name = 'PortalError';
    this.code = code;
    this.status = status;
  }
}

/**
 * Codes whose API message is the most useful thing to show: it names the limit
 * or the rule that was not met (password length, attachment size, wait time).
 */
const SERVER_MESSAGE_FIRST = new Set<PortalErrorCode>([
  'PASSWORD_REJECTED',
  'VALIDATION_FAILED',
  'INVALID_ADDRESS',
  'ATTACHMENT_TOO_LARGE',
  'ENVELOPE_TOO_LARGE',
  'RATE_LIMITED',
  'SIGN_IN_BUSY',
]);

/** Fixed text for codes whose meaning does not depend on the request. */
const FRIENDLY: Partial<Record<PortalErrorCode, string>> = {
  SIGN_IN_FAILED: 'That e-mail address and password do not match. Check both and try again.',
  SESSION_REQUIRED: 'Your session has ended. Please sign in again.',
  UNAUTHENTICATED: 'Your session has ended. Please sign in again.',
  CSRF_REJECTED: 'This page was open too long to send safely. Reload the page and try again.',
  FORBIDDEN: 'You do not have access to this message.',
  NOT_FOUND: 'We could not find that message. It may have been removed.',
  ALREADY_REGISTERED: 'You already have an account for this address. Sign in with your password.',
  TOKEN_NOT_VALID:
    'This link is no longer valid: it was already used, or it is too old. Request a new one to continue.',
  EXPIRED: 'This secure message has expired and can no longer be read.',
  REVOKED: 'The sender withdrew this secure message, so it can no longer be read.',
  UNSUPPORTED_MEDIA_TYPE: 'That file could not be sent. Try again or attach a different file.',
  STORE_UNAVAILABLE: 'The secure message service is busy right now. Please try again in a minute.',
  AUTH_UNAVAILABLE: 'The secure message service is busy right now. Please try again in a minute.',
  INTERNAL: 'Something went wrong on our side. Please try again; if it keeps happening, contact the sender.',
  NETWORK: 'We could not reach the secure message service. Check your connection and try again.',
  UNKNOWN: 'Something went wrong. Please try again.',
};

/** Makes a terse API message ("try again in 30 s") read as a sentence. */
export function asSentence(message: string): string {
  const trimmed = message.trim();
  if (trimmed === '') return '';
  const first = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

/** What to tell the person about a failed call: never a stack, never blank. */
export function friendlyMessage(code: PortalErrorCode, apiMessage: string): string {
  const fromServer = asSentence(apiMessage);
  if (SERVER_MESSAGE_FIRST.has(code) && fromServer !== '') return fromServer;
  return FRIENDLY[code] ?? (fromServer !== '' ? fromServer : (FRIENDLY.UNKNOWN ?? ''));
}

/** Any thrown value as a PortalError, so every catch can show something sensible. */
export function toPortalError(error: unknown): PortalError {
  if (error instanceof PortalError) return error;
  return new PortalError('UNKNOWN', '');
}

/** The text for any thrown value. */
export function errorText(error: unknown): string {
  const e = toPortalError(error);
  return friendlyMessage(e.code, e.message);
}

/** Whether a value looks like the API's `{code, message}` error body. */
export function isApiErrorBody(value: unknown): value is { code: string; message: string } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.message === 'string';
}
