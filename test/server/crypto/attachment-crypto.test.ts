import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHUNK_SIZE,
  decryptAttachment,
  decryptAttachmentStream,
  encryptAttachment,
  encryptAttachmentStream,
  encryptedSize,
  newDataKey,
  unwrapDataKey,
  wrapDataKey,
} from '../../../src/server/crypto/attachment-crypto';
import { envelopeOwner, portalMessageOwner } from '../../../src/server/crypto/bindings';
import { contentKid, rewrapContent } from '../../../src/server/crypto/content-crypto';
import { loadOrCreateKeyring, type Keyring } from '../../../src/server/crypto/keyring';

const HEADER = 12;
const SEALED = CHUNK_SIZE + 16;

function pattern(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + (i >> 8)) & 0xff;
  return b;
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const p of source) parts.push(p);
  return Buffer.concat(parts);
}

/** Splits a sealed attachment into its header and sealed chunks. */
function split(sealed: Uint8Array): { header: Buffer; chunks: Buffer[] } {
  const b = Buffer.from(sealed);
  const chunks: Buffer[] = [];
  for (let at = HEADER; at < b.length; at += SEALED)
    chunks.push(b.subarray(at, Math.min(at + SEALED, b.length)));
  return { header: b.subarray(0, HEADER), chunks };
}

const key = newDataKey();

describe('chunked attachment encryption', () => {
  it.each([0, 1, 1000, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 3 * CHUNK_SIZE, 3 * CHUNK_SIZE + 17])(
    'round-trips %i bytes, at the predicted size',
    async (size) => {
      const plain = pattern(size);
      const sealed = await encryptAttachment(key, 'att1', plain);
      expect(sealed.length).toBe(encryptedSize(size));
      expect(Buffer.from(await decryptAttachment(key, 'att1', sealed)).equals(plain)).toBe(true);
    },
  );

  it('streams whatever the input and output piece sizes', async () => {
    const plain = pattern(5 * CHUNK_SIZE + 123);
    async function* pieces(data: Buffer, size: number) {
      for (let at = 0; at < data.length; at += size) {
        await Promise.resolve();
        yield data.subarray(at, at + size);
      }
    }
    const sealed = await collect(encryptAttachmentStream(key, 'att1', pieces(plain, 1000)));
    for (const size of [7, 997, 4096, SEALED, 200_000]) {
      const back = await collect(decryptAttachmentStream(key, 'att1', pieces(sealed, size)));
      expect(back.equals(plain)).toBe(true);
    }
  });

  it('uses a random nonce prefix: the same input twice gives different ciphertext', async () => {
    const a = await encryptAttachment(key, 'att1', pattern(100));
    const b = await encryptAttachment(key, 'att1', pattern(100));
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
  });

  describe('detects', () => {
    const plain = pattern(3 * CHUNK_SIZE + 500);
    let sealed: Uint8Array;
    beforeAll(async () => {
      sealed = await encryptAttachment(key, 'att1', plain);
    });
    const fails = (data: Uint8Array, id = 'att1', k = key) =>
      expect(decryptAttachment(k, id, data)).rejects.toMatchObject({ code: 'ATTACHMENT_DECRYPT_FAILED' });

    it('a flipped bit in a chunk, a tag or the header', async () => {
      for (const at of [HEADER + 5, HEADER + CHUNK_SIZE + 3, HEADER + SEALED + 10, sealed.length - 1, 2, 6]) {
        const bad = Buffer.from(sealed);
        bad[at] = bad[at]! ^ 0x10;
        await fails(bad);
      }
    });

    it('truncation at a chunk boundary, inside a chunk, and down to the header', async () => {
      const { header, chunks } = split(sealed);
      await fails(Buffer.concat([header, ...chunks.slice(0, 3)]));
      await fails(Buffer.concat([header, ...chunks.slice(0, 1)]));
      await fails(Buffer.from(sealed).subarray(0, sealed.length - 100));
      await fails(header);
      await fails(header.subarray(0, 5));
      await fails(new Uint8Array(0));
    });

    it('reordered, duplicated and appended chunks', async () => {
      const { header, chunks } = split(sealed);
      const [c0, c1, c2, c3] = chunks as [Buffer, Buffer, Buffer, Buffer];
      await fails(Buffer.concat([header, c1, c0, c2, c3]));
      await fails(Buffer.concat([header, c0, c0, c2, c3]));
      await fails(Buffer.concat([header, c0, c1, c2, c3, c3]));
    });

    it('a chunk moved from another attachment under the same key', async () => {
      const other = split(await encryptAttachment(key, 'att2', pattern(3 * CHUNK_SIZE + 500)));
      const mine = split(sealed);
      // Even with the other attachment's header (so the nonce matches), its id is bound in.
      await fails(Buffer.concat([other.header, other.chunks[0]!, ...mine.chunks.slice(1)]));
      await fails(Buffer.concat([mine.header, other.chunks[0]!, ...mine.chunks.slice(1)]));
      await fails(Buffer.concat([other.header, ...other.chunks]), 'att1');
    });

    it('the wrong key', async () => {
      await fails(sealed, 'att1', newDataKey());
    });

    it('in the stream, before handing out anything from a bad chunk', async () => {
      const bad = Buffer.from(sealed);
      bad[HEADER + SEALED + 1] = bad[HEADER + SEALED + 1]! ^ 1;
      const received: Uint8Array[] = [];
      await expect(
        (async () => {
          for await (const part of decryptAttachmentStream(key, 'att1', [bad])) received.push(part);
        })(),
      ).rejects.toMatchObject({ code: 'ATTACHMENT_DECRYPT_FAILED' });
      // Only the first (good) chunk came out.
      expect(Buffer.concat(received).equals(plain.subarray(0, CHUNK_SIZE))).toBe(true);
    });
  });
});

