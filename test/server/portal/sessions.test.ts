import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionInfo, ThreadSummary } from '../../../src/shared/portal-api';
import { sha256 } from '../../../src/server/ids';
import type { TestServer } from '../helpers/context';
import { STORE_KINDS } from '../helpers/stores';
import { Browser, openPortalServer, PASSWORD, registered, sendEnvelope } from './helpers';

describe.each(STORE_KINDS)('portal sessions and CSRF on %s', (kind) => {
  let t: TestServer;
  let n = 0;
  /** A fresh registered recipient, signed in. */
  const someone = async () => {
    const address = `person${++n}@clinic.example`;
    const env = await sendEnvelope(t, { to: [address] });
    return { address, browser: await registered(t, env, address) };
  };

  beforeAll(async () => {
    t = await openPortalServer(kind);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('keeps only a hash of the session id, in a __Host- cookie, and makes a new id at every sign-in', async () => {
    const { address, browser } = await someone();
    const first = browser.cookies.get('__Host-se-session')!;
    const rows = await t.ctx.store.db
      .selectFrom('portal_sessions')
      .select('id_hash')
      .where('address', '=', address)
      .execute();
    expect(rows.map((r) => r.id_hash)).toEqual([sha256(first)]);
    expect(JSON.stringify(rows)).not.toContain(first);

    const res = await browser.signIn(address);
    expect(res.statusCode).toBe(200);
    const cookie = res.headers['set-cookie'] as string;
    expect(cookie).toMatch(
      /^__Host-se-session=[\w-]{43}; Max-Age=28800; Path=\/; HttpOnly; Secure; SameSite=Strict$/,
    );
    const second = browser.cookies.get('__Host-se-session')!;
    expect(second).not.toBe(first);
    // The id from before sign-in is worth nothing now (no fixation).
    const old = new Browser(t);
    old.cookies.set('__Host-se-session', first);
    expect((await old.get('/portal/api/threads')).statusCode).toBe(401);
    expect((await browser.get('/portal/api/threads')).statusCode).toBe(200);
  });

  it('refuses state-changing requests without the CSRF token, with another session’s token, or from another origin', async () => {
    const { address, browser } = await someone();
    const other = (await someone()).browser;
    const threadId = (await browser.get('/portal/api/threads')).json<{ threads: ThreadSummary[] }>()
      .threads[0]!.id;
    const url = `/portal/api/threads/${threadId}/reply`;
    const cases: [string, Record<string, string>][] = [
      ['no token', { 'x-csrf-token': '' }],
      ["another session's token", { 'x-csrf-token': other.csrf }],
      ['a forged token', { 'x-csrf-token': browser.csrf.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }],
      ['another origin', { origin: 'https://evil.example' }],
      ['a cross-site fetch', { 'sec-fetch-site': 'cross-site' }],
    ];
    for (const [what, headers] of cases) {
      const res = await browser.post(url, { text: 'hello' }, headers);
      expect(res.statusCode, what).toBe(403);
      expect(res.json(), what).toMatchObject({ code: 'CSRF_REJECTED' });
    }
    expect((await browser.post(url, { text: 'hello' })).statusCode).toBe(201);
    // Sign-in itself needs the pre-session token.
    const stranger = new Browser(t);
    const noToken = await stranger.post('/portal/api/sign-in', { address, password: PASSWORD });
    expect(noToken.statusCode).toBe(403);
    expect((await stranger.signIn(address)).statusCode).toBe(200);
  });

  it('ends a session after 15 idle minutes and after 8 hours, and says why', async () => {
    const { address, browser } = await someone();
    const info = (await browser.get('/portal/api/session')).json<SessionInfo>();
    expect(info.signedIn).toBe(true);
    const idle = Date.parse(info.idleExpiresAt!) - Date.now();
    expect(idle).toBeGreaterThan(14 * 60_000);
    expect(idle).toBeLessThanOrEqual(15 * 60_000);
    const absolute = Date.parse(info.absoluteExpiresAt!) - Date.now();
    expect(absolute).toBeGreaterThan(7.9 * 3600_000);
    expect(absolute).toBeLessThanOrEqual(8 * 3600_000);

    await t.ctx.store.db
      .updateTable('portal_sessions')
      .set({ last_seen_at: new Date(Date.now() - 15 * 60_000 - 1000).toISOString() })
      .where('address', '=', address)
      .execute();
    const res = await browser.get('/portal/api/threads');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'SESSION_REQUIRED' });
    expect(res.json<{ message: string }>().message).toMatch(/15 minutes/);
    expect(await countSessions(address)).toBe(0);

    // Activity keeps it alive: 14 idle minutes, a request, and it goes on.
    await browser.session();
    const again = await browser.signIn(address);
    expect(again.statusCode).toBe(200);
    await t.ctx.store.db
      .updateTable('portal_sessions')
      .set({ last_seen_at: new Date(Date.now() - 14 * 60_000).toISOString() })
      .where('address', '=', address)
      .execute();
    expect((await browser.get('/portal/api/threads')).statusCode).toBe(200);
    const seen = await t.ctx.store.db
      .selectFrom('portal_sessions')
      .select('last_seen_at')
      .where('address', '=', address)
      .executeTakeFirstOrThrow();
    expect(Date.now() - Date.parse(seen.last_seen_at)).toBeLessThan(60_000);

    // The absolute limit holds however active the session is.
    await t.ctx.store.db
      .updateTable('portal_sessions')
      .set({ absolute_expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('address', '=', address)
      .execute();
    const late = await browser.get('/portal/api/session');
    expect(late.json()).toMatchObject({ signedIn: false, endedReason: 'absolute' });
    const audit = await t.ctx.store.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('actor', '=', `recipient:${address}`)
      .where('action', '=', 'session.expired')
      .execute();
    expect(audit.map((r) => JSON.parse(r.detail) as unknown)).toEqual([
      { reason: 'idle' },
      { reason: 'absolute' },
    ]);
  });

  it('reading the session state does not count as activity', async () => {
    const { address, browser } = await someone();
    const past = new Date(Date.now() - 10 * 60_000).toISOString();
    await t.ctx.store.db
      .updateTable('portal_sessions')
      .set({ last_seen_at: past })
      .where('address', '=', address)
      .execute();
    await browser.get('/portal/api/session');
    const row = await t.ctx.store.db
      .selectFrom('portal_sessions')
      .select('last_seen_at')
      .where('address', '=', address)
      .executeTakeFirstOrThrow();
    expect(row.last_seen_at).toBe(past);
  });

  it('signs out: the session is gone from the store and its cookie cleared', async () => {
    const { address, browser } = await someone();
    const cookie = browser.cookies.get('__Host-se-session')!;
    const res = await browser.post('/portal/api/sign-out');
    expect(res.statusCode).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(/__Host-se-session=;/);
    expect(await countSessions(address)).toBe(0);
    const replay = new Browser(t);
    replay.cookies.set('__Host-se-session', cookie);
    expect((await replay.get('/portal/api/threads')).statusCode).toBe(401);
  });

  async function countSessions(address: string): Promise<number> {
    return (
      await t.ctx.store.db
        .selectFrom('portal_sessions')
        .select('id_hash')
        .where('address', '=', address)
        .execute()
    ).length;
  }
});
