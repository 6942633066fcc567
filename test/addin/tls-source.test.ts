/**
 * The add-in's TLS-check client: the server answers signed-in senders only,
 * so every request carries the sender's bearer token, signing in shares the
 * caller's time budget, and a sender who cannot sign in gets no verdict
 * (which callers treat as "not protected") without asking the server.
 */
import { describe, expect, it } from 'vitest';
import type { FetchLike } from '../../src/addin/core/http';
import { TlsSource } from '../../src/addin/core/tls-source';
import { TokenFailure } from '../../src/addin/core/token-source';
import type { ComposeItem } from '../../src/addin/office/types';

/** Only the session data the TLS source keeps its verdicts in. */
function draft(): ComposeItem {
  const session = new Map<string, string>();
  return {
    getSessionValue: (key: string) => Promise.resolve(session.get(key) ?? null),
    setSessionValue: (key: string, value: string) => {
      session.set(key, value);
      return Promise.resolve();
    },
  } as Partial<ComposeItem> as ComposeItem;
}

interface Seen {
  url: string;
  headers: Record<string, string>;
  signal: AbortSignal | undefined;
}

function server(seen: Seen[]): FetchLike {
  return (url, init) => {
    seen.push({ url, headers: init.headers, signal: init.signal });
    if (init.headers.authorization !== 'Bearer sender-token') {
      return Promise.resolve({
        status: 401,
        text: () => Promise.resolve(JSON.stringify({ code: 'UNAUTHENTICATED', message: 'sign in' })),
      });
    }
    const { domains } = JSON.parse(init.body ?? '{}') as { domains: string[] };
    const results = domains.map((domain) => ({
      domain,
      level: 'verified',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString(),
      detail: { message: 'verified' },
      policy: { protected: true },
    }));
    return Promise.resolve({ status: 200, text: () => Promise.resolve(JSON.stringify({ results })) });
  };
}

describe('TlsSource', () => {
  it('sends the sender’s bearer token with every check', async () => {
    const seen: Seen[] = [];
    const budgets: number[] = [];
    const tls = new TlsSource('https://se.example', server(seen), (timeoutMs) => {
      budgets.push(timeoutMs);
      return Promise.resolve('sender-token');
    });
    const verdicts = await tls.verdicts(draft(), ['clinic.example'], 2000);
    expect(verdicts.get('clinic.example')).toMatchObject({ level: 'verified', protected: true });
    expect(seen).toHaveLength(1);
    expect(seen[0]!.url).toBe('https://se.example/v1/tls/check');
    expect(seen[0]!.headers.authorization).toBe('Bearer sender-token');
    expect(budgets).toEqual([2000]);
  });

  it('asks nothing and gives no verdict when the sender cannot sign in', async () => {
    const seen: Seen[] = [];
    const tls = new TlsSource('https://se.example', server(seen), () =>
      Promise.reject(new TokenFailure('unavailable', 'no way to sign in from here')),
    );
    await expect(tls.verdicts(draft(), ['clinic.example'], 2000)).rejects.toThrow('no way to sign in');
    expect(seen).toHaveLength(0);
  });

  it('counts the time spent signing in against the caller’s budget', async () => {
    let clock = 1_000_000;
    const seen: Seen[] = [];
    const tls = new TlsSource(
      'https://se.example',
      server(seen),
      () => {
        clock += 2000; // signing in took the whole budget
        return Promise.resolve('sender-token');
      },
      () => clock,
    );
    await expect(tls.verdicts(draft(), ['clinic.example'], 2000)).rejects.toThrow(/no time left/);
    expect(seen).toHaveLength(0);
  });
});
