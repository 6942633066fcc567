import { describe, expect, it } from 'vitest';
import { redactUrl } from '../../src/server/app';

describe('redactUrl: secrets in request URLs never reach a log line', () => {
  it.each([
    ['/r/AbC123-_xyz', '/r/[redacted]'],
    ['/r/AbC123?utm=1', '/r/[redacted]?utm=1'],
    ['/portal/reset/tok3n-value', '/portal/reset/[redacted]'],
    ['/portal/api/password/reset?token=abc&x=1', '/portal/api/password/reset?token=[redacted]&x=1'],
    ['/callback?code=secret', '/callback?code=[redacted]'],
  ])('%s → %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });

  it('leaves ordinary paths alone', () => {
    expect(redactUrl('/v1/envelopes/abc/resend')).toBe('/v1/envelopes/abc/resend');
    expect(redactUrl('/portal/api/threads/t1')).toBe('/portal/api/threads/t1');
  });
});
