import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptContentJson } from '../../../src/server/crypto/content-crypto';
import { noticeAad } from '../../../src/server/crypto/bindings';
import type { TestServer } from '../helpers/context';
import { Browser, openPortalServer, registered, sendEnvelope } from './helpers';

describe('what strangers reach is rate-limited per client', () => {
  let t: TestServer;

  beforeAll(async () => {
    t = await openPortalServer('sqlite', { throttle: { strangerRequestsPerMinute: 3 } });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it('answers the fourth sign-in, link or reset request of a minute with 429, per client address', async () => {
    for (const [method, url] of [
      ['POST', '/portal/api/sign-in'],
      ['POST', '/portal/api/password/forgot'],
      ['POST', '/portal/api/register'],
      ['GET', `/r/${'x'.repeat(43)}`],
      ['GET', `/portal/reset/${'x'.repeat(43)}`],
    ] as const) {
      const b = new Browser(t, '10.1.2.3');
      await b.session();
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) {
        codes.push(
          (
            await b.request(
              method,
              url,
              method === 'POST' ? { address: 'x@clinic.example', password: 'whatever it is' } : undefined,
            )
          ).statusCode,
        );
      }
      expect(codes.slice(0, 3), url).not.toContain(429);
      expect(codes[3], url).toBe(429);
      // Another client is not affected.
      const other = new Browser(t, '10.1.2.4');
      await other.session();
      const res = await other.request(
        method,
        url,
        method === 'POST' ? { address: 'x@clinic.example', password: 'whatever it is' } : undefined,
      );
      expect(res.statusCode, url).not.toBe(429);
    }
  });

  it('tells a registered recipient’s next notice to sign in rather than register', async () => {
    const env = await sendEnvelope(t, { to: ['notice@clinic.example'] });
    const firstNotice = await noticeText(env.id);
    expect(firstNotice).toContain('first secure message');
    await registered(t, env, 'notice@clinic.example');
    const next = await sendEnvelope(t, { to: ['notice@clinic.example'] });
    const text = await noticeText(next.id);
    expect(text).not.toContain('first secure message');
    expect(text).toContain('Sign in with your username and password.');
  });

  async function noticeText(envelopeId: string): Promise<string> {
    const row = await t.ctx.store.db
      .selectFrom('outbox')
      .select(['id', 'notice_json'])
      .where('envelope_id', '=', envelopeId)
      .executeTakeFirstOrThrow();
    return ((await decryptContentJson(t.ctx.keyring, row.notice_json, noticeAad(row.id))) as { text: string })
      .text;
  }
});
