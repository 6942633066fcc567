/**
 * A notice the recipient's side refuses for good reaches a dead letter at
 * once, and the representative who sent the message is told by mail, with
 * the address and the reply code but nothing of the message.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, describe, expect, it } from 'vitest';
import { devToken, postEnvelope, signal, spawnServer, type ServerProcess } from '../helpers/process';

interface Got {
  to: string[];
  subject: string;
  text: string;
}

describe('an undeliverable notice', () => {
  const received: Got[] = [];
  let smtp: SMTPServer;
  let server: ServerProcess | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'se-undeliverable-'));

  afterAll(async () => {
    if (server !== undefined) {
      signal(server, 'SIGTERM');
      await server.exited;
    }
    await new Promise<void>((r) => {
      smtp.close(() => {
        r();
      });
    });
    rmSync(dir, { recursive: true, force: true });
  });

  it('is dead at once on a 550 and tells the sender, without the subject or the body', async () => {
    smtp = new SMTPServer({
      logger: false,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      disableReverseLookup: true,
      onRcptTo(address, _session, callback) {
        if (address.address.startsWith('nobody@')) {
          callback(Object.assign(new Error('no such mailbox'), { responseCode: 550 }));
          return;
        }
        callback();
      },
      onData(stream, _session, callback) {
        void simpleParser(stream).then((m) => {
          const to = [m.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address ?? ''));
          received.push({ to, subject: m.subject ?? '', text: m.text ?? '' });
          callback();
        });
      },
    });
    smtp.on('error', () => undefined);
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    const port = (smtp.server.address() as AddressInfo).port;
    server = await spawnServer({ DATA_DIR: dir, SMTP_URL: `smtp://127.0.0.1:${port}` });
    const res = await postEnvelope(server, await devToken(server), {
      to: ['nobody@clinic.example'],
      subject: 'Claim for Jane Roe',
      text: 'SSN 536-22-1874',
    });
    expect(res.status).toBe(201);

    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && !received.some((m) => m.to.includes('rep@plan.example'))) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const told = received.find((m) => m.to.includes('rep@plan.example'));
    expect(told, 'the sender was told').toBeDefined();
    expect(told!.subject).toBe('A secure message could not be delivered');
    expect(told!.text).toContain('nobody@clinic.example');
    expect(told!.text).toContain('550');
    expect(told!.text).not.toContain('Jane Roe');
    expect(told!.text).not.toContain('536-22-1874');

    const health = (await (await fetch(`${server.base}/healthz`)).json()) as { outbox: { dead: number } };
    expect(health.outbox.dead).toBe(1);
  }, 40_000);
});
