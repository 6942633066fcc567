/**
 * Attachment downloads against stored data that someone changed behind the
 * server's back: a row moved to another envelope with SQL, a blob cut short
 * or altered on disk. The recipient gets a clear error or an aborted
 * transfer, never the file under the wrong envelope, and the audit log says
 * "failed", never "downloaded".
 */
import { closeSync, openSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Thread } from '../../../src/shared/portal-api';
import { CHUNK_SIZE, unwrapDataKey, wrapDataKey } from '../../../src/server/crypto/attachment-crypto';
import { envelopeOwner } from '../../../src/server/crypto/bindings';
import type { TestServer } from '../helpers/context';
import { STORE_KINDS } from '../helpers/stores';
import { Browser, openPortalServer, registered, sendEnvelope, type SentEnvelope } from './helpers';

/** Sealed chunk size on disk: plaintext, then a 16-byte tag. */
const SEALED = CHUNK_SIZE + 16;
/** The header before the first chunk. */
const HEADER = 12;

const SMALL = Buffer.alloc(200_000, 'claim line 4471\n');
/** Over the 4 MiB the server decrypts whole: this one streams. */
const LARGE = Buffer.from(Array.from({ length: 5 * 1024 * 1024 }, (_, i) => (i * 7) % 251));

describe.each(STORE_KINDS)('attachment download integrity on %s', (kind) => {
  let t: TestServer;
  let first: SentEnvelope;
  let second: SentEnvelope;
  let desk: Browser;
  let billing: Browser;

  beforeAll(async () => {
    t = await openPortalServer(kind);
    first = await sendEnvelope(t, {
      to: ['desk@clinic.example'],
      attachments: [
        { name: 'roster.csv', contentType: 'text/csv', contentBase64: SMALL.toString('base64') },
        {
          name: 'scan.bin',
          contentType: 'application/octet-stream',
          contentBase64: LARGE.toString('base64'),
        },
        { name: 'notes.txt', contentType: 'text/plain', contentBase64: SMALL.toString('base64') },
      ],
    });
    second = await sendEnvelope(t, { to: ['billing@lab.example'] });
    desk = await registered(t, first, 'desk@clinic.example');
    billing = await registered(t, second, 'billing@lab.example');
  }, 60_000);
  afterAll(async () => {
    await t.cleanup();
  });

  /** The recipient's view of the envelope's thread: message id and attachments by name. */
  async function threadOf(b: Browser) {
    const threads = (await b.get('/portal/api/threads')).json<{ threads: { id: string }[] }>().threads;
    const view = (await b.get(`/portal/api/threads/${threads[0]!.id}`)).json<Thread>();
    const message = view.messages[0]!;
    return {
      messageId: message.id,
      byName: new Map(message.attachments.map((a) => [a.name, a.id])),
    };
  }

  const url = (messageId: string, attachmentId: string) =>
    `/portal/api/messages/${messageId}/attachments/${attachmentId}`;

  /** The download records for one attachment, oldest first. */
  async function downloads(attachmentId: string) {
    const rows = await t.ctx.store.db
      .selectFrom('audit_log')
      .select(['outcome', 'detail', 'actor', 'target'])
      .where('action', '=', 'attachment.downloaded')
      .orderBy('seq')
      .execute();
    return rows
      .map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }))
      .filter((r) => r.detail.attachment === attachmentId);
  }

  async function attachmentId(name: string): Promise<string> {
    return (await threadOf(desk)).byName.get(name)!;
  }

  const blobFile = (id: string) => join(t.store.dataDir, 'blobs', id.slice(0, 2), id);

  it('downloads intact files, small and streamed, and records each after it decrypted', async () => {
    const { messageId, byName } = await threadOf(desk);
    const small = await desk.get(url(messageId, byName.get('roster.csv')!));
    expect(small.statusCode).toBe(200);
    expect(small.rawPayload.equals(SMALL)).toBe(true);
    const large = await desk.get(url(messageId, byName.get('scan.bin')!));
    expect(large.statusCode).toBe(200);
    expect(large.headers['content-length']).toBe(String(LARGE.length));
    expect(large.rawPayload.equals(LARGE)).toBe(true);
    for (const name of ['roster.csv', 'scan.bin']) {
      expect((await downloads(byName.get(name)!)).map((r) => r.outcome)).toEqual(['ok']);
    }
  });

  it('refuses an attachment moved to another envelope with SQL, on the record, and the original still opens', async () => {
    const id = await attachmentId('notes.txt');
    await t.ctx.store.db
      .updateTable('attachments')
      .set({ envelope_id: second.id })
      .where('id', '=', id)
      .execute();
    try {
      const { messageId, byName } = await threadOf(billing);
      // The row now lists under the other envelope; its key does not open there.
      expect(byName.get('notes.txt')).toBe(id);
      const res = await billing.get(url(messageId, id));
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        code: 'INTERNAL',
        message: expect.stringMatching(/not bound to this message \(it was moved or altered/) as string,
      });
      expect(res.body).not.toContain('claim line');
      expect(await downloads(id)).toEqual([
        {
          outcome: 'failed',
          actor: 'recipient:billing@lab.example',
          target: `envelope:${second.id}`,
          detail: expect.objectContaining({ reason: 'moved' }) as unknown,
        },
      ]);
    } finally {
      await t.ctx.store.db
        .updateTable('attachments')
        .set({ envelope_id: first.id })
        .where('id', '=', id)
        .execute();
    }
    const { messageId } = await threadOf(desk);
    const back = await desk.get(url(messageId, id));
    expect(back.statusCode).toBe(200);
    expect(back.rawPayload.equals(SMALL)).toBe(true);
  });

  it("refuses a recipient's own attachment moved to another recipient's message with SQL", async () => {
    const deskThread = (await desk.get('/portal/api/threads')).json<{ threads: { id: string }[] }>()
      .threads[0]!;
    const sent = await desk.post(`/portal/api/threads/${deskThread.id}/reply`, {
      text: 'Signed form attached.',
      attachments: [
        { name: 'form.pdf', contentType: 'application/pdf', contentBase64: SMALL.toString('base64') },
      ],
    });
    expect(sent.statusCode).toBe(201);
    const own = sent.json<{ message: { id: string; attachments: { id: string }[] } }>().message;
    const billingThread = (await billing.get('/portal/api/threads')).json<{ threads: { id: string }[] }>()
      .threads[0]!;
    const other = await billing.post(`/portal/api/threads/${billingThread.id}/reply`, { text: 'Thanks.' });
    expect(other.statusCode).toBe(201);
    const otherId = other.json<{ message: { id: string } }>().message.id;
    const fileId = own.attachments[0]!.id;

    await t.ctx.store.db
      .updateTable('portal_attachments')
      .set({ message_id: otherId })
      .where('id', '=', fileId)
      .execute();
    const res = await billing.get(url(otherId, fileId));
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('claim line');

    await t.ctx.store.db
      .updateTable('portal_attachments')
      .set({ message_id: own.id })
      .where('id', '=', fileId)
      .execute();
    const back = await desk.get(url(own.id, fileId));
    expect(back.statusCode).toBe(200);
    expect(back.rawPayload.equals(SMALL)).toBe(true);
  });

  it('refuses a moved attachment whose key was wrapped before keys named their envelope', async () => {
    const id = await attachmentId('roster.csv');
    const row = await t.ctx.store.db
      .selectFrom('attachments')
      .select('wrapped_key')
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    // An older row: the same data key, wrapped the old way (bound to the attachment only).
    const dataKey = await unwrapDataKey(t.ctx.keyring, row.wrapped_key, id, envelopeOwner(first.id));
    const legacy = await wrapDataKey(t.ctx.keyring, dataKey, id);
    await t.ctx.store.db
      .updateTable('attachments')
      .set({ wrapped_key: legacy.jwe })
      .where('id', '=', id)
      .execute();
    try {
      // In place, it opens as before.
      const { messageId } = await threadOf(desk);
      expect((await desk.get(url(messageId, id))).statusCode).toBe(200);
      await t.ctx.store.db
        .updateTable('attachments')
        .set({ envelope_id: second.id })
        .where('id', '=', id)
        .execute();
      const moved = await billing.get(url((await threadOf(billing)).messageId, id));
      expect(moved.statusCode).toBe(500);
      expect(moved.body).not.toContain('claim line');
      expect((await downloads(id)).at(-1)).toMatchObject({
        outcome: 'failed',
        detail: expect.objectContaining({ reason: 'moved' }) as unknown,
      });
    } finally {
      await t.ctx.store.db
        .updateTable('attachments')
        .set({ envelope_id: first.id, wrapped_key: row.wrapped_key })
        .where('id', '=', id)
        .execute();
    }
  });

  it('answers a clear error for a cut-short small file, and records the failure, not a download', async () => {
    const id = await attachmentId('notes.txt');
    const file = blobFile(id);
    const original = readFileSync(file);
    truncateSync(file, HEADER + SEALED + 100);
    try {
      const { messageId } = await threadOf(desk);
      const before = (await downloads(id)).length;
      const res = await desk.get(url(messageId, id));
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({
        code: 'INTERNAL',
        message: expect.stringMatching(/stored copy is missing, incomplete or altered/) as string,
      });
      expect(res.headers['content-disposition']).toBeUndefined();
      const records = (await downloads(id)).slice(before);
      expect(records).toEqual([
        expect.objectContaining({
          outcome: 'failed',
          detail: expect.objectContaining({ reason: 'damaged' }) as unknown,
        }),
      ]);
    } finally {
      restore(file, original);
    }
  });

  it('answers an error, not a 200, when the first chunk of a large file does not authenticate', async () => {
    const id = await attachmentId('scan.bin');
    const file = blobFile(id);
    const original = readFileSync(file);
    // Cut inside the first chunk: nothing of the file can be vouched for.
    truncateSync(file, HEADER + 1000);
    try {
      const { messageId } = await threadOf(desk);
      const before = (await downloads(id)).length;
      const res = await desk.get(url(messageId, id));
      expect(res.statusCode).toBe(500);
      expect(res.json<{ message: string }>().message).toMatch(/incomplete or altered/);
      expect((await downloads(id)).slice(before)).toEqual([
        expect.objectContaining({
          outcome: 'failed',
          detail: expect.objectContaining({ reason: 'damaged' }) as unknown,
        }),
      ]);
    } finally {
      restore(file, original);
    }
  });

  it('aborts a large transfer whose later chunk was altered, and records the failure, not a download', async () => {
    const id = await attachmentId('scan.bin');
    const file = blobFile(id);
    const original = readFileSync(file);
    // One bit flipped in chunk 40 of 81: the first 40 chunks are good and go out.
    const at = HEADER + 40 * SEALED + 5;
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.from([original[at]! ^ 1]), 0, 1, at);
    closeSync(fd);
    try {
      const { messageId } = await threadOf(desk);
      const before = (await downloads(id)).length;
      // The headers (200) went out with the first chunks; the transfer then breaks off, short of the promised length.
      await expect(desk.get(url(messageId, id))).rejects.toThrow(/destroyed before completion/);
      const records = (await downloads(id)).slice(before);
      expect(records).toEqual([
        expect.objectContaining({
          outcome: 'failed',
          detail: expect.objectContaining({
            reason: 'damaged',
            bytes: expect.any(Number) as number,
          }) as unknown,
        }),
      ]);
      expect(records[0]!.detail.bytes).toBeGreaterThan(0);
      expect(records[0]!.detail.bytes).toBeLessThan(LARGE.length);
    } finally {
      restore(file, original);
    }
  });

  it('answers a clear error for a file that is gone from the blob store', async () => {
    const id = await attachmentId('notes.txt');
    const file = blobFile(id);
    const original = readFileSync(file);
    rmSync(file);
    try {
      const { messageId } = await threadOf(desk);
      const res = await desk.get(url(messageId, id));
      expect(res.statusCode).toBe(500);
      expect((await downloads(id)).at(-1)).toMatchObject({
        outcome: 'failed',
        detail: expect.objectContaining({ reason: 'missing' }) as unknown,
      });
    } finally {
      restore(file, original);
    }
  });
});

function restore(file: string, bytes: Buffer): void {
  const fd = openSync(file, 'w', 0o600);
  try {
    writeSync(fd, bytes);
  } finally {
    closeSync(fd);
  }
}
