import { readFileSync } from 'node:fs';
import { hash, verify } from '@node-rs/argon2';
import { PASSWORD_MAX, PASSWORD_MIN } from '../../shared/portal-api';
import { HttpError } from '../errors';
import type { PortalConfig } from './config';

/**
 * Recipient passwords, as NIST SP 800-63B asks: length is what counts (at
 * least 8, up to 128), no composition rules, and a password that is on the
 * bundled list of common choices, or is one of them dressed up with digits
 * and symbols ("Sunshine2024!"), or is the address itself, is refused.
 * Stored as argon2id at OWASP's recommended cost.
 */

let common: ReadonlySet<string> | undefined;
function commonPasswords(): ReadonlySet<string> {
  common ??= new Set(
    readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l !== ''),
  );
  return common;
}

/** NFKC, so a password typed on another keyboard or device still matches (SP 800-63B 5.1.1.2). */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

/** Look-alike digits and symbols read back as the letters they stand for. */
function unleet(s: string): string {
  return s
    .replace(/0/g, 'o')
    .replace(/[@4]/g, 'a')
    .replace(/3/g, 'e')
    .replace(/[1!]/g, 'i')
    .replace(/\$/g, 's')
    .replace(/7/g, 't');
}

function isLetter(c: string): boolean {
  return c.toLowerCase() !== c.toUpperCase();
}

/** Drops digits, punctuation and spaces from both ends: "!!Monkey99" → "Monkey". */
function stemOf(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && !isLetter(s.charAt(start))) start++;
  while (end > start && !isLetter(s.charAt(end - 1))) end--;
  return s.slice(start, end);
}

/** Why a password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string, address: string): string | undefined {
  const p = normalisePassword(password);
  const length = Array.from(p).length;
  if (length < PASSWORD_MIN) return `use at least ${PASSWORD_MIN} characters`;
  if (length > PASSWORD_MAX) return `use at most ${PASSWORD_MAX} characters`;
  const lower = p.toLowerCase();
  const list = commonPasswords();
  const onList = 'it is on a list of commonly used passwords; choose a longer phrase of your own';
  if (list.has(lower)) return onList;
  // One character, or one short run, repeated: "aaaaaaaa", "abcabcabc".
  if (/^(.{1,3})\1+$/u.test(lower)) return onList;
  // A listed word with digits or symbols added around it ("Password2024!", "!!monkey99").
  const stem = stemOf(lower);
  const bare = stem.startsWith('my') ? stem.slice(2) : stem;
  for (const candidate of [stem, bare, unleet(stem), stemOf(unleet(bare))]) {
    if (candidate.length >= 3 && list.has(candidate)) return onList;
  }
  const local = stemOf(address.split('@')[0] ?? '');
  if (lower.includes(address) || (local.length >= 4 && stemOf(lower) === local)) {
    return 'it is built from your e-mail address; choose something else';
  }
  return undefined;
}

/** Throws PASSWORD_REJECTED with a message the person can act on. */
export function assertAcceptablePassword(password: string, address: string): void {
  const problem = passwordProblem(password, address);
  if (problem !== undefined)
    throw new HttpError('PASSWORD_REJECTED', `This password cannot be used: ${problem}.`);
}

export class PasswordHasher {
  readonly #options;
  /** A hash of nothing anyone knows: verified against when there is no account, so both cost the same. */
  #dummy: Promise<string> | undefined;

  constructor(config: PortalConfig['argon2']) {
    // The library's default algorithm is argon2id; hashes say so ($argon2id$), and a test checks it.
    this.#options = {
      memoryCost: config.memoryKiB,
      timeCost: config.passes,
      parallelism: config.lanes,
    };
  }

  hash(password: string): Promise<string> {
    return hash(normalisePassword(password), this.#options);
  }

  /** Verifies against `stored`, or (no account) against a dummy at the same cost, and answers false. */
  async verify(stored: string | undefined, password: string): Promise<boolean> {
    if (stored === undefined) {
      this.#dummy ??= hash(`no account ${String(Math.random())}`, this.#options);
      await verify(await this.#dummy, normalisePassword(password)).catch(() => false);
      return false;
    }
    try {
      return await verify(stored, normalisePassword(password));
    } catch {
      return false;
    }
  }
}
