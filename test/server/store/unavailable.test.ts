import { describe, expect, it } from 'vitest';
import { isStoreUnavailable } from '../../../src/server/store/unavailable';
import { untilReachable } from '../../../src/server/store/wait-for';

const coded = (code: string, message = 'x'): Error => Object.assign(new Error(message), { code });

describe('store unavailable', () => {
  it('knows a cut or refused connection, a database going down and a full one, through wrappers', () => {
    expect(isStoreUnavailable(coded('ECONNREFUSED'))).toBe(true);
    expect(isStoreUnavailable(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isStoreUnavailable(new Error('timeout exceeded when trying to connect'))).toBe(true);
    expect(isStoreUnavailable(coded('57P01', 'terminating connection due to administrator command'))).toBe(
      true,
    );
    expect(isStoreUnavailable(coded('08006'))).toBe(true);
    expect(isStoreUnavailable(coded('53300', 'too many connections'))).toBe(true);
    expect(isStoreUnavailable(new Error('migration failed', { cause: coded('ECONNRESET') }))).toBe(true);
    expect(isStoreUnavailable(new AggregateError([coded('ECONNREFUSED')], 'connect failed'))).toBe(true);
  });

  it('leaves faults of the request or the code alone', () => {
    expect(isStoreUnavailable(coded('23505', 'duplicate key value violates unique constraint'))).toBe(false);
    expect(isStoreUnavailable(coded('42P01', 'relation "x" does not exist'))).toBe(false);
    expect(isStoreUnavailable(new TypeError('cannot read properties of undefined'))).toBe(false);
    expect(isStoreUnavailable(undefined)).toBe(false);
  });
});

describe('waiting for a service at start', () => {
  it('tries again with growing waits, saying so, until it opens', async () => {
    const lines: string[] = [];
    const waits: number[] = [];
    let calls = 0;
    const opened = await untilReachable(
      () => (++calls < 4 ? Promise.reject(coded('ECONNREFUSED')) : Promise.resolve('open')),
      {
        what: 'PostgreSQL at db.internal:5432',
        retryable: isStoreUnavailable,
        log: (l) => lines.push(l),
        sleep: (ms) => {
          waits.push(ms);
          return Promise.resolve();
        },
      },
    );
    expect(opened).toBe('open');
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(lines[0]).toBe(
      'PostgreSQL at db.internal:5432 is not reachable (ECONNREFUSED); trying again in 1 s',
    );
    expect(lines.at(-1)).toBe('PostgreSQL at db.internal:5432 is reachable again; starting');
  });

  it('ends start-up at once on anything else', async () => {
    await expect(
      untilReachable(() => Promise.reject(coded('28P01', 'password authentication failed')), {
        what: 'PostgreSQL',
        retryable: isStoreUnavailable,
        log: () => undefined,
        sleep: () => Promise.resolve(),
      }),
    ).rejects.toThrow(/password authentication failed/);
  });
});
