import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
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

/** SIGN_IN_BUSY, with how long to wait before trying again, for a Retry-After header. */
export class BusyError extends HttpError {
  constructor(readonly retryAfterSeconds: number) {
    super(
      'SIGN_IN_BUSY',
      `too many sign-ins are being checked right now; try again in ${retryAfterSeconds} s`,
    );
  }
}

/**
 * How many hashes run at once when the settings do not say: half the cores,
 * and never all of libuv's thread pool, which file reads and DNS lookups
 * share. argon2id is built to use a core fully for its whole run, so this is
 * what keeps a flood of sign-ins from starving every other request.
 */
function defaultConcurrency(): number {
  const pool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  return Math.max(1, Math.min(Math.floor(availableParallelism() / 2), pool - 1));
}

/**
 * argon2id hashing and verifying, server-wide through one bounded queue: at
 * most `maxConcurrent` run at once, at most `maxQueued` wait, and anything
 * past that is refused at once with SIGN_IN_BUSY (503) rather than queued
 * without bound. An address without an account is verified against a dummy
 * hash of the same cost, through the same queue, so it costs and takes the
 * same as a wrong password for one that has.
 */
export class PasswordHasher {
  readonly #options;
  readonly #maxConcurrent: number;
  readonly #maxQueued: number;
  /** A hash of nothing anyone knows: verified against when there is no account. */
  readonly #dummy: Promise<string>;
  #running = 0;
  readonly #waiting: (() => void)[] = [];
  /** Recent time one hash took, in ms, for the Retry-After estimate. */
  #typicalMs = 50;

  constructor(config: PortalConfig['argon2']) {
    // The library's default algorithm is argon2id; hashes say so ($argon2id$), and a test checks it.
    this.#options = {
      memoryCost: config.memoryKiB,
      timeCost: config.passes,
      parallelism: config.lanes,
    };
    this.#maxConcurrent = config.maxConcurrent ?? defaultConcurrency();
    this.#maxQueued = config.maxQueued;
    // Made once, up front, so the first unknown address does not pay for it (and stand out).
    this.#dummy = hash(`no account ${randomBytes(16).toString('hex')}`, this.#options);
    this.#dummy.catch(() => undefined);
  }

  /** Throws SIGN_IN_BUSY when a check started now would be refused: lets a caller shed load before any other work. */
  assertCapacity(): void {
    if (this.#running >= this.#maxConcurrent && this.#waiting.length >= this.#maxQueued) {
      throw this.#busy();
    }
  }

  /** Hashes and checks running and waiting right now. */
  load(): { running: number; waiting: number } {
    return { running: this.#running, waiting: this.#waiting.length };
  }

  hash(password: string): Promise<string> {
    return this.#inTurn(() => hash(normalisePassword(password), this.#options));
  }

  /**
   * Verifies against `stored`, or (no account) against the dummy at the same
   * cost, and answers false. Throws SIGN_IN_BUSY when the queue is full: then
   * nothing was checked.
   */
  async verify(stored: string | undefined, password: string): Promise<boolean> {
    // Awaited either way, so a known and an unknown address take the same steps.
    const dummy = await this.#dummy;
    const against = stored ?? dummy;
    const ok = await this.#inTurn(() => verify(against, normalisePassword(password)).catch(() => false));
    return stored !== undefined && ok;
  }

  async #inTurn<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#maxConcurrent) {
      if (this.#waiting.length >= this.#maxQueued) throw this.#busy();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running++;
    }
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.#typicalMs = 0.8 * this.#typicalMs + 0.2 * (performance.now() - started);
      // The slot passes straight to the next in line, so nobody can jump the queue.
      const next = this.#waiting.shift();
      if (next !== undefined) next();
      else this.#running--;
    }
  }

  #busy(): BusyError {
    // The time to work through what is queued now, at least a second.
    const ms = ((this.#waiting.length + this.#running) / this.#maxConcurrent) * this.#typicalMs;
    return new BusyError(Math.min(30, Math.max(1, Math.ceil(ms / 1000))));
  }
}
