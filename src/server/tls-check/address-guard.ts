import { BlockList, isIP } from 'node:net';

/**
 * The SSRF guard: strangers choose the domains we probe, and a domain's MX
 * can point anywhere. Only public unicast addresses are dialled, unless the
 * test configuration allows private ones; cloud metadata endpoints and IPv6
 * transition addresses never.
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
PRIVATE.addSubnet('fec0::', 10, 'ipv6'); // site-local (deprecated, still routed inside some networks)

/** Addresses that are never a mail server, test or not. */
const NOT_UNICAST = new BlockList();
NOT_UNICAST.addSubnet('0.0.0.0', 8, 'ipv4');
NOT_UNICAST.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local
NOT_UNICAST.addSubnet('192.0.0.0', 24, 'ipv4');
NOT_UNICAST.addSubnet('192.0.2.0', 24, 'ipv4');
NOT_UNICAST.addSubnet('192.88.99.0', 24, 'ipv4'); // 6to4 relay anycast (RFC 7526: deprecated)
NOT_UNICAST.addSubnet('198.18.0.0', 15, 'ipv4');
NOT_UNICAST.addSubnet('198.51.100.0', 24, 'ipv4');
NOT_UNICAST.addSubnet('203.0.113.0', 24, 'ipv4');
NOT_UNICAST.addSubnet('224.0.0.0', 4, 'ipv4'); // multicast
NOT_UNICAST.addSubnet('240.0.0.0', 4, 'ipv4'); // reserved and broadcast
NOT_UNICAST.addAddress('::', 'ipv6');
NOT_UNICAST.addSubnet('100::', 64, 'ipv6'); // discard-only
NOT_UNICAST.addSubnet('fe80::', 10, 'ipv6'); // link-local
NOT_UNICAST.addSubnet('ff00::', 8, 'ipv6'); // multicast
NOT_UNICAST.addSubnet('2001:db8::', 32, 'ipv6'); // documentation
NOT_UNICAST.addSubnet('64:ff9b:1::', 48, 'ipv6'); // local-use NAT64

/**
 * IPv6 addresses that stand for an IPv4 address or a tunnel: NAT64
 * (64:ff9b::/96, RFC 6052), IPv4-compatible (::a.b.c.d, RFC 4291, deprecated),
 * 6to4 (2002::/16, RFC 3056) and Teredo (2001::/32, RFC 4380).
 *
 * These are refused outright, whatever IPv4 address they embed, rather than
 * judged by that embedded address. Judging the embedded address would be
 * enough only if the packets went straight to it; they do not: a translator,
 * relay or tunnel end point we do not control carries them, and it may sit on
 * (or route into) a private network that the embedded address says nothing
 * about, or map the prefix to something else entirely. Teredo also hides the
 * client address (XORed) and 6to4 relays are deprecated. No mail server needs
 * them: MX hosts publish native IPv4 and IPv6 addresses, and the checker
 * dials the A records first. The cost is on an IPv6-only host relying on
 * DNS64/NAT64, where IPv4-only MX hosts go unprobed (unknown), never a wrong
 * verdict.
 */
function transition(g: readonly number[]): string | null {
  const zero = (from: number, to: number): boolean => g.slice(from, to).every((x) => x === 0);
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) {
    return `a NAT64 address (it stands for ${embeddedV4(g, 6)})`;
  }
  // ::/96 also holds :: and ::1, which are judged as themselves below.
  if (zero(0, 6) && !(g[6] === 0 && (g[7] ?? 0) <= 1)) {
    return `an IPv4-compatible address (it stands for ${embeddedV4(g, 6)})`;
  }
  if (g[0] === 0x2002) return `a 6to4 address (it tunnels to ${embeddedV4(g, 1)})`;
  if (g[0] === 0x2001 && g[1] === 0) return 'a Teredo tunnel address';
  return null;
}

/** The dotted IPv4 address held by groups[at] and groups[at + 1]. */
function embeddedV4(groups: readonly number[], at: number): string {
  const hi = groups[at] ?? 0;
  const lo = groups[at + 1] ?? 0;
  return `${hi >> 8}.${hi & 0xff}.${lo >> 8}.${lo & 0xff}`;
}

/**
 * The eight 16-bit groups of an IPv6 address in any text form Node accepts:
 * compressed (`::`), with a trailing dotted IPv4 part, with a zone id. The
 * DNS answers come compressed and in hex (`64:ff9b::a00:1`), so the ranges
 * above are matched on numbers, never on how the text happens to look.
 */
export function ipv6Groups(address: string): number[] | null {
  let text = address.split('%')[0]!.toLowerCase();
  let tail: number[] = [];
  const dotted = /^(.*:)(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (dotted !== null) {
    const [a, b, c, d] = dotted.slice(2).map(Number) as [number, number, number, number];
    if ([a, b, c, d].some((o) => o > 255)) return null;
    tail = [(a << 8) | b, (c << 8) | d];
    text = dotted[1]!.endsWith('::') ? dotted[1]! : dotted[1]!.slice(0, -1);
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    if (groups.some((g) => !/^[\da-f]{1,4}$/.test(g))) return null;
    return groups.map((g) => parseInt(g, 16));
  };
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (head === null || rest === null) return null;
  const given = head.length + rest.length + tail.length;
  if (halves.length === 2 ? given > 7 : given !== 8) return null;
  return [...head, ...new Array<number>(8 - given).fill(0), ...rest, ...tail];
}

/** Why an address may not be dialled, or null when it may. */
export function refuseAddress(address: string, allowPrivate: boolean): string | null {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  let type: 'ipv4' | 'ipv6' = family === 4 ? 'ipv4' : 'ipv6';
  let ip = address;
  if (family === 6) {
    const groups = ipv6Groups(address);
    if (groups === null) return 'not an IP address';
    // IPv4-mapped (::ffff:a.b.c.d, in any spelling) is how a dual-stack socket
    // writes an IPv4 address: it is dialled as that IPv4 address, and judged so.
    if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
      ip = embeddedV4(groups, 6);
      type = 'ipv4';
    } else {
      const kind = transition(groups);
      if (kind !== null) return `${address} is ${kind}; IPv6 transition addresses are never dialled`;
    }
  }
  if (NEVER.check(ip, type)) return `${address} is a cloud metadata address`;
  if (NOT_UNICAST.check(ip, type)) return `${address} is not a public unicast address`;
  if (!allowPrivate && PRIVATE.check(ip, type)) return `${address} is a loopback or private address`;
  return null;
}
