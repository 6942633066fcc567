import type { ThreadSummary } from '../shared/portal-api';

/**
 * The inbox's last answer, in memory only: when a thread turns out to be
 * expired or withdrawn, the page can still name the representative to contact.
 * Cleared on sign-out.
 */
const summaries = new Map<string, ThreadSummary>();

export function rememberThreads(threads: readonly ThreadSummary[]): void {
  summaries.clear();
  for (const t of threads) summaries.set(t.id, t);
}

export function rememberedThread(id: string): ThreadSummary | undefined {
  return summaries.get(id);
}

export function forgetThreads(): void {
  summaries.clear();
}
