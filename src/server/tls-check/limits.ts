/**
 * Probe budgets: how many new probes a client (a signed-in sender, for the
 * API), and all clients together, may start a minute (fixed one-minute
 * windows), and how many run at once.
 */
export class ProbeBudget {
  private windowStart = 0;
  private global = 0;
  private readonly perClient = new Map<string, number>();

  constructor(
    private readonly clientPerMinute: number,
    private readonly globalPerMinute: number,
  ) {}

  /** Takes one probe from the client's and the global budget; false when either is spent. */
  take(client: string, now = Date.now()): boolean {
    if (now - this.windowStart >= 60_000) {
      this.windowStart = now;
      this.global = 0;
      this.perClient.clear();
    }
    const used = this.perClient.get(client) ?? 0;
    if (used >= this.clientPerMinute || this.global >= this.globalPerMinute) return false;
    this.perClient.set(client, used + 1);
    this.global++;
    return true;
  }
}

/** At most `limit` tasks at once; the rest wait their turn in order. */
export class Semaphore {
  private running = 0;
  private readonly queue: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) {
      await new Promise<void>((resolve) => {
        this.queue.push(resolve);
      });
    } else {
      this.running++;
    }
    try {
      return await task();
    } finally {
      const next = this.queue.shift();
      if (next !== undefined) next();
      else this.running--;
    }
  }
}
