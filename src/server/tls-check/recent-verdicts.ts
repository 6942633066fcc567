import type { StoredVerdict } from './cache';

/**
 * Verdicts this instance has seen lately, kept in memory so a busy sender's
 * repeated checks do not reach the shared store. Held no longer than the
 * verdict itself nor than `ttlSeconds`; the oldest entry goes first when full.
 */
export class RecentVerdicts {
  readonly #entries = new Map<string, { verdict: StoredVerdict; until: number }>();

  constructor(
    private readonly ttlSeconds: number,
    private readonly maxEntries = 50_000,
  ) {}

  remember(verdict: StoredVerdict, now = Date.now()): void {
    if (this.ttlSeconds === 0) return;
    const until = Math.min(Date.parse(verdict.expiresAt), now + this.ttlSeconds * 1000);
    // Deleted first so a refreshed entry moves to the back of the eviction order.
    this.#entries.delete(verdict.domain);
    if (this.#entries.size >= this.maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(verdict.domain, { verdict, until });
  }

  /** The domain's verdict, marked as cached, while it holds. */
  get(domain: string, now = Date.now()): StoredVerdict | undefined {
    const hit = this.#entries.get(domain);
    if (hit === undefined || hit.until <= now) return undefined;
    return { ...hit.verdict, detail: { ...hit.verdict.detail, cached: true } };
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
