import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FlattenedJWE } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../../src/server/blobs/fs-blob-store';
import {
  decryptAttachmentStream,
  encryptAttachmentStream,
  newDataKey,
  unwrapDataKey,
  wrapDataKey,
} from '../../../src/server/crypto/attachment-crypto';
import { contentKid, decryptContentJson, encryptContent } from '../../../src/server/crypto/content-crypto';
import { loadOrCreateKeyring, type Keyring } from '../../../src/server/crypto/keyring';
import { retireKey, rewrapAll, rotateKeys } from '../../../src/server/crypto/rotate';
import { openTestStore, STORE_KINDS, type TestStore } from '../helpers/stores';

const aadOf = (id: string) => `envelope:${id};recipients:r-${id}`;
const metaAad = (id: string) => `attachment-meta:${id}`;

async function collect(source: AsyncIterable<Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  for await (const p of source) parts.push(p);
  return Buffer.concat(parts).toString();
}

/** The members the GCM tag covers: rotation must leave them byte for byte. */
function sealedPart(jwe: string): unknown {
  const o = JSON.parse(jwe) as FlattenedJWE;
  return [o.protected, o.iv, o.ciphertext, o.tag, o.aad];
}

describe.each(STORE_KINDS)('key rotation on %s', (kind) => {
  let store: TestStore;
  let keyring: Keyring;
  let blobs: FsBlobStore;
  let firstKid: string;
  const envelopeIds = ['env-a', 'env-b', 'env-c', 'env-d', 'env-e'];
  const attachmentIds = ['att-1', 'att-2', 'att-3'];
  const before = new Map<string, unknown>();

  beforeAll(async () => {
    store = await openTestStore(kind);
    keyring = await loadOrCreateKeyring(store.dataDir, {});
    blobs = new FsBlobStore(store.dataDir);
    firstKid = keyring.current().kid;
    for (const id of envelopeIds) {
      const content = await encryptContent(
        keyring,
        { subject: `subject ${id}`, html: null, text: 'MRN 1234' },
        aadOf(id),
      );
      await store.db
        .insertInto('envelopes')
        .values({
          id,
          sender: 'rep@plan.example',
          sender_subject: 'sub',
          tenant_id: 'tenant',
          content_jwe: content.jwe,
          content_kid: content.kid,
          created_at: new Date().toISOString(),
          expires_at: new Date(Date.now() + 86_400_000).toISOString(),
          revoked_at: null,
        })
        .execute();
      before.set(id, sealedPart(content.jwe));
    }
    for (const [position, id] of attachmentIds.entries()) {
      const dataKey = newDataKey();
      await blobs.put(id, encryptAttachmentStream(dataKey, id, [Buffer.from(`attachment ${id} text`)]));
      const wrapped = await wrapDataKey(keyring, dataKey, id);
      const meta = await encryptContent(
        keyring,
        { name: `${id}.pdf`, contentType: 'application/pdf' },
        metaAad(id),
      );
      await store.db
        .insertInto('attachments')
        .values({
          id,
          envelope_id: 'env-a',
          meta_jwe: meta.jwe,
          wrapped_key: wrapped.jwe,
          wrapped_kid: wrapped.kid,
          blob_key: id,
          size: 10,
          position,
        })
        .execute();
      before.set(id, [sealedPart(wrapped.jwe), sealedPart(meta.jwe)]);
    }
  });

  afterAll(async () => {
    await store.cleanup();
  });

  async function checkAllReadable(kid: string): Promise<void> {
    const envelopes = await store.db.selectFrom('envelopes').selectAll().orderBy('id').execute();
    expect(envelopes).toHaveLength(envelopeIds.length);
    for (const row of envelopes) {
      expect(row.content_kid).toBe(kid);
      expect(contentKid(row.content_jwe)).toBe(kid);
      expect(sealedPart(row.content_jwe)).toEqual(before.get(row.id));
      expect(await decryptContentJson(keyring, row.content_jwe, aadOf(row.id))).toEqual({
        subject: `subject ${row.id}`,
        html: null,
        text: 'MRN 1234',
      });
    }
    const attachments = await store.db.selectFrom('attachments').selectAll().orderBy('id').execute();
    expect(attachments).toHaveLength(attachmentIds.length);
    for (const row of attachments) {
      expect(row.wrapped_kid).toBe(kid);
      expect(contentKid(row.wrapped_key)).toBe(kid);
      expect(contentKid(row.meta_jwe)).toBe(kid);
      expect([sealedPart(row.wrapped_key), sealedPart(row.meta_jwe)]).toEqual(before.get(row.id));
      const dataKey = await unwrapDataKey(keyring, row.wrapped_key, row.id);
      expect(await collect(decryptAttachmentStream(dataKey, row.id, blobs.get(row.blob_key)))).toBe(
        `attachment ${row.id} text`,
      );
      expect(await decryptContentJson(keyring, row.meta_jwe, metaAad(row.id))).toEqual({
        name: `${row.id}.pdf`,
        contentType: 'application/pdf',
      });
    }
  }

  it('rewraps every envelope and attachment under a new key, in batches, leaving ciphertext alone', async () => {
    const result = await rotateKeys(store.db, keyring, { batchSize: 2 });
    expect(result.kid).not.toBe(firstKid);
    expect(result.kid).toBe(keyring.current().kid);
    expect(result).toMatchObject({ envelopes: 5, attachments: 3, failed: [] });
    await checkAllReadable(result.kid);
    // The old key is still there for anything written under it meanwhile.
    expect(keyring.get(firstKid)).toHaveLength(32);
  });

  it('does nothing the second time', async () => {
    const result = await rewrapAll(store.db, keyring, undefined, { batchSize: 2 });
    expect(result).toEqual({
      kid: keyring.current().kid,
      envelopes: 0,
      attachments: 0,
      portalMessages: 0,
      portalAttachments: 0,
      idempotencyResponses: 0,
      notices: 0,
      failed: [],
    });
  });

  it('finishes an interrupted rotation when run again', async () => {
    const newKid = await keyring.rotate();
    // A keyring that dies after a few key look-ups stands in for a crash mid-run.
    let lookups = 0;
    const crashing: Keyring = {
      auditKey: keyring.auditKey,
      auditAnchor: keyring.auditAnchor,
      source: keyring.source,
      current: () => keyring.current(),
      list: () => keyring.list(),
      rotate: () => keyring.rotate(),
      retire: (kid) => keyring.retire(kid),
      get: (kid) => {
        if (++lookups > 7) throw new Error('power cut');
        return keyring.get(kid);
      },
    };
    await expect(rewrapAll(store.db, crashing, newKid, { batchSize: 2 })).rejects.toThrow('power cut');
    const kids = await store.db.selectFrom('envelopes').select('content_kid').execute();
    const moved = kids.filter((k) => k.content_kid === newKid).length;
    // Whole batches committed, the one in flight rolled back.
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(envelopeIds.length);

    const result = await rewrapAll(store.db, keyring, undefined, { batchSize: 2 });
    expect(result.envelopes).toBe(envelopeIds.length - moved);
    expect(result.attachments).toBe(attachmentIds.length);
    await checkAllReadable(newKid);
  });

  it('reports a row it cannot rewrap and carries on with the rest', async () => {
    await store.db
      .updateTable('envelopes')
      .set({ content_jwe: '{"broken":true}' })
      .where('id', '=', 'env-c')
      .execute();
    const result = await rotateKeys(store.db, keyring, { batchSize: 2 });
    expect(result.failed).toEqual([
      { target: 'envelope:env-c', reason: expect.stringContaining('JWE') as string },
    ]);
    expect(result.envelopes).toBe(envelopeIds.length - 1);
    expect(result.attachments).toBe(attachmentIds.length);
    const kids = await store.db.selectFrom('envelopes').select(['id', 'content_kid']).orderBy('id').execute();
    expect(kids.filter((k) => k.content_kid === result.kid).map((k) => k.id)).toEqual([
      'env-a',
      'env-b',
      'env-d',
      'env-e',
    ]);
  });
});

