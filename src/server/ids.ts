import { createHash, randomBytes } from 'node:crypto';

/** A random identifier: 128 bits, URL-safe. */
export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** A secure-link token: 256 random bits. Only its hash is stored. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256, base64url: how tokens and request bodies are remembered. */
export function sha256(value: string | Uint8Array): string {
  return createHash('sha256').update(value).digest('base64url');
}