describe('data keys', () => {
  let dir: string;
  let keyring: Keyring;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'se-attach-'));
    keyring = await loadOrCreateKeyring(dir, {});
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('wrap and unwrap, bound to their attachment, and rewrap under a new key', async () => {
    const dataKey = newDataKey();
    const wrapped = await wrapDataKey(keyring, dataKey, 'att1');
    expect(wrapped.kid).toBe(keyring.current().kid);
    expect(Buffer.from(await unwrapDataKey(keyring, wrapped.jwe, 'att1')).equals(Buffer.from(dataKey))).toBe(
      true,
    );
    await expect(unwrapDataKey(keyring, wrapped.jwe, 'att2')).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
    });

    const newKid = await keyring.rotate();
    const moved = rewrapContent(keyring, wrapped.jwe, newKid);
    expect(contentKid(moved)).toBe(newKid);
    expect(Buffer.from(await unwrapDataKey(keyring, moved, 'att1')).equals(Buffer.from(dataKey))).toBe(true);
  });

  const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));
  /** The stored JWE with its aad member replaced, as someone editing the row could. */
  const withAad = (jwe: string, aad: string) =>
    JSON.stringify({ ...(JSON.parse(jwe) as object), aad: Buffer.from(aad).toString('base64url') });

  it('binds a new wrap to its envelope: it opens there only, and not without naming it', async () => {
    const dataKey = newDataKey();
    const wrapped = await wrapDataKey(keyring, dataKey, 'att1', envelopeOwner('env-a'));
    expect(same(await unwrapDataKey(keyring, wrapped.jwe, 'att1', envelopeOwner('env-a')), dataKey)).toBe(
      true,
    );
    for (const [id, owner] of [
      ['att1', envelopeOwner('env-b')],
      ['att1', portalMessageOwner('env-a')],
      ['att2', envelopeOwner('env-a')],
    ] as const) {
      await expect(unwrapDataKey(keyring, wrapped.jwe, id, owner)).rejects.toMatchObject({
        code: 'DECRYPT_FAILED',
      });
    }
    await expect(unwrapDataKey(keyring, wrapped.jwe, 'att1')).rejects.toMatchObject({
      code: 'ATTACHMENT_DECRYPT_FAILED',
    });
    // Rotation keeps the binding.
    const moved = rewrapContent(keyring, wrapped.jwe, await keyring.rotate());
    expect(same(await unwrapDataKey(keyring, moved, 'att1', envelopeOwner('env-a')), dataKey)).toBe(true);
    await expect(unwrapDataKey(keyring, moved, 'att1', envelopeOwner('env-b'))).rejects.toThrow();
  });

  it('opens an older wrap, bound to the attachment only; no edit of the stored aad switches kinds', async () => {
    const dataKey = newDataKey();
    const older = await wrapDataKey(keyring, dataKey, 'att1');
    expect(same(await unwrapDataKey(keyring, older.jwe, 'att1', envelopeOwner('env-a')), dataKey)).toBe(true);
    // An older wrap dressed up as a bound one for the envelope it was moved to.
    const dressed = withAad(older.jwe, 'attachment-key:v2;attachment:att1;owner:envelope:env-b');
    await expect(unwrapDataKey(keyring, dressed, 'att1', envelopeOwner('env-b'))).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
    });
    // A bound wrap made to look older, to skip the owner check.
    const bound = await wrapDataKey(keyring, dataKey, 'att1', envelopeOwner('env-a'));
    const aged = withAad(bound.jwe, 'attachment-key:att1');
    await expect(unwrapDataKey(keyring, aged, 'att1', envelopeOwner('env-b'))).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
    });
  });

  it('refuses owners and ids that could shift a field boundary', async () => {
    await expect(wrapDataKey(keyring, newDataKey(), 'att1', 'envelope:a;owner:envelope:b')).rejects.toThrow(
      /not an attachment owner/,
    );
    await expect(wrapDataKey(keyring, newDataKey(), 'a;b', envelopeOwner('env-a'))).rejects.toThrow(/id/);
  });
});