describe.each(STORE_KINDS)('key rotation of the portal’s messages on %s', (kind) => {
  let store: TestStore;
  let keyring: Keyring;
  beforeAll(async () => {
    store = await openTestStore(kind);
    keyring = await loadOrCreateKeyring(store.dataDir, {});
  });
  afterAll(async () => {
    await store.cleanup();
  });

  it('rewraps a recipient’s reply and its attachment key, and both still open', async () => {
    const at = new Date().toISOString();
    const body = await encryptContent(keyring, { subject: 'Re: claim', text: 'reply text' }, 'reply-aad');
    await store.db
      .insertInto('portal_messages')
      .values({
        id: 'pm1',
        thread_id: 'th1',
        envelope_id: null,
        address: 'desk@clinic.example',
        to_address: 'rep@plan.example',
        content_jwe: body.jwe,
        content_kid: body.kid,
        mail_message_id: '<pm1@plan.example>',
        created_at: at,
        expires_at: at,
      })
      .execute();
    const key = await encryptContent(keyring, new Uint8Array(32).fill(7), 'key-aad');
    const meta = await encryptContent(keyring, { name: 'x.pdf', contentType: 'application/pdf' }, 'meta-aad');
    await store.db
      .insertInto('portal_attachments')
      .values({
        id: 'pa1',
        message_id: 'pm1',
        meta_jwe: meta.jwe,
        wrapped_key: key.jwe,
        wrapped_kid: key.kid,
        blob_key: 'pa1',
        size: 1,
        position: 0,
      })
      .execute();

    const result = await rotateKeys(store.db, keyring);
    expect(result).toMatchObject({ envelopes: 0, portalMessages: 1, portalAttachments: 1, failed: [] });
    const message = await store.db.selectFrom('portal_messages').selectAll().executeTakeFirstOrThrow();
    expect(message.content_kid).toBe(result.kid);
    expect(await decryptContentJson(keyring, message.content_jwe, 'reply-aad')).toEqual({
      subject: 'Re: claim',
      text: 'reply text',
    });
    const attachment = await store.db.selectFrom('portal_attachments').selectAll().executeTakeFirstOrThrow();
    expect([
      attachment.wrapped_kid,
      contentKid(attachment.wrapped_key),
      contentKid(attachment.meta_jwe),
    ]).toEqual([result.kid, result.kid, result.kid]);
    expect(await decryptContentJson(keyring, attachment.meta_jwe, 'meta-aad')).toEqual({
      name: 'x.pdf',
      contentType: 'application/pdf',
    });
  });
});

