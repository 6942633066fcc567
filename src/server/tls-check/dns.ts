import { Resolver } from 'node:dns/promises';

/**
 * DNS lookups for the checker, through the configured resolvers (or the
 * system's). Answers are sorted into what a verdict needs: records, "the name
 * does not exist", "no records of this type", or a temporary failure that
 * must never be read as an answer.
 */
export type DnsAnswer<T> =
  | { kind: 'records'; records: T[] }
  | { kind: 'nxdomain' }
  | { kind: 'nodata' }
  | { kind: 'failure'; error: string };

export interface MailDns {
  mx(domain: string): Promise<DnsAnswer<{ exchange: string; priority: number }>>;
  addresses(host: string): Promise<DnsAnswer<string>>;
  txt(name: string): Promise<DnsAnswer<string>>;
}

export function createMailDns(options: { servers?: string[] | undefined; timeoutMs: number }): MailDns {
  // c-ares retries each server `tries` times with growing timeouts; two tries
  // keep a lost UDP packet from turning into a failure.
  const resolver = new Resolver({ timeout: Math.max(1, Math.floor(options.timeoutMs / 3)), tries: 2 });
  if (options.servers !== undefined && options.servers.length > 0) resolver.setServers(options.servers);

  async function ask<T>(query: () => Promise<T[]>): Promise<DnsAnswer<T>> {
    try {
      const records = await query();
      return records.length === 0 ? { kind: 'nodata' } : { kind: 'records', records };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? 'EUNKNOWN';
      if (code === 'ENOTFOUND') return { kind: 'nxdomain' };
      if (code === 'ENODATA') return { kind: 'nodata' };
      return { kind: 'failure', error: dnsErrorText(code) };
    }
  }

  return {
    mx: (domain) => ask(() => resolver.resolveMx(domain)),
    async addresses(host) {
      const [v4, v6] = await Promise.all([
        ask(() => resolver.resolve4(host)),
        ask(() => resolver.resolve6(host)),
      ]);
      const records = [
        ...(v4.kind === 'records' ? v4.records : []),
        ...(v6.kind === 'records' ? v6.records : []),
      ];
      if (records.length > 0) return { kind: 'records', records };
      if (v4.kind === 'failure') return v4;
      if (v6.kind === 'failure') return v6;
      if (v4.kind === 'nxdomain') return v4;
      return { kind: 'nodata' };
    },
    txt: (name) => ask(async () => (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''))),
  };
}

function dnsErrorText(code: string): string {
  switch (code) {
    case 'ESERVFAIL':
      return 'DNS server failure (SERVFAIL)';
    case 'ETIMEOUT':
      return 'DNS query timed out';
    case 'ECONNREFUSED':
      return 'DNS server refused the connection';
    case 'EREFUSED':
      return 'DNS query refused';
    default:
      return `DNS lookup failed (${code})`;
  }
}
