/**
 * TLS verdicts of recipient domains from `POST /v1/tls/check`, kept for the
 * compose session (in memory and in the draft's session data, which the task
 * pane and the on-send handler share), so the send usually asks nothing.
 * Only domain names leave the client, with the sender's bearer token: the
 * server probes domains it has not seen for signed-in senders only. A verdict
 * that could not be reached ("unknown") is never kept: the next look asks again.
 */
import type { TlsLevel } from '../../shared/org-policy';
import type { TlsCheckResponse } from '../../shared/tls-verdict';
import type { ComposeItem } from '../office/types';
import { type FetchLike, requestJson } from './http';

export interface DomainVerdict {
  level: TlsLevel;
  /** How the organisation's policy reads the level, as the server said. */
  protected: boolean;
  /** Epoch milliseconds after which the verdict is asked for again. */
  expiresAt: number;
  /** The server's explanation, for the task pane. */
  message: string;
}

/** The sender's access token, within `timeoutMs` (TokenSource.get for the mailbox's user). */
export type BearerToken = (timeoutMs: number) => Promise<string>;

const SESSION_KEY = 'se.tls';
/** Session data is small (50,000 characters for the whole add-in): keep at most this many domains. */
const MAX_KEPT = 100;

export class TlsSource {
  private readonly memory = new Map<string, DomainVerdict>();
  private loaded = false;

  constructor(
    private readonly apiBase: string,
    private readonly fetchFn: FetchLike,
    private readonly token: BearerToken,
    private readonly now: () => number = Date.now,
  ) {}

  /** Verdicts for `domains`; a domain missing from the answer could not be checked in time. */
  async verdicts(
    item: ComposeItem,
    domains: string[],
    timeoutMs: number,
  ): Promise<Map<string, DomainVerdict>> {
    if (!this.loaded) await this.loadSession(item);
    const out = new Map<string, DomainVerdict>();
    const missing: string[] = [];
    for (const d of domains) {
      const v = this.memory.get(d);
      if (v !== undefined && v.expiresAt > this.now()) out.set(d, v);
      else missing.push(d);
    }
    if (missing.length === 0) return out;
    // Signing in shares the caller's time with the request; a sender who cannot
    // sign in gets no verdict (an error), which callers treat as unprotected.
    const started = this.now();
    const token = await this.token(timeoutMs);
    const { body } = await requestJson<TlsCheckResponse>(this.fetchFn, `${this.apiBase}/v1/tls/check`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
      body: { domains: missing },
      timeoutMs: timeoutMs - (this.now() - started),
    });
    missing.forEach((asked, i) => {
      const r = body.results[i];
      if (r === undefined) return;
      const verdict: DomainVerdict = {
        level: r.level,
        protected: r.policy.protected,
        expiresAt: Math.min(Date.parse(r.expiresAt) || 0, this.now() + 6 * 3600 * 1000),
        message: r.detail.message,
      };
      out.set(asked, verdict);
      if (r.level !== 'unknown') this.memory.set(asked, verdict);
    });
    await this.saveSession(item);
    return out;
  }

  private async loadSession(item: ComposeItem): Promise<void> {
    this.loaded = true;
    try {
      const raw = await item.getSessionValue(SESSION_KEY);
      if (raw === null) return;
      const stored = JSON.parse(raw) as Record<string, DomainVerdict>;
      for (const d of Object.keys(stored)) {
        const v = stored[d];
        if (v !== undefined && typeof v.level === 'string' && typeof v.expiresAt === 'number')
          this.memory.set(d, v);
      }
    } catch {
      // A damaged entry only costs a fresh check.
    }
  }

  private async saveSession(item: ComposeItem): Promise<void> {
    const kept: Record<string, DomainVerdict> = {};
    let n = 0;
    this.memory.forEach((v, d) => {
      if (n++ < MAX_KEPT) kept[d] = { ...v, message: v.message.slice(0, 200) };
    });
    await item.setSessionValue(SESSION_KEY, JSON.stringify(kept)).catch(() => undefined);
  }
}