describe.each(STORE_KINDS)(
  'key rotation of retries’ answers and queued notices, and retiring on %s',
  (kind) => {
    let store: TestStore;
    let keyring: Keyring;
    let oldKid: string;
    const at = new Date().toISOString();
    const replayAad = (key: string) => `idempotency:sub:${key}`;

    beforeAll(async () => {
      store = await openTestStore(kind);
      keyring = await loadOrCreateKeyring(store.dataDir, {});
      oldKid = keyring.current().kid;
      for (const key of ['retry-1', 'retry-2', 'retry-3']) {
        const answer = await encryptContent(
          keyring,
          { id: `env-${key}`, subject: 'Claim 4471' },
          replayAad(key),
        );
        await store.db
          .insertInto('idempotency_keys')
          .values({
            sender_subject: 'sub',
            key,
            request_hash: 'h',
            envelope_id: `env-${key}`,
            response_json: answer.jwe,
            created_at: at,
          })
          .execute();
      }
      const notice = await encryptContent(
        keyring,
        { subject: 'A secure message', text: '/r/token' },
        'outbox:o1',
      );
      await store.db
        .insertInto('outbox')
        .values([
          outboxRow('o1', 'pending', notice.jwe),
          // Delivered: its text was scrubbed and holds nothing encrypted.
          outboxRow('o2', 'sent', JSON.stringify({ scrubbed: true })),
        ])
        .execute();
    });
    afterAll(async () => {
      await store.cleanup();
    });

    function outboxRow(id: string, status: 'pending' | 'sent', text: string) {
      return {
        id,
        envelope_id: 'env-retry-1',
        recipient_id: 'r1',
        message_id: `<${id}@plan.example>`,
        to_address: 'desk@clinic.example',
        notice_json: text,
        status,
        next_attempt_at: at,
        last_error: null,
        created_at: at,
        sent_at: null,
      };
    }

    it('refuses to retire the old key while anything still uses it, saying what', async () => {
      await keyring.rotate();
      await expect(retireKey(store.db, keyring, keyring.current().kid)).rejects.toMatchObject({
        code: 'CURRENT_KID',
      });
      expect(await retireKey(store.db, keyring, oldKid)).toEqual({
        retired: false,
        kid: oldKid,
        usage: {
          envelopes: 0,
          attachments: 0,
          portalMessages: 0,
          portalAttachments: 0,
          idempotencyResponses: 3,
          notices: 1,
        },
      });
      expect(keyring.list().map((k) => k.kid)).toContain(oldKid);
    });

    it('rewraps the stored answers and the queued notice, leaving a scrubbed notice as it was', async () => {
      const result = await rewrapAll(store.db, keyring, undefined, { batchSize: 2 });
      expect(result).toMatchObject({ idempotencyResponses: 3, notices: 1, failed: [] });
      const answers = await store.db.selectFrom('idempotency_keys').selectAll().orderBy('key').execute();
      for (const row of answers) {
        expect(contentKid(row.response_json)).toBe(result.kid);
        expect(await decryptContentJson(keyring, row.response_json, replayAad(row.key))).toEqual({
          id: row.envelope_id,
          subject: 'Claim 4471',
        });
      }
      const outbox = await store.db.selectFrom('outbox').selectAll().orderBy('id').execute();
      expect(contentKid(outbox[0]!.notice_json)).toBe(result.kid);
      expect(await decryptContentJson(keyring, outbox[0]!.notice_json, 'outbox:o1')).toEqual({
        subject: 'A secure message',
        text: '/r/token',
      });
      expect(outbox[1]!.notice_json).toBe(JSON.stringify({ scrubbed: true }));
    });

    it('retires the old key once nothing uses it: its material leaves the key file', async () => {
      const material = Buffer.from(keyring.get(oldKid)).toString('base64url');
      expect(await retireKey(store.db, keyring, oldKid)).toEqual({ retired: true, kid: oldKid });
      const file = readFileSync(join(store.dataDir, 'keys.json'), 'utf8');
      expect(file).not.toContain(material);
      expect(file).not.toContain(oldKid);
      expect(() => keyring.get(oldKid)).toThrow(expect.objectContaining({ code: 'UNKNOWN_KID' }) as Error);
      // Everything still opens under the key that remains.
      const answers = await store.db.selectFrom('idempotency_keys').selectAll().execute();
      for (const row of answers)
        await expect(
          decryptContentJson(keyring, row.response_json, replayAad(row.key)),
        ).resolves.toBeTruthy();
    });
  },
);
