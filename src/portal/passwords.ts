import { PASSWORD_MAX, PASSWORD_MIN, PASSWORD_RECOMMENDED } from '../shared/password-rules';

/**
 * What the portal says about a new password. Length is the only rule (no
 * composition rules); the server has the last word and may refuse a common
 * password with PASSWORD_REJECTED, whose message is shown as it comes.
 */

export const PASSWORD_HINT = `At least ${PASSWORD_MIN} characters; ${PASSWORD_RECOMMENDED} or more is recommended. Any characters, spaces too: a few unrelated words make a strong password that is easy to remember.`;

/** A counter shown while typing, so the length rule is never a surprise. */
export function passwordLengthNote(password: string): string {
  const n = password.length;
  if (n === 0) return '';
  if (n < PASSWORD_MIN) return `${n} of at least ${PASSWORD_MIN} characters`;
  if (n < PASSWORD_RECOMMENDED)
    return `${n} characters: long enough; ${PASSWORD_RECOMMENDED} or more is stronger`;
  if (n > PASSWORD_MAX) return `${n} characters: at most ${PASSWORD_MAX}, please`;
  return `${n} characters: good`;
}

export interface NewPasswordProblems {
  password?: string;
  passwordConfirm?: string;
}

/** Field-by-field problems with a new password and its confirmation; empty when both are fine. */
export function newPasswordProblems(password: string, passwordConfirm: string): NewPasswordProblems {
  const problems: NewPasswordProblems = {};
  const n = password.length;
  if (n === 0) problems.password = 'Enter a password.';
  else if (n < PASSWORD_MIN) problems.password = `Use at least ${PASSWORD_MIN} characters.`;
  else if (password.length > PASSWORD_MAX) problems.password = `Use at most ${PASSWORD_MAX} characters.`;
  if (problems.password === undefined && passwordConfirm !== password) {
    problems.passwordConfirm =
      passwordConfirm === '' ? 'Enter the password again to confirm it.' : 'The two passwords differ.';
  }
  return problems;
}
