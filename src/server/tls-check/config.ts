import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** "host:port" or "host" (port 53), IPv6 in brackets: what node:dns accepts as a server. */
const dnsServer = z
  .string()
  .trim()
  .regex(
    /^(?:\d{1,3}(?:\.\d{1,3}){3}|\[[\da-f:.]+\])(?::\d{1,5})?$|^[\da-f:]+$/i,
    'must be a resolver address such as 127.0.0.1:5353',
  );

/** Either an array (config file) or one comma-separated string (SECURE_ENVELOPE_DNS_SERVERS). */
const dnsServers = z.preprocess(
  (value) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : value,
  z.array(dnsServer).max(8),
);

/** "1"/"true" from the environment, or a boolean from the file. */
const flag = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  if (['1', 'true', 'yes'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no', ''].includes(value.toLowerCase())) return false;
  return value;
}, z.boolean());

/** Checked at start-up, so a wrong path stops the server with the key's name, not at the first probe. */
function holdsCertificate(file: string): boolean {
  try {
    return readFileSync(file, 'utf8').includes('-----BEGIN CERTIFICATE-----');
  } catch {
    return false;
  }
}

const ms = (fallback: number, max = 120_000) => z.number().int().min(1).max(max).default(fallback);
const seconds = (fallback: number) =>
  z
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .default(fallback);

/** Settings of the recipient-domain TLS checker (`tlsCheck` in the config file). */
export const tlsCheckConfig = z
  .object({
    /** Resolvers to ask; unset → the system's. */
    dnsServers: dnsServers.optional(),
    /** PEM file of extra trusted roots, on top of Node's bundled ones. */
    extraCaFile: z
      .string()
      .min(1)
      .refine(holdsCertificate, 'must be a readable PEM file with at least one certificate')
      .optional(),
    /**
     * Lets MX and MTA-STS hosts resolve to loopback and private addresses: for
     * tests on one machine only. Cloud metadata addresses stay refused even then.
     */
    allowPrivateMx: flag.default(false),
    /** The API answers within this; what did not finish is `unknown` and keeps going in the background. */
    deadlineMs: ms(2500, 4500),
    dnsTimeoutMs: ms(1500),
    connectTimeoutMs: ms(5000),
    greetingTimeoutMs: ms(10_000),
    commandTimeoutMs: ms(5000),
    handshakeTimeoutMs: ms(5000),
    policyTimeoutMs: ms(5000),
    /** Hard ceiling on one domain's probe, background included. */
    probeTimeoutMs: ms(45_000, 300_000),
    /** MX hosts probed per domain at most (a domain may list hundreds). */
    maxMxHosts: z.number().int().min(1).max(20).default(8),
    /** Seconds a verdict holds: verified or better / none, opportunistic, no-mail / unknown. */
    ttlGoodSeconds: seconds(6 * 3600),
    ttlWeakSeconds: seconds(3600),
    ttlUnknownSeconds: seconds(60),
    /** How long this instance answers from memory before asking the shared store again. */
    memoryTtlSeconds: z.number().int().min(0).max(3600).default(30),
    /** Domains one request may ask about. */
    maxDomainsPerRequest: z.number().int().min(1).max(500).default(50),
    /** New probes (cache misses) one sender may start a minute, and all senders together. */
    clientProbesPerMinute: z.number().int().min(1).default(120),
    globalProbesPerMinute: z.number().int().min(1).default(3000),
    /** Probes running at once on this instance. */
    maxConcurrentProbes: z.number().int().min(1).max(1000).default(32),
  })
  .strict()
  // A sender's budget as large as everyone's would let one sender leave the
  // others nothing but `unknown` verdicts for the rest of the minute.
  .refine((c) => c.clientProbesPerMinute < c.globalProbesPerMinute, {
    path: ['clientProbesPerMinute'],
    error: 'must be below tlsCheck.globalProbesPerMinute, so one sender cannot spend every sender’s budget',
  })
  .prefault({});

export type TlsCheckConfig = z.infer<typeof tlsCheckConfig>;
