/**
 * One piece of work per key at a time: a caller asking for a key whose work
 * is running joins it instead of starting another. The entry goes when the
 * work settles, so the next caller starts afresh (results are cached
 * elsewhere, not here).
 */
export class SingleFlight<V> {
  readonly #running = new Map<string, Promise<V>>();

  /** The work running for `key`, if any. */
  get(key: string): Promise<V> | undefined {
    return this.#running.get(key);
  }

  /** Joins the work running for `key`, or starts it with `start`. */
  run(key: string, start: () => Promise<V>): { work: Promise<V>; joined: boolean } {
    const running = this.#running.get(key);
    if (running !== undefined) return { work: running, joined: true };
    const work = start();
    this.#running.set(key, work);
    void work
      .finally(() => {
        // Only this work's own entry: a later one under the same key stays.
        if (this.#running.get(key) === work) this.#running.delete(key);
      })
      .catch(() => undefined);
    return { work, joined: false };
  }

  get size(): number {
    return this.#running.size;
  }
}
