import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LinkState, SignInResult } from '../../../src/shared/portal-api';
import { decryptContentJson } from '../../../src/server/crypto/content-crypto';
import { noticeAad } from '../../../src/server/crypto/bindings';
import type { TestServer } from '../helpers/context';
import { STORE_KINDS } from '../helpers/stores';
import { Browser, openPortalServer, PASSWORD, registered, sendEnvelope } from './helpers';

describe.each(STORE_KINDS)('portal accounts on %s', (kind) => {
  let t: TestServer;
  let n = 0;
  const someone = async () => {
    const address = `acct${++n}@clinic.example`;
    const env = await sendEnvelope(t, { to: [address] });
    return { address, env, browser: await registered(t, env, address) };
  };
  /** The mails queued for an address, decrypted: subject and text. */
  const mailsTo = async (address: string) => {
    const rows = await t.ctx.store.db
      .selectFrom('outbox')
      .select(['id', 'notice_json'])
      .where('to_address', '=', address)
      .orderBy('created_at')
      .execute();
    return Promise.all(
      rows.map(
        async (r) =>
          (await decryptContentJson(t.ctx.keyring, r.notice_json, noticeAad(r.id))) as {
            subject: string;
            text: string;
          },
      ),
    );
  };

  beforeAll(async () => {
    t = await openPortalServer(kind, { throttle: { addressFailures: 5, clientFailures: 12 } });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('stores passwords as argon2id and refuses short, common and address-based ones', async () => {
    const address = `frontdesk${++n}@clinic.example`;
    const env = await sendEnvelope(t, { to: [address] });
    const b = new Browser(t);
    await b.open(env.tokens.get(address)!);
    for (const bad of [
      'short',
      'password123',
      'Password2024!',
      'P@ssw0rd1',
      'qwertyuiop',
      'aaaaaaaaaaaa',
      'abcabcabcabc',
      '12345678',
      'iloveyou!!',
      address,
      `Frontdesk${n}2026!`,
      'x'.repeat(129),
    ]) {
      const res = await b.register(bad);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json(), bad).toMatchObject({ code: 'PASSWORD_REJECTED' });
    }
    const mismatch = await b.post('/portal/api/register', {
      password: PASSWORD,
      passwordConfirm: 'other words',
    });
    expect(mismatch.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    // Long passphrases and any characters are welcome; no composition rules.
    const long = 'ein sehr langer Satz über Reiher 🐦 '.repeat(3).trim();
    expect(long.length).toBeGreaterThan(64);
    expect((await b.register(long)).statusCode).toBe(200);
    const row = await t.ctx.store.db
      .selectFrom('portal_accounts')
      .select('password_hash')
      .where('address', '=', address)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=\d+,t=\d+,p=\d+\$/);
    expect(row.password_hash).not.toContain(long);
    // The same passphrase typed in another Unicode form still signs in (NFKC).
    const c = new Browser(t);
    expect((await c.signIn(address, long.normalize('NFD'))).statusCode).toBe(200);
    const registeredAt = await t.ctx.store.db
      .selectFrom('recipients')
      .select('registered_at')
      .where('address', '=', address)
      .executeTakeFirstOrThrow();
    expect(registeredAt.registered_at).not.toBeNull();
  });

  it('answers a wrong password and an unknown address alike, and throttles both per address with backoff', async () => {
    const { address } = await someone();
    const unknown = `nobody${n}@clinic.example`;
    const seen: Record<string, string[]> = { [address]: [], [unknown]: [] };
    for (const who of [address, unknown]) {
      const b = new Browser(t, `10.0.${n}.${who === address ? 1 : 2}`);
      for (let i = 0; i < 6; i++) {
        const res = await b.signIn(who, 'not the right passphrase');
        seen[who]!.push(`${res.statusCode} ${res.json<{ code: string }>().code}`);
      }
      // Even the right password waits now.
      const right = await b.signIn(who, PASSWORD);
      seen[who]!.push(`${right.statusCode} ${right.json<{ code: string }>().code}`);
    }
    const expected = [...Array<string>(5).fill('401 SIGN_IN_FAILED'), '429 RATE_LIMITED', '429 RATE_LIMITED'];
    expect(seen[address]).toEqual(expected);
    expect(seen[unknown]).toEqual(expected);
    // The wait grows with each failure after the threshold.
    const rows = await t.ctx.store.db
      .selectFrom('portal_throttle')
      .select(['key', 'failures', 'blocked_until'])
      .execute();
    expect(rows.some((r) => r.key.includes(address))).toBe(false);
    // A correct sign-in from another client is refused too while the address waits...
    const elsewhere = new Browser(t, '10.9.9.9');
    expect((await elsewhere.signIn(address)).statusCode).toBe(429);
    // ...until the wait is over; then the failures are forgotten.
    await t.ctx.store.db.updateTable('portal_throttle').set({ blocked_until: null }).execute();
    expect((await elsewhere.signIn(address)).statusCode).toBe(200);
  });

  it('throttles one client that tries many addresses', async () => {
    const b = new Browser(t, '10.77.0.1');
    const codes: number[] = [];
    for (let i = 0; i < 14; i++)
      codes.push((await b.signIn(`guess${i}@clinic.example`, 'some guess here')).statusCode);
    expect(codes.slice(0, 12)).toEqual(Array<number>(12).fill(401));
    expect(codes.slice(12)).toEqual([429, 429]);
  });

  it('resets a forgotten password: same answer for every address, one use, 30 minutes, every session ended, a notice sent', async () => {
    const { address, browser: signedIn } = await someone();
    const other = new Browser(t);
    expect((await other.signIn(address)).statusCode).toBe(200);

    const asker = new Browser(t, '10.50.0.1');
    await asker.session();
    const known = await asker.post('/portal/api/password/forgot', { address: address.toUpperCase() });
    const unknown = await asker.post('/portal/api/password/forgot', { address: `ghost${n}@clinic.example` });
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    expect(await mailsTo(`ghost${n}@clinic.example`)).toEqual([]);
    const mails = await mailsTo(address);
    const reset = mails.find((m) => m.subject.startsWith('Reset your password'))!;
    const link = /https:\/\/secure\.plan\.example\/portal\/reset\/([\w-]+)/.exec(reset.text);
    expect(link).not.toBeNull();
    const token = link![1]!;
    // Only its hash is stored.
    const stored = await t.ctx.store.db
      .selectFrom('portal_reset_tokens')
      .selectAll()
      .where('address', '=', address)
      .execute();
    expect(JSON.stringify(stored)).not.toContain(token);

    const r = new Browser(t);
    const open = await r.get(`/portal/reset/${token}`);
    expect(open.statusCode).toBe(303);
    expect(open.headers.location).toBe('/portal/#/reset');
    await r.session();
    const weak = await r.post('/portal/api/password/reset', {
      password: 'password1',
      passwordConfirm: 'password1',
    });
    expect(weak.json()).toMatchObject({ code: 'PASSWORD_REJECTED' });
    const fresh = 'a new and quite long passphrase';
    const done = await r.post('/portal/api/password/reset', { password: fresh, passwordConfirm: fresh });
    expect(done.statusCode).toBe(204);

    // Every session ended.
    expect((await signedIn.get('/portal/api/threads')).statusCode).toBe(401);
    expect((await other.get('/portal/api/threads')).statusCode).toBe(401);
    // The old password is gone, the new one works.
    const c = new Browser(t, '10.50.0.2');
    expect((await c.signIn(address, PASSWORD)).statusCode).toBe(401);
    expect((await c.signIn(address, fresh)).statusCode).toBe(200);
    expect((await mailsTo(address)).map((m) => m.subject)).toContain(
      'Your password for secure messages from Health Plan was changed',
    );

    // The link works once.
    const replay = new Browser(t);
    await replay.get(`/portal/reset/${token}`);
    await replay.session();
    const again = await replay.post('/portal/api/password/reset', {
      password: 'yet another long phrase',
      passwordConfirm: 'yet another long phrase',
    });
    expect(again.statusCode).toBe(400);
    expect(again.json()).toMatchObject({ code: 'TOKEN_NOT_VALID' });
    expect((await c.signIn(address, 'yet another long phrase')).statusCode).toBe(401);
  });

  it('refuses a reset link after 30 minutes, and limits reset mails per address', async () => {
    const { address } = await someone();
    const asker = new Browser(t, '10.60.0.1');
    await asker.session();
    for (let i = 0; i < 5; i++) {
      expect((await asker.post('/portal/api/password/forgot', { address })).statusCode).toBe(202);
    }
    const resets = (await mailsTo(address)).filter((m) => m.subject.startsWith('Reset'));
    expect(resets).toHaveLength(3);
    const token = /\/portal\/reset\/([\w-]+)/.exec(resets[0]!.text)![1]!;
    await t.ctx.store.db
      .updateTable('portal_reset_tokens')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('address', '=', address)
      .execute();
    const r = new Browser(t);
    await r.get(`/portal/reset/${token}`);
    await r.session();
    const late = await r.post('/portal/api/password/reset', {
      password: 'late but long enough',
      passwordConfirm: 'late but long enough',
    });
    expect(late.json()).toMatchObject({ code: 'TOKEN_NOT_VALID' });
    const row = await t.ctx.store.db
      .selectFrom('portal_reset_tokens')
      .select(['created_at', 'expires_at'])
      .where('address', '=', address)
      .executeTakeFirstOrThrow();
    expect(row).toBeDefined();
  });

  it('makes reset links valid for 30 minutes', async () => {
    const { address } = await someone();
    const asker = new Browser(t, '10.61.0.1');
    await asker.session();
    await asker.post('/portal/api/password/forgot', { address });
    const row = await t.ctx.store.db
      .selectFrom('portal_reset_tokens')
      .select(['created_at', 'expires_at'])
      .where('address', '=', address)
      .executeTakeFirstOrThrow();
    expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).toBe(30 * 60_000);
  });

  it('sign-in leads to the linked message only for the link’s own recipient', async () => {
    const { address, env } = await someone();
    const b = new Browser(t);
    await b.open(env.tokens.get(address)!);
    const link = (await b.get('/portal/api/link')).json<LinkState>();
    expect(link.state).toBe('sign-in');
    const res = (await b.signIn(address)).json<SignInResult>();
    expect(res.threadId).toBe(link.state === 'sign-in' ? link.threadId : '');
    const someoneElse = await someone();
    const c = new Browser(t);
    await c.open(env.tokens.get(address)!);
    const other = (await c.signIn(someoneElse.address)).json<SignInResult>();
    expect(other.threadId).toBeUndefined();
  });
});
