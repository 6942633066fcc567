/**
 * Nobody can lock a recipient out of their own secure messages. A stranger's
 * wrong passwords slow down that stranger, not the owner; when many strangers
 * together spend the address's own budget, password sign-in waits for
 * everyone, and the owner signs in with a one-time link mailed to the
 * address. The link is read here the way the owner reads it: delivered by the
 * outbox worker to a real SMTP server (the mail catcher).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignInResult } from '../../../src/shared/portal-api';
import { decryptContent } from '../../../src/server/crypto/content-crypto';
import { noticeAad } from '../../../src/server/crypto/bindings';
import { sha256 } from '../../../src/server/ids';
import { startMailCatcher, type MailCatcher } from '../../../src/server/dev/mail-catcher';
import { OutboxWorker } from '../../../src/server/outbox/worker';
import type { TestServer } from '../helpers/context';
import { STORE_KINDS } from '../helpers/stores';
import { Browser, openPortalServer, PASSWORD, registered, sendEnvelope } from './helpers';

const PER_CLIENT = 5;
const PER_ADDRESS = 10;
const LINK = /https:\/\/secure\.plan\.example\/portal\/sign-in-link\?token=([\w-]+)/;

describe.each(STORE_KINDS)('owners cannot be locked out, on %s', (kind) => {
  let t: TestServer;
  let catcher: MailCatcher;
  let worker: OutboxWorker;
  let n = 0;

  const owner = async (): Promise<string> => {
    const address = `owner${++n}@clinic.example`;
    const b = await registered(t, await sendEnvelope(t, { to: [address] }), address);
    await b.post('/portal/api/sign-out');
    return address;
  };

  /** The sign-in-link mails delivered to `address` so far, after the outbox has been worked through. */
  const linkMails = async (address: string, atLeast: number): Promise<string[]> => {
    // The link is queued after the answer has left: give it a moment.
    for (let i = 0; i < 100; i++) {
      await worker.runOnce();
      const tokens = catcher
        .messages()
        .filter((m) => m.to.includes(address) && m.subject.startsWith('Your sign-in link'))
        .map((m) => LINK.exec(m.text ?? '')?.[1])
        .filter((token) => token !== undefined);
      if (tokens.length >= atLeast || (atLeast === 0 && i >= 10)) return tokens;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`fewer than ${atLeast} sign-in links reached ${address}`);
  };

  const askForLink = async (b: Browser, address: string) => {
    if (b.csrf === '') await b.session();
    return b.post('/portal/api/sign-in-link', { address });
  };

  /** Opens a mailed link and presses "Sign in", as the owner's browser does. */
  const useLink = async (b: Browser, token: string | undefined) => {
    if (token !== undefined) {
      const open = await b.get(`/portal/sign-in-link?token=${token}`);
      expect(open.statusCode).toBe(303);
      expect(open.headers.location).toBe('/portal/#/email-link-sign-in');
    }
    await b.session();
    return b.post('/portal/api/sign-in-link/use');
  };

  /** Strangers at `count` client addresses, one wrong password each. */
  const strangersGuess = async (address: string, count: number, net: number) => {
    for (let i = 0; i < count; i++) {
      const res = await new Browser(t, `10.${net}.${i}.66`).signIn(address, 'a stranger guessing');
      expect(res.statusCode).toBe(401);
    }
  };

  beforeAll(async () => {
    t = await openPortalServer(kind, {
      throttle: { addressClientFailures: PER_CLIENT, addressFailures: PER_ADDRESS, clientFailures: 1000 },
    });
    catcher = await startMailCatcher();
    worker = new OutboxWorker({
      db: t.ctx.store.db,
      smtpUrl: catcher.url,
      from: '"Secure Mail" <secure@plan.example>',
      dialect: t.ctx.store.dialect,
      openNotice: async (stored, id) =>
        new TextDecoder().decode(await decryptContent(t.ctx.keyring, stored, noticeAad(id))),
    });
  });
  afterAll(async () => {
    await worker.stop();
    await catcher.close();
    await t.cleanup();
  });

  it('a stranger’s wrong passwords make the stranger wait, not the owner at their own computer', async () => {
    const address = await owner();
    const stranger = new Browser(t, '10.70.0.66');
    const codes: number[] = [];
    for (let i = 0; i < PER_CLIENT + 2; i++)
      codes.push((await stranger.signIn(address, 'a stranger guessing')).statusCode);
    expect(codes).toEqual([...Array<number>(PER_CLIENT).fill(401), 429, 429]);

    const own = new Browser(t, '10.70.0.1');
    expect((await own.signIn(address, 'a typo of mine')).statusCode).toBe(401);
    const res = await own.signIn(address, PASSWORD);
    expect(res.statusCode).toBe(200);
    expect(res.json<SignInResult>().address).toBe(address);
    // The stranger still waits, even with the right password.
    expect((await stranger.signIn(address, PASSWORD)).statusCode).toBe(429);

    // A few more strangers, still short of the address's own limit: the owner is not held up either.
    await strangersGuess(address, 3, 71);
    expect((await new Browser(t, '10.70.0.2').signIn(address, PASSWORD)).statusCode).toBe(200);
    // That sign-in took the budget's last attempt and gave it back: signing in again still works.
    expect((await new Browser(t, '10.70.0.3').signIn(address, PASSWORD)).statusCode).toBe(200);
  });

  it('once strangers at many clients spend the address’s budget, password sign-in waits for all, and the owner signs in by e-mailed link', async () => {
    const address = await owner();
    await strangersGuess(address, PER_ADDRESS, 72);

    const own = new Browser(t, '10.72.200.1');
    const refused = await own.signIn(address, PASSWORD);
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.json<{ message: string }>().message).toMatch(/sign-in link/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    expect((await askForLink(own, address)).statusCode).toBe(202);
    const [token] = await linkMails(address, 1);
    const signed = await useLink(own, token);
    expect(signed.statusCode).toBe(200);
    expect(signed.json<SignInResult>().address).toBe(address);
    own.csrf = signed.json<SignInResult>().csrfToken;
    expect((await own.get('/portal/api/threads')).statusCode).toBe(200);
    // On the record as a sign-in by link.
    const audit = await t.ctx.store.db
      .selectFrom('audit_log')
      .select(['detail'])
      .where('action', '=', 'signin.ok')
      .where('actor', '=', `recipient:${address}`)
      .execute();
    expect(audit.map((a) => a.detail).join()).toContain('e-mailed link');
    // The lock against guessing stays: the link proved the mailbox, not the guessers' innocence.
    expect((await new Browser(t, '10.72.201.1').signIn(address, PASSWORD)).statusCode).toBe(429);
  });

  it('a link request answers alike for every address; without the mailbox there is no way in', async () => {
    const address = await owner();
    const stranger = new Browser(t, '10.73.0.66');
    const known = await askForLink(stranger, address);
    const unknown = await askForLink(stranger, `nobody${n}@clinic.example`);
    expect(known.statusCode).toBe(202);
    expect(unknown.statusCode).toBe(202);
    expect(unknown.body).toBe(known.body);
    const [token] = await linkMails(address, 1);
    expect(await linkMails(`nobody${n}@clinic.example`, 0)).toEqual([]);
    // Only the token's hash is kept.
    const rows = await t.ctx.store.db
      .selectFrom('portal_sign_in_links')
      .selectAll()
      .where('address', '=', address)
      .execute();
    expect(JSON.stringify(rows)).not.toContain(token!);
    expect(rows.map((r) => r.token_hash)).toContain(sha256(token!));

    // The stranger has no token: none, or one made up, signs nobody in.
    for (const attempt of [undefined, 'x'.repeat(43), token!.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'))]) {
      const res = await useLink(new Browser(t, '10.73.0.67'), attempt);
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'TOKEN_NOT_VALID' });
    }
    expect((await useLink(new Browser(t, '10.73.0.1'), token)).statusCode).toBe(200);
  });

  it('a link works once and not after its time, and using one retires the others', async () => {
    const address = await owner();
    const own = new Browser(t, '10.74.0.1');
    await askForLink(own, address);
    await askForLink(own, address);
    const [first, second] = await linkMails(address, 2);
    expect(first).not.toBe(second);

    expect((await useLink(own, second)).statusCode).toBe(200);
    const replay = await useLink(new Browser(t, '10.74.0.2'), second);
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ code: 'TOKEN_NOT_VALID' });
    expect((await useLink(new Browser(t, '10.74.0.3'), first)).statusCode).toBe(400);

    // Sent, never used, and now past its 15 minutes.
    await askForLink(own, address);
    const [, , third] = await linkMails(address, 3);
    const row = await t.ctx.store.db
      .selectFrom('portal_sign_in_links')
      .select(['created_at', 'expires_at'])
      .where('token_hash', '=', sha256(third!))
      .executeTakeFirstOrThrow();
    expect(Date.parse(row.expires_at) - Date.parse(row.created_at)).toBe(15 * 60_000);
    await t.ctx.store.db
      .updateTable('portal_sign_in_links')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('token_hash', '=', sha256(third!))
      .execute();
    expect((await useLink(new Browser(t, '10.74.0.4'), third)).statusCode).toBe(400);
  });

  it('asking again and again for the owner’s links cannot leave the owner without a working one', async () => {
    const address = await owner();
    const stranger = new Browser(t, '10.75.0.66');
    for (let i = 0; i < 6; i++) expect((await askForLink(stranger, address)).statusCode).toBe(202);
    const tokens = await linkMails(address, 3);
    // At most three mails in the links' lifetime...
    await new Promise((r) => setTimeout(r, 100));
    expect(await linkMails(address, 3)).toHaveLength(3);
    // ...and each of them works for the owner, who has the mailbox.
    expect((await useLink(new Browser(t, '10.75.0.1'), tokens[0])).statusCode).toBe(200);
  });
});
