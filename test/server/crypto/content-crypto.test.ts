import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlattenedEncrypt, flattenedDecrypt, type FlattenedJWE } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  contentKid,
  decryptContent,
  decryptContentJson,
  encryptContent,
  rewrapContent,
} from '../../../src/server/crypto/content-crypto';
import { loadOrCreateKeyring, type Keyring } from '../../../src/server/crypto/keyring';

const AAD = 'envelope:e1;recipients:r1,r2';
const text = (s: string) => new TextEncoder().encode(s);
const b64 = (s: string) => Buffer.from(s, 'base64url');

let dir: string;
let keyring: Keyring;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'se-content-'));
  keyring = await loadOrCreateKeyring(dir, {});
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function edit(jwe: string, change: (o: Record<string, unknown>) => void): string {
  const o = JSON.parse(jwe) as Record<string, unknown>;
  change(o);
  return JSON.stringify(o);
}

function flipFirstByte(value: unknown): string {
  const bytes = b64(value as string);
  bytes[0] = bytes[0]! ^ 1;
  return bytes.toString('base64url');
}

describe('encryptContent / decryptContent', () => {
  it('writes standard JWE that jose reads, and reads the JWE jose writes', async () => {
    const { jwe, kid } = await encryptContent(keyring, text('Member SSN 536-22-1874'), AAD);
    const parsed = JSON.parse(jwe) as FlattenedJWE;
    expect(JSON.parse(b64(parsed.protected!).toString())).toEqual({ alg: 'A256KW', enc: 'A256GCM' });
    expect(b64(parsed.iv!)).toHaveLength(12);
    expect(b64(parsed.tag!)).toHaveLength(16);
    expect(b64(parsed.encrypted_key!)).toHaveLength(40);
    const opened = await flattenedDecrypt(parsed, keyring.get(kid));
    expect(new TextDecoder().decode(opened.plaintext)).toBe('Member SSN 536-22-1874');
    expect(new TextDecoder().decode(opened.additionalAuthenticatedData)).toBe(AAD);

    const made = await new FlattenedEncrypt(text('written by jose'))
      .setProtectedHeader({ alg: 'A256KW', enc: 'A256GCM' })
      .setUnprotectedHeader({ kid })
      .setAdditionalAuthenticatedData(text(AAD))
      .encrypt(keyring.get(kid));
    expect(new TextDecoder().decode(await decryptContent(keyring, JSON.stringify(made), AAD))).toBe(
      'written by jose',
    );
  });

  it('draws a fresh content key and IV for every message', async () => {
    const a = JSON.parse((await encryptContent(keyring, text('same'), AAD)).jwe) as FlattenedJWE;
    const b = JSON.parse((await encryptContent(keyring, text('same'), AAD)).jwe) as FlattenedJWE;
    expect(a.encrypted_key).not.toBe(b.encrypted_key);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('round-trips bytes and JSON', async () => {
    const bytes = await encryptContent(keyring, text('SSN 123-45-6789'), AAD);
    expect(new TextDecoder().decode(await decryptContent(keyring, bytes.jwe, AAD))).toBe('SSN 123-45-6789');
    const doc = { subject: 'Lab results', html: '<p>DOB 01/02/1960</p>', text: null };
    const json = await encryptContent(keyring, doc, AAD);
    expect(await decryptContentJson(keyring, json.jwe, AAD)).toEqual(doc);
  });

  it('writes flattened JSON with A256KW + A256GCM, the kid unprotected and the AAD bound', async () => {
    const { jwe, kid } = await encryptContent(keyring, { subject: 'x' }, AAD);
    const o = JSON.parse(jwe) as FlattenedJWE;
    expect(kid).toBe(keyring.current().kid);
    expect(o.header).toEqual({ kid });
    expect(JSON.parse(b64(o.protected!).toString())).toEqual({ alg: 'A256KW', enc: 'A256GCM', cty: 'json' });
    expect(b64(o.aad!).toString()).toBe(AAD);
    expect(contentKid(jwe)).toBe(kid);
    // No plaintext anywhere in the stored text.
    expect(jwe).not.toContain('subject');
  });

  it('uses a fresh content key and IV every time', async () => {
    const a = JSON.parse((await encryptContent(keyring, text('same'), AAD)).jwe) as FlattenedJWE;
    const b = JSON.parse((await encryptContent(keyring, text('same'), AAD)).jwe) as FlattenedJWE;
    expect(a.encrypted_key).not.toBe(b.encrypted_key);
    expect(a.iv).not.toBe(b.iv);
    expect(a.ciphertext).not.toBe(b.ciphertext);
  });

  it('fails with another AAD, even when the stored aad field is edited to match', async () => {
    const { jwe } = await encryptContent(keyring, text('hello'), AAD);
    await expect(decryptContent(keyring, jwe, 'envelope:e2;recipients:r1,r2')).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
    });
    const moved = edit(jwe, (o) => (o.aad = Buffer.from('envelope:e2').toString('base64url')));
    await expect(decryptContent(keyring, moved, 'envelope:e2')).rejects.toMatchObject({
      code: 'DECRYPT_FAILED',
    });
  });

  it.each(['ciphertext', 'tag', 'iv', 'encrypted_key'])('fails when %s is altered', async (member) => {
    const { jwe } = await encryptContent(keyring, text('hello world'), AAD);
    const bad = edit(jwe, (o) => (o[member] = flipFirstByte(o[member])));
    await expect(decryptContent(keyring, bad, AAD)).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
  });

  it('fails when the protected header is altered', async () => {
    const { jwe } = await encryptContent(keyring, text('hello'), AAD);
    const bad = edit(jwe, (o) => {
      o.protected = Buffer.from(JSON.stringify({ enc: 'A256GCM', alg: 'A256KW' })).toString('base64url');
    });
    await expect(decryptContent(keyring, bad, AAD)).rejects.toMatchObject({ code: 'DECRYPT_FAILED' });
  });

  it('refuses malformed input and an empty AAD', async () => {
    await expect(decryptContent(keyring, 'nope', AAD)).rejects.toMatchObject({ code: 'MALFORMED' });
    await expect(decryptContent(keyring, '{"ciphertext":"x"}', AAD)).rejects.toMatchObject({
      code: 'MALFORMED',
    });
    await expect(encryptContent(keyring, text('x'), '')).rejects.toMatchObject({ code: 'MALFORMED' });
  });

  it('names a missing key clearly', async () => {
    const { jwe } = await encryptContent(keyring, text('x'), AAD);
    const other = edit(jwe, (o) => (o.header = { kid: 'gone' }));
    await expect(decryptContent(keyring, other, AAD)).rejects.toMatchObject({ code: 'UNKNOWN_KID' });
  });
});

