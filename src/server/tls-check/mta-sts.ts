import { request as httpsRequest } from 'node:https';
import { connect as tlsConnect, type SecureContext } from 'node:tls';
import type { MtaStsEvidence } from '../../shared/tls-verdict';

/**
 * MTA-STS (RFC 8461): the `_mta-sts` TXT record, the policy file at
 * `https://mta-sts.<domain>/.well-known/mta-sts.txt`, and matching MX hosts
 * against its `mx` patterns. The fetch follows no redirect, reads at most
 * MAX_POLICY_BYTES and gives up after its timeout.
 */

/** RFC 8461 §3.3 suggests senders read at most 64 KiB of a policy. */
export const MAX_POLICY_BYTES = 64 * 1024;
/** RFC 8461 §3.2: max_age is at most 31557600 s (about a year). */
const MAX_AGE_LIMIT = 31_557_600;

export interface MtaStsPolicy {
  id: string;
  mode: 'enforce' | 'testing' | 'none';
  mx: string[];
  maxAge: number;
}

/** The policy id from the `_mta-sts` TXT records, or why there is none usable. */
export function parseStsTxt(records: string[]): { id: string } | { error: string } | null {
  const sts = records.filter((r) => r.startsWith('v=STSv1'));
  if (sts.length === 0) return null;
  if (sts.length > 1) return { error: 'more than one v=STSv1 TXT record' };
  const fields = new Map<string, string>();
  for (const part of sts[0]!.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    if (!fields.has(key)) fields.set(key, part.slice(eq + 1).trim());
  }
  const id = fields.get('id');
  if (id === undefined || !/^[a-z0-9]{1,32}$/i.test(id)) return { error: 'TXT record has no valid id' };
  return { id };
}

const HOST_PATTERN =
  /^(?:\*\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Parses a policy file; the id comes from the TXT record. */
export function parsePolicy(text: string): Omit<MtaStsPolicy, 'id'> | { error: string } {
  const fields = new Map<string, string>();
  const mx: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { error: 'policy line is not "key: value"' };
    const key = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (key === 'mx') mx.push(value.toLowerCase());
    else if (!fields.has(key)) fields.set(key, value);
  }
  if (fields.get('version') !== 'STSv1') return { error: 'policy version is not STSv1' };
  const mode = fields.get('mode');
  if (mode !== 'enforce' && mode !== 'testing' && mode !== 'none') {
    return { error: 'policy mode is not enforce, testing or none' };
  }
  const maxAgeText = fields.get('max_age') ?? '';
  if (!/^\d{1,10}$/.test(maxAgeText)) return { error: 'policy max_age is missing or not a number' };
  const maxAge = Math.min(Number(maxAgeText), MAX_AGE_LIMIT);
  if (mode !== 'none' && mx.length === 0) return { error: 'policy names no mx' };
  const bad = mx.find((m) => !HOST_PATTERN.test(m));
  if (bad !== undefined) return { error: 'policy has an mx pattern that is not a host name' };
  return { mode, mx, maxAge };
}

/**
 * Whether an MX host matches a policy pattern: a literal name, or
 * "*.example.com", which stands for exactly one leftmost label.
 */
export function mxMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!p.startsWith('*.')) return p === h;
  const suffix = p.slice(1); // ".example.com"
  if (!h.endsWith(suffix)) return false;
  const label = h.slice(0, h.length - suffix.length);
  return label.length > 0 && !label.includes('.');
}

export function coversAll(policy: { mx: string[] }, hosts: string[]): boolean {
  return hosts.length > 0 && hosts.every((h) => policy.mx.some((p) => mxMatches(p, h)));
}

export interface PolicyFetch {
  domain: string;
  /** An address of mta-sts.<domain> that passed the SSRF guard. */
  address: string;
  /** Trusted roots, as a context built once. */
  trust: SecureContext;
  timeoutMs: number;
  signal: AbortSignal;
}

/** GETs the policy file: 200 and text/plain only, no redirect, bounded size and time. */
export function fetchPolicyText(fetch: PolicyFetch): Promise<{ text: string } | { error: string }> {
  const host = `mta-sts.${fetch.domain}`;
  return new Promise((resolve) => {
    let settled = false;
    const done = (value: { text: string } | { error: string }): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(value);
    };
    const req = httpsRequest(
      {
        host: fetch.address,
        port: 443,
        path: '/.well-known/mta-sts.txt',
        method: 'GET',
        servername: host,
        headers: { host, accept: 'text/plain', 'user-agent': 'secure-envelope-tls-check' },
        // Our own TLS connection: the trusted roots as one prebuilt context,
        // the certificate checked against mta-sts.<domain>.
        createConnection: () =>
          tlsConnect({
            host: fetch.address,
            port: 443,
            servername: host,
            secureContext: fetch.trust,
            rejectUnauthorized: true,
            minVersion: 'TLSv1.2',
          }),
        signal: fetch.signal,
      },
      (res) => {
        const status = res.statusCode ?? 0;
        if (status >= 300 && status < 400) {
          done({ error: `policy URL redirects (HTTP ${status}); redirects are not followed` });
          return;
        }
        if (status !== 200) {
          done({ error: `policy URL answered HTTP ${status}` });
          return;
        }
        const type = (res.headers['content-type'] ?? '').toLowerCase();
        if (!type.startsWith('text/plain')) {
          done({ error: 'policy is not served as text/plain' });
          return;
        }
        const declared = Number(res.headers['content-length'] ?? '0');
        if (declared > MAX_POLICY_BYTES) {
          done({ error: `policy is larger than ${MAX_POLICY_BYTES} bytes` });
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_POLICY_BYTES) done({ error: `policy is larger than ${MAX_POLICY_BYTES} bytes` });
          else chunks.push(chunk);
        });
        res.on('end', () => {
          done({ text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (e) => {
          done({ error: `policy fetch failed: ${e.message}` });
        });
      },
    );
    const timer = setTimeout(() => {
      done({ error: `policy fetch timed out after ${fetch.timeoutMs} ms` });
    }, fetch.timeoutMs);
    req.on('error', (e) => {
      done({ error: `policy fetch failed: ${e.message}` });
    });
    req.end();
  });
}

export function evidenceOf(
  policy: MtaStsPolicy,
  hosts: string[],
  error: string | null = null,
): MtaStsEvidence {
  return {
    status: 'valid',
    id: policy.id,
    mode: policy.mode,
    mx: policy.mx,
    maxAge: policy.maxAge,
    coversMx: coversAll(policy, hosts),
    error,
  };
}

export function noPolicy(status: MtaStsEvidence['status'], error: string | null): MtaStsEvidence {
  return { status, id: null, mode: null, mx: [], maxAge: null, coversMx: null, error };
}
