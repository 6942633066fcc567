import { BlockList, isIP } from 'node:net';

/**
 * The SSRF guard: strangers choose the domains we probe, and a domain's MX
 * can point anywhere. Only public unicast addresses are dialled, unless the
 * test configuration allows private ones; cloud metadata endpoints never.
 */

const NEVER = new BlockList();
// Instance metadata services (AWS/GCP/Azure/OpenStack, AWS over IPv6).
NEVER.addAddress('169.254.169.254', 'ipv4');
NEVER.addAddress('169.254.170.2', 'ipv4');
NEVER.addAddress('100.100.100.200', 'ipv4');
NEVER.addAddress('fd00:ec2::254', 'ipv6');

/** Addresses that are fine on a test machine (loopback, private networks). */
const PRIVATE = new BlockList();
PRIVATE.addSubnet('127.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('10.0.0.0', 8, 'ipv4');
PRIVATE.addSubnet('172.16.0.0', 12, 'ipv4');
PRIVATE.addSubnet('192.168.0.0', 16, 'ipv4');
PRIVATE.addSubnet('100.64.0.0', 10, 'ipv4'); // carrier-grade NAT
PRIVATE.addAddress('::1', 'ipv6');
PRIVATE.addSubnet('fc00::', 7, 'ipv6'); // unique local

/** Addresses that are never a mail server, test or not. */
const NOT_UNICAST = new BlockList();
NOT_UNICAST.addSubnet('0.0.0.0', 8, 'ipv4');
NOT_UNICAST.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local
NOT_UNICAST.addSubnet('192.0.0.0', 24, 'ipv4');
NOT_UNICAST.addSubnet('192.0.2.0', 24, 'ipv4');
NOT_UNICAST.addSubnet('198.18.0.0', 15, 'ipv4');
NOT_UNICAST.addSubnet('198.51.100.0', 24, 'ipv4');
NOT_UNICAST.addSubnet('203.0.113.0', 24, 'ipv4');
NOT_UNICAST.addSubnet('224.0.0.0', 4, 'ipv4'); // multicast
NOT_UNICAST.addSubnet('240.0.0.0', 4, 'ipv4'); // reserved and broadcast
NOT_UNICAST.addAddress('::', 'ipv6');
NOT_UNICAST.addSubnet('fe80::', 10, 'ipv6'); // link-local
NOT_UNICAST.addSubnet('ff00::', 8, 'ipv6'); // multicast
NOT_UNICAST.addSubnet('2001:db8::', 32, 'ipv6'); // documentation
NOT_UNICAST.addSubnet('64:ff9b:1::', 48, 'ipv6'); // local-use NAT64

/** Why an address may not be dialled, or null when it may. */
export function refuseAddress(address: string, allowPrivate: boolean): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  let type: 'ipv4' | 'ipv6' = family === 4 ? 'ipv4' : 'ipv6';
  let ip = address;
  // IPv4-mapped IPv6 (::ffff:10.0.0.1) is judged as the IPv4 address it is.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped !== null) {
    ip = mapped[1]!;
    type = 'ipv4';
  }
  if (NEVER.check(ip, type)) return `${address} is a cloud metadata address`;
  if (NOT_UNICAST.check(ip, type)) return `${address} is not a public unicast address`;
  if (!allowPrivate && PRIVATE.check(ip, type)) return `${address} is a loopback or private address`;
  return null;
}
