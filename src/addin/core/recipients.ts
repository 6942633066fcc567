import type { OrgPolicy } from '../../shared/org-policy';
import type { Recipients } from '../office/types';

/** The domain of an address, lower-cased; '' when it has none. */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0
    ? ''
    : address
        .slice(at + 1)
        .trim()
        .toLowerCase()
        .replace(/\.$/, '');
}

/** Whether `domain` is `parent` or one of its subdomains. */
export function domainWithin(domain: string, parent: string): boolean {
  const p = parent.toLowerCase();
  return domain === p || domain.endsWith('.' + p);
}

export function allAddresses(r: Recipients): string[] {
  return r.to.concat(r.cc, r.bcc);
}

/** Domains of recipients outside the organisation, each once, in order of appearance. */
export function externalDomains(r: Recipients, policy: Pick<OrgPolicy, 'orgDomains'>): string[] {
  const out: string[] = [];
  for (const address of allAddresses(r)) {
    const domain = domainOf(address);
    if (policy.orgDomains.some((d) => domainWithin(domain, d))) continue;
    if (out.indexOf(domain) < 0) out.push(domain);
  }
  return out;
}
