/**
 * The key-encryption key (KEK) of a fleet: the one secret the operator hands
 * every instance. The data keys that wrap message keys, and the audit key,
 * live in the database wrapped by it, so every instance reads the same keys
 * and a rotation on one is seen by all. Whoever holds the database without
 * the KEK reads nothing.
 *
 * A KEK is anything that can wrap and unwrap 32 bytes: here a local
 * AES-256-GCM key from the environment or a file; a cloud KMS (AWS KMS Encrypt
 * and Decrypt, Azure Key Vault wrapKey and unwrapKey) fits the same two
 * methods, the context passed as its encryption context or additional data.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface KeyEncryptionKey {
  /** Where the KEK comes from, for messages: never the key itself. */
  readonly source: string;
  /** Seals `key`, bound to `context` (the key's id and purpose): a wrapped key moved to another row does not open. */
  wrap(key: Uint8Array, context: string): Promise<string>;
  /** Opens what `wrap` sealed under the same context; throws when the KEK or the context differs. */
  unwrap(wrapped: string, context: string): Promise<Uint8Array>;
}

/** The KEK variable: 32 bytes, base64 or base64url. */
export const KEK_ENV = 'SECURE_ENVELOPE_KEK';
/** Or a file holding the same (a mounted secret). */
export const KEK_FILE_ENV = 'SECURE_ENVELOPE_KEK_FILE';

const FORMAT = 'kek1';

export class KekError extends Error {
  override name = 'KekError';
}

/** An AES-256-GCM KEK held in memory. */
export function localKek(material: Uint8Array, source: string): KeyEncryptionKey {
  if (material.length !== 32)
    throw new KekError(`${source} must hold 32 bytes (base64), not ${material.length}`);
  const key = Buffer.from(material);
  return {
    source,
    wrap(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const sealed = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return Promise.resolve(`${FORMAT}.${iv.toString('base64url')}.${sealed.toString('base64url')}`);
    },
    unwrap(wrapped, context) {
      const [format, ivText, sealedText] = wrapped.split('.');
      if (format !== FORMAT || ivText === undefined || sealedText === undefined)
        return Promise.reject(new KekError('not a key wrapped by this server'));
      const sealed = Buffer.from(sealedText, 'base64url');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(sealed.subarray(sealed.length - 16));
        const plain = Buffer.concat([
          decipher.update(sealed.subarray(0, sealed.length - 16)),
          decipher.final(),
        ]);
        return Promise.resolve(new Uint8Array(plain));
      } catch {
        return Promise.reject(new KekError(`${source} does not open this key`));
      }
    },
  };
}

/** The KEK the environment names, or undefined when none is set (keys then live in the key file). */
export function kekFromEnvironment(env: NodeJS.ProcessEnv): KeyEncryptionKey | undefined {
  const direct = env[KEK_ENV];
  const file = env[KEK_FILE_ENV];
  if (direct !== undefined && direct !== '' && file !== undefined && file !== '')
    throw new KekError(`set ${KEK_ENV} or ${KEK_FILE_ENV}, not both`);
  if (direct !== undefined && direct !== '') return localKek(decode(direct, KEK_ENV), KEK_ENV);
  if (file !== undefined && file !== '') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new KekError(
        `${KEK_FILE_ENV}: cannot read ${file} (${(e as { code?: string }).code ?? 'error'})`,
      );
    }
    return localKek(decode(text.trim(), `${KEK_FILE_ENV} (${file})`), `${KEK_FILE_ENV} (${file})`);
  }
  return undefined;
}

function decode(text: string, source: string): Uint8Array {
  if (!/^[\w+/-]+={0,2}$/.test(text)) throw new KekError(`${source} must be 32 bytes in base64`);
  return new Uint8Array(Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}
