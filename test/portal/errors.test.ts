import { describe, expect, it } from 'vitest';
import { toApiError } from '../../src/portal/api/client';
import { asSentence, errorText, friendlyMessage, PortalError } from '../../src/portal/api/errors';
import { ERROR_STATUS, type ErrorCode } from '../../src/shared/errors';

describe('friendlyMessage', () => {
  it('shows the server message for codes whose message names the rule', () => {
    expect(friendlyMessage('PASSWORD_REJECTED', 'that password is on a list of common passwords')).toBe(
      'That password is on a list of common passwords.',
    );
    expect(friendlyMessage('ATTACHMENT_TOO_LARGE', 'attachments may be at most 25 MB')).toBe(
      'Attachments may be at most 25 MB.',
    );
    expect(friendlyMessage('RATE_LIMITED', 'too many requests; try again in 30 s')).toBe(
      'Too many requests; try again in 30 s.',
    );
  });

  it('uses fixed words for codes whose meaning does not depend on the request', () => {
    expect(friendlyMessage('SIGN_IN_FAILED', 'wrong address or password')).toMatch(/do not match/);
    expect(friendlyMessage('EXPIRED', 'gone')).toMatch(/expired/);
    expect(friendlyMessage('REVOKED', 'gone')).toMatch(/withdrew/);
    expect(friendlyMessage('NETWORK', '')).toMatch(/connection/);
    expect(friendlyMessage('INTERNAL', 'TypeError: x is undefined at foo.js:1')).not.toMatch(/TypeError/);
  });

  it('never returns a blank message, for every code in the registry', () => {
    for (const code of Object.keys(ERROR_STATUS) as ErrorCode[]) {
      expect(friendlyMessage(code, '').length, code).toBeGreaterThan(10);
      expect(friendlyMessage(code, 'something happened').length, code).toBeGreaterThan(10);
    }
  });

  it('falls back to a generic sentence for anything that is not a PortalError', () => {
    expect(errorText(new Error('boom at line 3'))).toBe('Something went wrong. Please try again.');
    expect(errorText('x')).toBe('Something went wrong. Please try again.');
  });

  it('makes terse messages read as sentences', () => {
    expect(asSentence('  try again  ')).toBe('Try again.');
    expect(asSentence('Done!')).toBe('Done!');
    expect(asSentence('')).toBe('');
  });
});

describe('toApiError', () => {
  it('keeps the code and message of an API error body', () => {
    const e = toApiError(400, { code: 'PASSWORD_REJECTED', message: 'too short' });
    expect(e).toBeInstanceOf(PortalError);
    expect([e.code, e.message, e.status]).toEqual(['PASSWORD_REJECTED', 'too short', 400]);
  });

  it('maps a code it does not know to UNKNOWN but keeps the message', () => {
    const e = toApiError(418, { code: 'TEAPOT', message: 'short and stout' });
    expect([e.code, e.message]).toEqual(['UNKNOWN', 'short and stout']);
  });

  it('does not trust a prototype key as a code', () => {
    expect(toApiError(400, { code: 'constructor', message: 'x' }).code).toBe('UNKNOWN');
  });

  it('names a missing answer as a network problem, and a proxy page by its status', () => {
    expect(toApiError(undefined, undefined).code).toBe('NETWORK');
    expect(toApiError(502, '<html>Bad gateway</html>').code).toBe('INTERNAL');
    expect(toApiError(401, '').code).toBe('SESSION_REQUIRED');
    expect(toApiError(429, '').code).toBe('RATE_LIMITED');
    expect(toApiError(404, 'nope').code).toBe('UNKNOWN');
  });
});
