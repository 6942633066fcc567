/** The pure rules behind a verdict: names, MTA-STS parsing and matching, the SSRF guard, combining MX. */
import { describe, expect, it } from 'vitest';
import { refuseAddress } from '../../../src/server/tls-check/address-guard';
import { coversAll, mxMatches, parsePolicy, parseStsTxt } from '../../../src/server/tls-check/mta-sts';
import { combineMx, expiryOf, readPolicy } from '../../../src/server/tls-check/verdict';
import type { TlsLevel } from '../../../src/shared/org-policy';
import { normalizeMailDomain, type MxEvidence } from '../../../src/shared/tls-verdict';

describe('normalizeMailDomain', () => {
  it.each([
    ['Example.ORG', 'example.org'],
    ['  mail.example.org.  ', 'mail.example.org'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['ＥＸＡＭＰＬＥ.com', 'example.com'],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example'],
    ['a-b.c-d.test', 'a-b.c-d.test'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeMailDomain(input)).toBe(expected);
  });

  it.each([
    '',
    '.',
    'localhost',
    'a@b.com',
    'user@example.org',
    'http://example.org',
    'example.org/path',
    'example.org:25',
    'exa mple.org',
    '-bad.example',
    'bad-.example',
    '127.0.0.1',
    '0x7f.1',
    '2130706433',
    '[::1]',
    '::1',
    'example..org',
    `${'a'.repeat(64)}.example`,
    `${'abcdefghi.'.repeat(26)}com`,
    'example.org%00.evil',
    'ex\u0000ample.org',
    '*.example.org',
  ])('refuses %j', (input) => {
    expect(normalizeMailDomain(input)).toBeNull();
  });
});

describe('MTA-STS', () => {
  it('reads the id from exactly one v=STSv1 TXT record', () => {
    expect(parseStsTxt(['v=STSv1; id=20260101T000000;'])).toEqual({ id: '20260101T000000' });
    expect(parseStsTxt(['v=spf1 -all'])).toBeNull();
    expect(parseStsTxt(['v=STSv1; id=a;', 'v=STSv1; id=b;'])).toEqual({
      error: 'more than one v=STSv1 TXT record',
    });
    expect(parseStsTxt(['v=STSv1; id=not-alnum;'])).toHaveProperty('error');
    expect(parseStsTxt(['v=STSv1;'])).toHaveProperty('error');
  });

  it('parses a policy and refuses malformed ones', () => {
    const ok = parsePolicy(
      'version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n',
    );
    expect(ok).toEqual({ mode: 'enforce', mx: ['mail.example.com', '*.example.net'], maxAge: 604800 });
    expect(parsePolicy('version: STSv1\nmode: testing\nmx: a.example\nmax_age: 99999999999\n')).toEqual({
      error: 'policy max_age is missing or not a number',
    });
    expect(parsePolicy('version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 99999999\n')).toMatchObject({
      maxAge: 31_557_600,
    });
    expect(parsePolicy('version: STSv2\nmode: enforce\nmx: a.example\nmax_age: 1\n')).toHaveProperty('error');
    expect(parsePolicy('version: STSv1\nmode: strict\nmx: a.example\nmax_age: 1\n')).toHaveProperty('error');
    expect(parsePolicy('version: STSv1\nmode: enforce\nmax_age: 1\n')).toHaveProperty('error');
    expect(parsePolicy('version: STSv1\nmode: enforce\nmx: *.*.example\nmax_age: 1\n')).toHaveProperty(
      'error',
    );
    expect(parsePolicy('<html>not a policy</html>')).toHaveProperty('error');
  });

  it.each([
    ['mail.example.com', 'mail.example.com', true],
    ['mail.example.com', 'MAIL.example.com.', true],
    ['mail.example.com', 'mx.example.com', false],
    ['*.example.com', 'mx1.example.com', true],
    ['*.example.com', 'example.com', false],
    ['*.example.com', 'a.b.example.com', false],
    ['*.example.com', 'mx1.example.com.evil.test', false],
    ['*.example.com', 'mx1.notexample.com', false],
  ])('pattern %j matches %j: %j', (pattern, host, expected) => {
    expect(mxMatches(pattern, host)).toBe(expected);
  });

  it('covers a domain only when every MX matches', () => {
    expect(coversAll({ mx: ['*.example.com'] }, ['a.example.com', 'b.example.com'])).toBe(true);
    expect(coversAll({ mx: ['*.example.com'] }, ['a.example.com', 'b.other.com'])).toBe(false);
    expect(coversAll({ mx: ['*.example.com'] }, [])).toBe(false);
  });
});

describe('SSRF guard', () => {
  it.each([
    ['127.0.0.1', false, 'loopback'],
    ['127.45.6.7', false, 'loopback'],
    ['10.1.2.3', false, 'private'],
    ['172.16.0.1', false, 'private'],
    ['192.168.1.1', false, 'private'],
    ['100.64.0.1', false, 'private'],
    ['::1', false, 'loopback'],
    ['fd12::1', false, 'private'],
    ['::ffff:10.0.0.1', false, 'private'],
    ['::ffff:127.0.0.1', false, 'loopback'],
    ['169.254.169.254', true, 'metadata'],
    ['169.254.169.254', false, 'metadata'],
    ['fd00:ec2::254', true, 'metadata'],
    ['169.254.1.1', true, 'public unicast'],
    ['fe80::1', true, 'public unicast'],
    ['0.0.0.0', true, 'public unicast'],
    ['224.0.0.1', true, 'public unicast'],
    ['255.255.255.255', true, 'public unicast'],
    ['not-an-ip', true, 'not an IP'],
  ])('refuses %s (allowPrivate %s)', (address, allowPrivate, why) => {
    expect(refuseAddress(address, allowPrivate)).toContain(why);
  });

  it('lets public addresses through, and private ones only when allowed', () => {
    expect(refuseAddress('93.184.215.14', false)).toBeNull();
    expect(refuseAddress('2606:2800:21f:cb07:6820:80da:af6b:8b2c', false)).toBeNull();
    expect(refuseAddress('127.0.0.1', true)).toBeNull();
    expect(refuseAddress('10.0.0.1', true)).toBeNull();
  });
});

function mx(host: string, status: MxEvidence['status'], level: TlsLevel, validTo?: string): MxEvidence {
  return {
    host,
    priority: 10,
    address: '192.0.2.1',
    status,
    level,
    greeting: null,
    starttls: null,
    protocol: null,
    cipher: null,
    certificate:
      validTo === undefined
        ? null
        : { subject: '', issuer: '', altNames: [], validFrom: validTo, validTo, fingerprint256: '' },
    trusted: null,
    nameMatches: null,
    validationError: null,
    error: null,
    elapsedMs: 1,
  };
}

describe('combining MX evidence', () => {
  const enforce = {
    status: 'valid' as const,
    id: '1',
    mode: 'enforce' as const,
    mx: ['*.example'],
    maxAge: 86400,
    coversMx: true,
    error: null,
  };

  it('takes the weakest reachable MX', () => {
    expect(combineMx([mx('a', 'probed', 'verified'), mx('b', 'probed', 'none')], null).level).toBe('none');
    expect(combineMx([mx('a', 'probed', 'verified'), mx('b', 'probed', 'opportunistic')], null).level).toBe(
      'opportunistic',
    );
  });

  it('leaves out MX hosts that could not be reached, and says so', () => {
    const r = combineMx([mx('a', 'probed', 'verified'), mx('b', 'unreachable', 'unknown')], null);
    expect(r.level).toBe('verified');
    expect(r.message).toContain('1 MX host(s) not reached');
  });

  it('is unknown when an MX failed mid-way, never none', () => {
    const r = combineMx([mx('a', 'probed', 'verified'), mx('b', 'error', 'unknown')], null);
    expect(r).toMatchObject({ level: 'unknown', reason: 'mx-error' });
  });

  it('is unknown when nothing was reached, or everything refused', () => {
    expect(combineMx([mx('a', 'unreachable', 'unknown')], null).reason).toBe('all-mx-unreachable');
    expect(combineMx([mx('a', 'refused', 'unknown')], null).reason).toBe('refused-address');
  });

  it('earns mta-sts only with an enforce policy that covers every MX', () => {
    const all = [mx('a', 'probed', 'verified')];
    expect(combineMx(all, enforce).level).toBe('mta-sts');
    expect(combineMx(all, { ...enforce, mode: 'testing' }).level).toBe('verified');
    expect(combineMx(all, { ...enforce, coversMx: false }).level).toBe('verified');
    expect(combineMx([mx('a', 'probed', 'opportunistic')], enforce).level).toBe('opportunistic');
  });

  it('keeps good verdicts longer than weak ones, unknown shortest, and not past a certificate', () => {
    const ttls = { ttlGoodSeconds: 3600, ttlWeakSeconds: 600, ttlUnknownSeconds: 30 };
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(expiryOf('verified', [], now, ttls) - now).toBe(3_600_000);
    expect(expiryOf('none', [], now, ttls) - now).toBe(600_000);
    expect(expiryOf('unknown', [], now, ttls) - now).toBe(30_000);
    const soon = [mx('a', 'probed', 'verified', '2026-01-01T00:10:00Z')];
    expect(expiryOf('verified', soon, now, ttls) - now).toBe(600_000);
  });
});

describe('policy overrides', () => {
  const policy = {
    tlsMinimum: 'verified' as const,
    alwaysSecure: ['gmail.com'],
    knownGood: ['partner.example'],
  };

  it('keeps the measured level and says which override applies', () => {
    expect(readPolicy('gmail.com', 'mta-sts', policy)).toEqual({
      override: 'always-secure',
      minimumLevel: 'verified',
      protected: false,
    });
    expect(readPolicy('mx.partner.example', 'none', policy)).toMatchObject({
      override: 'known-good',
      protected: true,
    });
    expect(readPolicy('notpartner.example', 'none', policy)).toMatchObject({
      override: null,
      protected: false,
    });
    expect(readPolicy('clinic.example', 'verified', policy).protected).toBe(true);
    expect(readPolicy('clinic.example', 'opportunistic', policy).protected).toBe(false);
    expect(readPolicy('clinic.example', 'unknown', { ...policy, tlsMinimum: 'unknown' }).protected).toBe(
      false,
    );
  });
});
