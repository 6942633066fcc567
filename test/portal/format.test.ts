import { describe, expect, it } from 'vitest';
import type { ThreadSummary } from '../../src/shared/portal-api';
import { expiryText, formatSize, isExpired, personLabel, sortThreads } from '../../src/portal/format';
import { attachmentProblem, dataUrlToBase64, MAX_ATTACHMENT_BYTES } from '../../src/portal/files';
import { newPasswordProblems, passwordLengthNote, PASSWORD_HINT } from '../../src/portal/passwords';

const NOW = Date.parse('2026-11-02T12:00:00Z');

function summary(id: string, lastMessageAt: string): ThreadSummary {
  return {
    id,
    subject: id,
    correspondent: { address: 'rep@plan.example' },
    lastMessageAt,
    messageCount: 1,
    unread: false,
    expiresAt: '2026-12-01T00:00:00Z',
  };
}

describe('format', () => {
  it('sorts threads newest first without changing the input', () => {
    const input = [
      summary('a', '2026-11-01T10:00:00Z'),
      summary('c', '2026-11-02T10:00:00Z'),
      summary('b', '2026-10-01T10:00:00Z'),
    ];
    expect(sortThreads(input).map((t) => t.id)).toEqual(['c', 'a', 'b']);
    expect(input.map((t) => t.id)).toEqual(['a', 'c', 'b']);
  });

  it('says when a message expires, in days and with the date', () => {
    expect(expiryText('2026-11-01T00:00:00Z', NOW, 'en-US')).toMatch(/^Expired Nov 1, 2026$/);
    expect(expiryText('2026-11-02T18:00:00Z', NOW, 'en-US')).toMatch(/^Expires today/);
    expect(expiryText('2026-11-03T18:00:00Z', NOW, 'en-US')).toMatch(/^Expires tomorrow/);
    expect(expiryText('2026-11-12T13:00:00Z', NOW, 'en-US')).toMatch(/^Expires in 10 days, Nov 12, 2026$/);
    expect(expiryText('not a date', NOW)).toBe('');
    expect(isExpired('2026-11-02T12:00:00Z', NOW)).toBe(true);
    expect(isExpired('2026-11-02T12:00:01Z', NOW)).toBe(false);
  });

  it('prints sizes people read', () => {
    expect(formatSize(512)).toBe('512 B');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(200 * 1024)).toBe('200 KB');
    expect(formatSize(3.5 * 1024 * 1024)).toBe('3.5 MB');
    expect(formatSize(-1)).toBe('');
  });

  it('labels a person by name and address, or address alone', () => {
    expect(personLabel({ address: 'rep@plan.example', name: 'Dana Reyes' })).toBe(
      'Dana Reyes <rep@plan.example>',
    );
    expect(personLabel({ address: 'rep@plan.example', name: '  ' })).toBe('rep@plan.example');
    expect(personLabel({ address: 'rep@plan.example' })).toBe('rep@plan.example');
  });
});

describe('files', () => {
  it('takes the base64 out of a data URL, and refuses anything else', () => {
    expect(dataUrlToBase64('data:text/plain;base64,aGk=')).toBe('aGk=');
    expect(dataUrlToBase64('data:application/octet-stream;base64,')).toBe('');
    expect(() => dataUrlToBase64('data:text/plain,hi')).toThrow();
    expect(() => dataUrlToBase64('aGk=')).toThrow();
  });

  it('refuses too many, too large and empty files before reading them', () => {
    const one = { name: 'a.pdf', size: 10 };
    expect(attachmentProblem([], [one])).toBeUndefined();
    expect(
      attachmentProblem(
        Array.from({ length: 10 }, () => one),
        [one],
      ),
    ).toMatch(/at most 10/);
    expect(attachmentProblem([], [{ name: 'big.iso', size: MAX_ATTACHMENT_BYTES + 1 }])).toMatch(
      /big\.iso.*25 MB/,
    );
    expect(attachmentProblem([], [{ name: 'empty.txt', size: 0 }])).toMatch(/empty\.txt is empty/);
  });
});

describe('passwords', () => {
  it('asks for length only: at least 8, 15 recommended, no composition rules', () => {
    expect(PASSWORD_HINT).toMatch(/8 characters/);
    expect(PASSWORD_HINT).toMatch(/15/);
    expect(newPasswordProblems('', '')).toEqual({ password: 'Enter a password.' });
    expect(newPasswordProblems('short', 'short').password).toMatch(/at least 8/);
    expect(newPasswordProblems('alllowercaseletters', 'alllowercaseletters')).toEqual({});
    expect(newPasswordProblems('12345678', '12345678')).toEqual({});
    expect(newPasswordProblems('x'.repeat(129), 'x'.repeat(129)).password).toMatch(/at most 128/);
  });

  it('checks the confirmation only once the password itself is acceptable', () => {
    expect(newPasswordProblems('correct horse battery', 'correct horse')).toEqual({
      passwordConfirm: 'The two passwords differ.',
    });
    expect(newPasswordProblems('correct horse battery', '').passwordConfirm).toMatch(/again/);
    expect(newPasswordProblems('short', 'other')).toEqual({ password: 'Use at least 8 characters.' });
  });

  it('counts characters as they are typed', () => {
    expect(passwordLengthNote('')).toBe('');
    expect(passwordLengthNote('abc')).toBe('3 of at least 8 characters');
    expect(passwordLengthNote('abcdefghij')).toMatch(/long enough; 15 or more/);
    expect(passwordLengthNote('a'.repeat(20))).toBe('20 characters: good');
  });
});
