import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../../src/server/portal/passwords';

const ADDRESS = 'mgarcia@clinic.example';

describe('password rules (NIST SP 800-63B)', () => {
  it('bundles a list of a few thousand common passwords', () => {
    const list = readFileSync(
      new URL('../../../src/server/portal/common-passwords.txt', import.meta.url),
      'utf8',
    )
      .split('\n')
      .filter((l) => l !== '');
    expect(list.length).toBeGreaterThan(2000);
    expect(list.length).toBeLessThan(20_000);
    expect(list).toContain('password');
    expect(list).toContain('1q2w3e4r');
  });

  it.each([
    ['password', 'list'],
    ['Password1', 'list'],
    ['PASSWORD2025!', 'list'],
    ['p@$$w0rd99', 'list'],
    ['Sunshine2024!', 'list'],
    ['!!Monkey1234', 'list'],
    ['mypassword1', 'list'],
    ['qwerty123456', 'list'],
    ['1q2w3e4r5t', 'list'],
    ['11111111', 'list'],
    ['xoxoxoxo', 'list'],
    ['Jennifer1985', 'list'],
    ['december2026', 'list'],
    ['Mgarcia!2026', 'address'],
    ['my mgarcia@clinic.example', 'address'],
    ['short', 'characters'],
  ])('refuses %s', (password, reason) => {
    expect(passwordProblem(password, ADDRESS)).toContain(
      reason === 'list' ? 'commonly used' : reason === 'address' ? 'e-mail address' : 'at least 8',
    );
  });

  it.each([
    'correct horse battery staple',
    'Maple syrup on a Tuesday',
    'blue heron walks at dawn',
    'tröpfchen-im-regen',
    '九月の雨が降っている',
    'passwordless login is the future',
    'Jennifer drives a green tractor',
    'the quick brown fox jumps over the lazy dog '.repeat(3).slice(0, 128),
  ])('accepts %s', (password) => {
    expect(passwordProblem(password, ADDRESS)).toBeUndefined();
  });
});
