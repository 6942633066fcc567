import { createHash, randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import type { SenderVerifierOptions } from '../auth/sender-auth';

/**
 * The DEVELOPMENT token issuer: stands in for Entra ID on a developer's
 * machine and in tests, so `GET /dev/token` can hand out sender tokens. Its
 * key sits in a file in the data folder, so anyone who can read that folder
 * can mint tokens: production config must refuse to enable it. The issuer
 * URL uses the reserved `.invalid` TLD so it can never be a real identity
 * provider, and config checks can recognise it by `DEV_ISSUER_URL`.
 */
export const DEV_ISSUER_URL = 'https://dev-issuer.secure-envelope.invalid';
/** Fixed, recognisable and hex-valid (some code may expect a GUID-shaped `tid`). */
export const DEV_ISSUER_TENANT_ID = '00000000-0000-0000-0000-00000000de01';
export const DEV_ISSUER_AUDIENCE = 'api://secure-envelope-dev';
export const DEV_ISSUER_SCOPE = 'Envelope.Send';
export const DEV_ISSUER_ALGORITHM = 'ES256';
export const DEV_ISSUER_KEY_FILE = 'dev-issuer.json';
const DEFAULT_TTL_SECONDS = 3600;
const MAX_TTL_SECONDS = 24 * 3600;

export interface DevIssuer {
  /** A signed access token for a development sender, shaped like an Entra v2 token. */
  issue(request: { address: string; name?: string; ttlSeconds?: number }): Promise<string>;
  /** The public signing key (never the private part). */
  jwks(): JSONWebKeySet;
  /** Options for `createSenderVerifier` that accept exactly this issuer's tokens. */
  verifierOptions(): SenderVerifierOptions;
}

interface KeyFile {
  version: 1;
  alg: typeof DEV_ISSUER_ALGORITHM;
  kid: string;
  privateJwk: JWK;
  createdAt: string;
}

/** Loads the key from `<dataDir>/dev-issuer.json`, creating it (0600) on first run. */
export async function createDevIssuer(dataDir: string): Promise<DevIssuer> {
  const file = await loadOrCreateKeyFile(join(dataDir, DEV_ISSUER_KEY_FILE));
  const privateKey = await importJWK(file.privateJwk, DEV_ISSUER_ALGORITHM);
  const publicJwk = publicPart(file.privateJwk, file.kid);

  return {
    async issue({ address, name, ttlSeconds = DEFAULT_TTL_SECONDS }) {
      const normalized = address.trim().toLowerCase();
      if (!/^[^\s@]+@[^\s@]+$/.test(normalized))
        throw new Error('dev issuer: address must be a mail address');
      if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0 || ttlSeconds > MAX_TTL_SECONDS) {
        throw new Error(`dev issuer: ttlSeconds must be an integer in 1..${MAX_TTL_SECONDS}`);
      }
      const oid = stableObjectId(normalized);
      const claims: Record<string, string> = {
        tid: DEV_ISSUER_TENANT_ID,
        oid,
        preferred_username: normalized,
        scp: DEV_ISSUER_SCOPE,
        ver: '2.0',
      };
      if (name !== undefined) claims.name = name;
      return sign(privateKey, file.kid, claims, oid, ttlSeconds);
    },
    jwks: () => ({ keys: [{ ...publicJwk }] }),
    verifierOptions: () => ({
      issuers: [DEV_ISSUER_URL],
      audience: DEV_ISSUER_AUDIENCE,
      tenants: [DEV_ISSUER_TENANT_ID],
      requiredScope: DEV_ISSUER_SCOPE,
      algorithms: [DEV_ISSUER_ALGORITHM],
      jwks: { keys: { keys: [{ ...publicJwk }] } },
    }),
  };
}

function sign(
  key: CryptoKey | Uint8Array,
  kid: string,
  claims: Record<string, string>,
  subject: string,
  ttlSeconds: number,
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: DEV_ISSUER_ALGORITHM, typ: 'JWT', kid })
    .setIssuer(DEV_ISSUER_URL)
    .setAudience(DEV_ISSUER_AUDIENCE)
    .setSubject(subject)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(key);
}

/** The same address always gets the same `oid`, as a real directory would give it. */
function stableObjectId(address: string): string {
  const hex = createHash('sha256').update(`secure-envelope-dev:${address}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function publicPart(privateJwk: JWK, kid: string): JWK {
  const { kty, crv, x, y } = privateJwk;
  return { kty, crv, x, y, kid, alg: DEV_ISSUER_ALGORITHM, use: 'sig' };
}

async function loadOrCreateKeyFile(path: string): Promise<KeyFile> {
  try {
    return await readKeyFile(path);
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const { privateKey } = await generateKeyPair(DEV_ISSUER_ALGORITHM, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const file: KeyFile = {
    version: 1,
    alg: DEV_ISSUER_ALGORITHM,
    kid: await calculateJwkThumbprint(privateJwk),
    privateJwk,
    createdAt: new Date().toISOString(),
  };
  // Written whole to a private temporary file, then linked into place: a reader
  // never sees half a key, and when two processes start at once the first link
  // wins and the other adopts its key instead of overwriting it.
  const temporary = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temporary, path);
    return file;
  } catch (error) {
    if (!isErrno(error, 'EEXIST')) throw error;
    return await readKeyFile(path);
  } finally {
    await unlink(temporary).catch(() => undefined);
  }
}

async function readKeyFile(path: string): Promise<KeyFile> {
  const text = await readFile(path, 'utf8');
  // A copied or restored file may have lost its mode; the private key must stay private.
  if (process.platform !== 'win32' && ((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!isKeyFile(parsed)) {
    throw new Error(
      `dev issuer: ${path} is not a development issuer key file; delete it to create a new key`,
    );
  }
  return parsed;
}

function isKeyFile(value: unknown): value is KeyFile {
  if (!isRecord(value) || !isRecord(value.privateJwk)) return false;
  const jwk = value.privateJwk;
  return (
    value.version === 1 &&
    value.alg === DEV_ISSUER_ALGORITHM &&
    typeof value.kid === 'string' &&
    jwk.kty === 'EC' &&
    jwk.crv === 'P-256' &&
    typeof jwk.d === 'string'
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function isErrno(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}