describe('rewrapContent', () => {
  it('moves the content key to a new key and leaves everything the tag covers untouched', async () => {
    const { jwe, kid: oldKid } = await encryptContent(keyring, text('rotate me'), AAD);
    const newKid = await keyring.rotate();
    const rewrapped = rewrapContent(keyring, jwe, newKid);
    const before = JSON.parse(jwe) as FlattenedJWE;
    const after = JSON.parse(rewrapped) as FlattenedJWE;
    expect(after.header).toEqual({ kid: newKid });
    expect(after.encrypted_key).not.toBe(before.encrypted_key);
    for (const member of ['protected', 'iv', 'ciphertext', 'tag', 'aad'] as const) {
      expect(after[member]).toBe(before[member]);
    }
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(contentKid(rewrapped)).toBe(newKid);
    expect(newKid).not.toBe(oldKid);

    // Plain jose decrypts it with the new key, and not with the old one.
    const plain = await flattenedDecrypt(after, keyring.get(newKid));
    expect(new TextDecoder().decode(plain.plaintext)).toBe('rotate me');
    await expect(flattenedDecrypt(after, keyring.get(oldKid))).rejects.toThrow();
    expect(new TextDecoder().decode(await decryptContent(keyring, rewrapped, AAD))).toBe('rotate me');
  });

  it('is a no-op for a JWE already under the key', async () => {
    const { jwe, kid } = await encryptContent(keyring, text('x'), AAD);
    expect(rewrapContent(keyring, jwe, kid)).toBe(jwe);
  });

  it('fails cleanly when the named key does not unwrap the content key', async () => {
    const { jwe, kid } = await encryptContent(keyring, text('x'), AAD);
    const other = await keyring.rotate();
    const lying = edit(jwe, (o) => (o.header = { kid: other }));
    expect(() => rewrapContent(keyring, lying, kid)).toThrow(
      expect.objectContaining({ code: 'DECRYPT_FAILED' }) as Error,
    );
  });
});
