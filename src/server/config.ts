import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { DEFAULT_DETECTION_POLICY } from '../shared/detection-policy';
import { ENTITY_TYPES } from '../shared/entities';
import { TLS_LEVELS } from '../shared/org-policy';
import { phiPolicySchema } from '../shared/policy';
import { FEATURE_CONFIG } from './features';

/**
 * Server configuration: embedded defaults, then a JSON file, then environment
 * variables. Validated once at start-up; a bad value stops the server with a
 * message naming the key, before it takes a single request.
 */
const url = z.url({ error: 'must be a URL' });
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9.-]+\.[a-z]{2,63}$/, 'must be a domain name');

const configSchema = z
  .object({
    mode: z.enum(['development', 'production']).default('development'),
    host: z.string().default('127.0.0.1'),
    /**
     * The reverse proxies in front of the server (addresses or CIDR ranges):
     * only then are X-Forwarded-For addresses believed, for rate limits and
     * the audit log.
     */
    trustProxy: z.array(z.string().min(1)).optional(),
    port: z.coerce.number().int().min(0).max(65535).default(3000),
    /** https with a local certificate, or plain http (explicit only). */
    tls: z.enum(['local-certificate', 'files', 'off']).default('local-certificate'),
    tlsCertFile: z.string().optional(),
    tlsKeyFile: z.string().optional(),
    dataDir: z.string().default('./data'),
    databaseUrl: z.string().optional(),
    redisUrl: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
      .optional(),
    /** Prefix of every Redis key, so several deployments can share one Redis. */
    redisPrefix: z.string().max(64).default('secure-envelope:'),
    /** Unset in development: the built-in mail catcher takes every notice. */
    smtpUrl: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    /** The address recipients and add-ins reach this server at. */
    publicUrl: url.optional(),
    org: z
      .object({
        name: z.string().min(1).default('Health Plan'),
        supportContact: z.string().min(1).default('Provider Services'),
        noticeFrom: z.string().min(3).default('"Secure Mail" <secure-mail@localhost>'),
        // Shown at the top of every notice: an https address of the organisation's logo.
        logoUrl: z.url({ protocol: /^https$/, error: 'an https URL of the logo image' }).optional(),
      })
      .strict()
      .prefault({}),
    auth: z
      .object({
        /** The built-in development token issuer; refused in production. */
        devIssuer: z.boolean().default(true),
        issuers: z.array(z.string().min(1)).default([]),
        audience: z.string().optional(),
        tenants: z.array(z.string().min(1)).default([]),
        requiredScope: z.string().default('Envelope.Send'),
        jwksUrl: url.optional(),
      })
      .strict()
      .prefault({}),
    limits: z
      .object({
        bodyBytes: z
          .number()
          .int()
          .positive()
          .default(1024 * 1024),
        attachmentBytes: z
          .number()
          .int()
          .positive()
          .default(25 * 1024 * 1024),
        totalBytes: z
          .number()
          .int()
          .positive()
          .default(35 * 1024 * 1024),
        /** Requests one client address may make a minute, on every route. */
        requestsPerMinute: z.number().int().positive().default(600),
      })
      .strict()
      .prefault({}),
    links: z
      .object({ readDays: z.number().int().min(1).max(365).default(30) })
      .strict()
      .prefault({}),
    /**
     * Delivery of notices: retries with doubling delays (and jitter) from
     * baseDelaySeconds up to maxDelaySeconds, maxAttempts in all: about a day
     * by default, so a relay outage of hours loses nothing. A worker's lease
     * on the notices it works on is renewed while it works; a crashed worker's
     * notices are due again after leaseSeconds.
     */
    outbox: z
      .object({
        maxAttempts: z.number().int().min(1).max(1000).default(30),
        baseDelaySeconds: z.number().min(1).max(3600).default(30),
        maxDelaySeconds: z.number().min(1).max(86_400).default(3600),
        leaseSeconds: z.number().min(3).max(3600).default(15),
      })
      .strict()
      .prefault({}),
    /** On SIGTERM, the longest the server drains: requests in flight and still arriving get this long. */
    shutdownGraceSeconds: z.coerce.number().min(0).max(600).default(10),
    // Content is deleted this many days after its message expired or was revoked; the sweep runs every sweepMinutes.
    retention: z
      .object({
        days: z.number().int().min(1).max(3650).default(30),
        sweepMinutes: z.number().int().min(1).max(1440).default(60),
      })
      .strict()
      .prefault({}),
    /**
     * Where attachment ciphertext is kept: files under dataDir, or an S3
     * bucket that every instance of the server shares.
     */
    blobs: z
      .object({
        kind: z.enum(['fs', 's3']).default('fs'),
        s3: z
          .object({
            /** Unset: AWS itself; set for an S3-compatible service (MinIO, Ceph, R2 and the like). */
            endpoint: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
            bucket: z
              .string({
                error: (issue) =>
                  issue.input === undefined
                    ? 'required with blobs.kind "s3" (S3_BUCKET)'
                    : 'must be a string',
              })
              .regex(/^[\w.-]{3,255}$/, 'must be a bucket name (letters, digits, ".", "-", "_")'),
            region: z
              .string()
              .regex(/^[\w-]{1,64}$/, 'must be a region name such as us-east-1')
              .default('us-east-1'),
            /** Put before every key as it is: end it with "/" for a folder. */
            prefix: z
              .string()
              .max(512)
              .regex(/^(?!\/)[\w!.*'()/-]*$/, "use letters, digits and !-_.*'()/, not starting with /")
              .default(''),
            /** Bucket in the path, not the host name: what most S3-compatible services need. */
            forcePathStyle: z
              .preprocess((value) => {
                if (typeof value !== 'string') return value;
                if (['1', 'true', 'yes'].includes(value.toLowerCase())) return true;
                if (['0', 'false', 'no'].includes(value.toLowerCase())) return false;
                return value;
              }, z.boolean())
              .default(false),
            /** Unset: the AWS SDK's default chain (AWS_ACCESS_KEY_ID and the like, profiles, an instance role). */
            accessKeyId: z.string().min(1).optional(),
            secretAccessKey: z.string().min(1).optional(),
          })
          .strict()
          .refine((s3) => (s3.accessKeyId === undefined) === (s3.secretAccessKey === undefined), {
            path: ['secretAccessKey'],
            error: 'accessKeyId and secretAccessKey go together: set both or neither',
          })
          .optional(),
      })
      .strict()
      .refine((blobs) => blobs.kind !== 's3' || blobs.s3 !== undefined, {
        path: ['s3', 'bucket'],
        error: 'required with blobs.kind "s3" (S3_BUCKET)',
      })
      .prefault({}),
    ...FEATURE_CONFIG,
    policy: z
      .object({
        orgDomains: z.array(domain).default([]),
        enabledTypes: z.array(z.enum(ENTITY_TYPES)).default([...ENTITY_TYPES]),
        minScore: z.number().min(0).max(1).default(DEFAULT_DETECTION_POLICY.minScore),
        keywords: z.array(z.string().min(2).max(100)).default([...DEFAULT_DETECTION_POLICY.keywords]),
        tlsMinimum: z.enum(TLS_LEVELS).default('verified'),
        alwaysSecure: z
          .array(domain)
          .default(['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'aol.com', 'icloud.com']),
        knownGood: z.array(domain).default([]),
        action: z.enum(['secure', 'block', 'prompt']).default('secure'),
        // An attachment the add-in cannot read goes securely to unverified domains unless the admin says otherwise.
        unscannedAttachments: z.enum(['secure', 'prompt', 'allow']).default('secure'),
        // With action "prompt": whether sending flagged mail as is needs a reason (it is recorded either way).
        overrideReason: z.enum(['required', 'optional']).default('required'),
        // The notice Outlook sends in the clear: a generic subject unless the admin lets the original show.
        noticeSubject: z.enum(['generic', 'original']).default('generic'),
        // PHI written in prose: on by default; categories that count alone, categories off, own words.
        phi: phiPolicySchema.optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema> & { publicUrl: string };

/** Environment variables and the config keys they set. */
const ENV_KEYS: Record<string, string> = {
  PORT: 'port',
  HOST: 'host',
  DATA_DIR: 'dataDir',
  DATABASE_URL: 'databaseUrl',
  REDIS_URL: 'redisUrl',
  SMTP_URL: 'smtpUrl',
  SHUTDOWN_GRACE_SECONDS: 'shutdownGraceSeconds',
  PUBLIC_URL: 'publicUrl',
  SECURE_ENVELOPE_MODE: 'mode',
  SECURE_ENVELOPE_TLS: 'tls',
  BLOB_STORE: 'blobs.kind',
  S3_ENDPOINT: 'blobs.s3.endpoint',
  S3_BUCKET: 'blobs.s3.bucket',
  S3_REGION: 'blobs.s3.region',
  S3_PREFIX: 'blobs.s3.prefix',
  S3_FORCE_PATH_STYLE: 'blobs.s3.forcePathStyle',
  SECURE_ENVELOPE_DNS_SERVERS: 'tlsCheck.dnsServers',
  SECURE_ENVELOPE_EXTRA_CA: 'tlsCheck.extraCaFile',
  SECURE_ENVELOPE_ALLOW_PRIVATE_MX: 'tlsCheck.allowPrivateMx',
};

/** Sets `path` (e.g. tlsCheck.dnsServers) in a raw config object, making the sections it needs. */
function setPath(raw: Record<string, unknown>, path: string[], value: string): void {
  const [head, ...rest] = path as [string, ...string[]];
  if (rest.length === 0) {
    raw[head] = value;
    return;
  }
  const section = raw[head];
  const next =
    typeof section === 'object' && section !== null && !Array.isArray(section)
      ? (section as Record<string, unknown>)
      : {};
  raw[head] = next;
  setPath(next, rest, value);
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/**
 * Reads the configuration. `file` (or SECURE_ENVELOPE_CONFIG) is a JSON file;
 * environment variables override it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, file = env.SECURE_ENVELOPE_CONFIG): Config {
  let raw: Record<string, unknown> = {};
  if (file !== undefined && file !== '') {
    try {
      raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new ConfigError(
        `cannot read config file '${file}': ${e instanceof Error ? e.message : 'unreadable'}`,
      );
    }
  }
  for (const [name, key] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value !== undefined && value !== '') setPath(raw, key.split('.'), value);
  }
  if (env.NODE_ENV === 'production' && raw.mode === undefined) raw.mode = 'production';
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join('.') || '(top level)';
    const message =
      issue.code === 'unrecognized_keys' ? `unknown key '${issue.keys.join("', '")}'` : issue.message;
    throw new ConfigError(`invalid configuration: ${key}: ${message}`);
  }
  const config = parsed.data;
  const scheme = config.tls === 'off' ? 'http' : 'https';
  const publicUrl = (config.publicUrl ?? `${scheme}://localhost:${config.port}`).replace(/\/$/, '');
  checkProduction(config, publicUrl);
  return { ...config, publicUrl };
}

/** Production refuses everything that only makes sense on a developer's machine. */
function checkProduction(config: z.infer<typeof configSchema>, publicUrl: string): void {
  if (config.mode !== 'production') {
    // Development mints sender tokens for anyone who asks: only on this machine,
    // and never beside a real identity provider's settings.
    const loopback = ['127.0.0.1', '::1', 'localhost'].includes(config.host);
    if (config.auth.devIssuer && !loopback) {
      throw new ConfigError(
        `invalid configuration: host: development mode (with its token issuer) listens on loopback only; ` +
          `set SECURE_ENVELOPE_MODE=production to serve on ${config.host}`,
      );
    }
    if (config.auth.devIssuer && config.auth.jwksUrl !== undefined) {
      throw new ConfigError(
        'invalid configuration: auth.devIssuer: turn the development issuer off when auth.jwksUrl is set ' +
          '(or set SECURE_ENVELOPE_MODE=production)',
      );
    }
    return;
  }
  const fail = (key: string, why: string): never => {
    throw new ConfigError(`invalid configuration for production: ${key}: ${why}`);
  };
  if (config.publicUrl === undefined)
    fail('publicUrl', 'PUBLIC_URL is required (links in notices point at it)');
  if (config.tls === 'local-certificate') {
    fail('tls', 'use "files" with a real certificate, or "off" behind a TLS-terminating proxy');
  }
  if (config.auth.devIssuer)
    fail('auth.devIssuer', 'the development token issuer must be off (set it to false)');
  if (config.smtpUrl === undefined)
    fail('smtpUrl', 'SMTP_URL is required (the mail catcher is for development)');
  if (config.auth.jwksUrl === undefined) fail('auth.jwksUrl', 'the identity provider JWKS URL is required');
  if (config.auth.audience === undefined) fail('auth.audience', 'the API audience is required');
  if (config.auth.issuers.length === 0) fail('auth.issuers', 'at least one trusted issuer is required');
  if (config.auth.tenants.length === 0) fail('auth.tenants', 'at least one tenant id is required');
  // Secure links, sign-in cookies and the add-in's bearer tokens travel to
  // PUBLIC_URL: a plain-http address would send them in the clear, whether
  // this server or a proxy in front of it terminates TLS.
  if (!publicUrl.startsWith('https://')) {
    fail(
      'publicUrl',
      config.tls === 'off'
        ? 'must be https:// (behind a TLS-terminating proxy) when tls is off'
        : `PUBLIC_URL must be https:// (the server serves TLS with tls "${config.tls}"); got ${new URL(publicUrl).origin}`,
    );
  }
  // Recipients' domains are chosen by strangers; with this on, their MX
  // records could point the TLS checker at this network's own hosts.
  if (config.tlsCheck.allowPrivateMx) {
    fail(
      'tlsCheck.allowPrivateMx',
      'SECURE_ENVELOPE_ALLOW_PRIVATE_MX lets MX hosts resolve to loopback and private addresses, ' +
        'which is for tests on one machine only: unset it (or set it to 0)',
    );
  }
}

/** The names a developer's own browser reaches this machine by. */
export const LOOPBACK_NAMES: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The host part of a URL (any scheme), lower-cased; null when it does not parse. */
function hostOf(url: string): string | null {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/**
 * Development mode mints a sender token for anyone who asks (`/dev/token`), so
 * a server in that mode must serve nobody but the developer at this machine.
 * A public PUBLIC_URL means it is meant to be reached from elsewhere (through
 * a proxy, which the loopback listener does not stop), and a real SMTP relay
 * means its notices would reach real recipients: either says production was
 * meant, and the server refuses to start instead of failing open.
 *
 * Called when the server starts rather than from loadConfig: the CLI's other
 * commands (check-tls, keys, audit) read the same settings without serving
 * anyone, and may run beside a deployment's environment.
 */
export function checkDevelopmentStaysLocal(config: Config): void {
  if (config.mode !== 'development') return;
  const fail = (key: string, why: string): never => {
    throw new ConfigError(`invalid configuration for development: ${key}: ${why}`);
  };
  const publicHost = hostOf(config.publicUrl);
  if (publicHost === null || !LOOPBACK_NAMES.has(publicHost)) {
    const scheme = config.tls === 'off' ? 'http' : 'https';
    fail(
      'publicUrl',
      `development mode hands out sender tokens to anyone who asks, so it serves this machine only, ` +
        `but PUBLIC_URL is ${new URL(config.publicUrl).origin}: set NODE_ENV=production (with the production settings) ` +
        `to serve that address, or PUBLIC_URL=${scheme}://localhost:${config.port} to develop`,
    );
  }
  if (config.smtpUrl !== undefined) {
    const relay = hostOf(config.smtpUrl);
    if (relay === null || !LOOPBACK_NAMES.has(relay)) {
      fail(
        'smtpUrl',
        `development mode sends notices only to the built-in mail catcher or an SMTP server on this machine, ` +
          `but SMTP_URL names the relay ${relay ?? '(unparsable)'}: set NODE_ENV=production (with the ` +
          `production settings) to deliver real mail, or unset SMTP_URL to use the mail catcher`,
      );
    }
  }
}
