/**
 * Password guesses sent all at once. Each guess must take its attempt from
 * the lockout count before its password is checked, so however many arrive
 * together, and at however many server instances sharing one database, no
 * more passwords are checked than the limits allow, and once they are spent
 * even the right password waits.
 */
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../../src/server/app';
import { PasswordHasher } from '../../../src/server/portal/passwords';
import { openStore, type Store } from '../../../src/server/store/db';
import type { TestServer } from '../helpers/context';
import { PG_ADMIN_URL, STORE_KINDS } from '../helpers/stores';
import { Browser, openPortalServer, PASSWORD, registered, sendEnvelope } from './helpers';

/** Wrong guesses one client may make at one address, and all clients together. */
const PER_CLIENT = 5;
const PER_ADDRESS = 10;
const WRONG = 'a wrong guess at it';

const settings = {
  // Generous on everything but the counts under test; a queue that never refuses.
  argon2: { memoryKiB: 8192, passes: 1, lanes: 1, maxConcurrent: 2, maxQueued: 1000 },
  throttle: { addressClientFailures: PER_CLIENT, addressFailures: PER_ADDRESS, clientFailures: 1000 },
};

/** Every password the servers of this process checked, by the password tried. */
function watchChecks(): { wrong: () => number; right: () => number } {
  const spy = vi.spyOn(PasswordHasher.prototype, 'verify');
  const tried = (p: string) => spy.mock.calls.filter((c) => c[1] === p).length;
  return { wrong: () => tried(WRONG), right: () => tried(PASSWORD) };
}

async function burst(guesses: { browser: Browser; password: string }[], address: string): Promise<string[]> {
  const answers = await Promise.all(guesses.map((g) => g.browser.signIn(address, g.password)));
  return answers.map((a) => String(a.statusCode));
}

function tally(outcomes: string[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const o of outcomes) t[o] = (t[o] ?? 0) + 1;
  return t;
}

describe.each(STORE_KINDS)('sign-in guesses at once on %s', (kind) => {
  let t: TestServer;
  let n = 0;
  const owner = async (): Promise<string> => {
    const address = `race${++n}@clinic.example`;
    await registered(t, await sendEnvelope(t, { to: [address] }), address);
    return address;
  };

  beforeAll(async () => {
    t = await openPortalServer(kind, settings);
  });
  afterAll(async () => {
    await t.cleanup();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it(`29 guesses at once from one client: at most ${PER_CLIENT} passwords checked, then the right one waits`, async () => {
    const address = await owner();
    const b = new Browser(t, '10.31.0.1');
    await b.session();
    const checks = watchChecks();
    const guesses = [
      ...Array.from({ length: 28 }, () => ({ browser: b, password: WRONG })),
      { browser: b, password: PASSWORD },
    ];
    const outcomes = await burst(guesses, address);
    expect(checks.wrong(), JSON.stringify(tally(outcomes))).toBeLessThanOrEqual(PER_CLIENT);
    expect(outcomes.filter((o) => o === '401').length).toBeLessThanOrEqual(PER_CLIENT);
    expect(outcomes.filter((o) => o === '429').length).toBeGreaterThanOrEqual(29 - PER_CLIENT - 1);
    // The right guess raced with the others: if it was among the few checked it got in
    // (and a success clears the count), which the budget allows; otherwise the budget is
    // spent and the right password is refused without being checked.
    if (outcomes.at(-1) === '200') {
      expect(checks.wrong() + checks.right()).toBeLessThanOrEqual(PER_CLIENT + 1);
      return;
    }
    const before = checks.right();
    const late = await b.signIn(address, PASSWORD);
    expect(late.statusCode).toBe(429);
    expect(late.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(Number(late.headers['retry-after'])).toBeGreaterThan(0);
    expect(checks.right()).toBe(before);
  });

  it(`25 guesses at once from 25 clients: at most ${PER_ADDRESS} passwords checked, then the right one waits`, async () => {
    const address = await owner();
    const browsers = Array.from({ length: 25 }, (_, i) => new Browser(t, `10.32.${i}.1`));
    for (const b of browsers) await b.session();
    const checks = watchChecks();
    const outcomes = await burst(
      browsers.map((browser, i) => ({ browser, password: i === 24 ? PASSWORD : WRONG })),
      address,
    );
    expect(checks.wrong(), JSON.stringify(tally(outcomes))).toBeLessThanOrEqual(PER_ADDRESS);
    expect(outcomes.filter((o) => o === '401').length).toBeLessThanOrEqual(PER_ADDRESS);
    if (outcomes.at(-1) === '200') {
      // The right guess was among those checked, within the budget; a success clears the count.
      expect(checks.wrong() + checks.right()).toBeLessThanOrEqual(PER_ADDRESS + 1);
      return;
    }
    // A client that has not guessed at all is refused too: the address's own budget is spent.
    const fresh = new Browser(t, '10.32.200.1');
    const before = checks.right();
    expect((await fresh.signIn(address, PASSWORD)).statusCode).toBe(429);
    expect(checks.right()).toBe(before);
  });
});

describe('sign-in guesses at once at two server instances on one PostgreSQL', () => {
  let t: TestServer;
  let second: TestServer;
  let secondStore: Store;

  beforeAll(async () => {
    t = await openPortalServer('postgres', settings);
    // Another instance: its own app, its own connection pool, the same database and keys.
    const { rows } = await sql<{ name: string }>`select current_database() as name`.execute(t.ctx.store.db);
    const url = new URL(PG_ADMIN_URL);
    url.pathname = `/${rows[0]!.name}`;
    secondStore = await openStore({ dataDir: t.store.dataDir, databaseUrl: url.toString() });
    const ctx = { ...t.ctx, store: secondStore };
    const app = buildApp(ctx);
    await app.ready();
    second = { ...t, ctx, app };
  });
  afterAll(async () => {
    await second.app.close();
    await secondStore.close();
    await t.cleanup();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('counts every guess once, whichever instance it reaches', async () => {
    const address = 'two-instances@clinic.example';
    await registered(t, await sendEnvelope(t, { to: [address] }), address);
    // One client at both instances, and 25 clients spread over them.
    const one = [new Browser(t, '10.33.0.1'), new Browser(second, '10.33.0.1')];
    for (const b of one) await b.session();
    const checks = watchChecks();
    const fromOne = await burst(
      Array.from({ length: 29 }, (_, i) => ({ browser: one[i % 2]!, password: WRONG })),
      address,
    );
    expect(checks.wrong(), JSON.stringify(tally(fromOne))).toBeLessThanOrEqual(PER_CLIENT);

    const many = Array.from({ length: 25 }, (_, i) => new Browser(i % 2 === 0 ? t : second, `10.34.${i}.1`));
    for (const b of many) await b.session();
    // All wrong: a right guess raced in among them could fairly land inside the
    // budget and reset it; the single-instance tests race the right one.
    const fromMany = await burst(
      many.map((browser) => ({ browser, password: WRONG })),
      address,
    );
    // Both bursts together stay within the address's own budget, and then the right password waits too.
    expect(checks.wrong(), JSON.stringify(tally(fromMany))).toBeLessThanOrEqual(PER_ADDRESS);
    for (const app of [t, second]) {
      const fresh = new Browser(app, '10.34.200.1');
      expect((await fresh.signIn(address, PASSWORD)).statusCode).toBe(429);
    }
  });
});
