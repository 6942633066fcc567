/**
 * The SSRF guard on IPv6 addresses that carry an IPv4 address or a tunnel:
 * each transition form with a private and a public embedded address, in the
 * spellings DNS answers and people write, refused whether or not the test
 * setting allows private addresses. IPv4-mapped addresses stay judged as the
 * IPv4 address they are.
 */
import { describe, expect, it } from 'vitest';
import { ipv6Groups, refuseAddress } from '../../../src/server/tls-check/address-guard';

const NEVER_DIALLED = /transition addresses are never dialled/;

describe('SSRF guard: IPv6 transition addresses', () => {
  it.each([
    // form, address, what it embeds
    ['NAT64', '64:ff9b::a00:1', '10.0.0.1'],
    ['NAT64', '64:ff9b::10.0.0.1', '10.0.0.1'],
    ['NAT64', '64:ff9b::7f00:1', '127.0.0.1'],
    ['NAT64', '64:ff9b::a9fe:a9fe', '169.254.169.254'],
    ['NAT64', '64:ff9b::5db8:d70e', '93.184.215.14'],
    ['NAT64', '64:FF9B:0:0:0:0:808:808', '8.8.8.8'],
    ['IPv4-compatible', '::a00:1', '10.0.0.1'],
    ['IPv4-compatible', '::192.168.1.1', '192.168.1.1'],
    ['IPv4-compatible', '::127.0.0.1', '127.0.0.1'],
    ['IPv4-compatible', '::5db8:d70e', '93.184.215.14'],
    ['IPv4-compatible', '0:0:0:0:0:0:8.8.8.8', '8.8.8.8'],
    ['6to4', '2002:a00:1::1', '10.0.0.1'],
    ['6to4', '2002:c0a8:101:1::5', '192.168.1.1'],
    ['6to4', '2002:5db8:d70e::1', '93.184.215.14'],
    ['6to4', '2002:808:808:0:0:0:0:1', '8.8.8.8'],
  ])('refuses %s %s (embeds %s), private addresses allowed or not', (form, address, embedded) => {
    for (const allowPrivate of [false, true]) {
      const why = refuseAddress(address, allowPrivate);
      expect(why, `allowPrivate ${String(allowPrivate)}`).toMatch(NEVER_DIALLED);
      expect(why).toContain(form);
      expect(why).toContain(embedded);
    }
  });

  it.each([
    // Teredo: 2001:0:<server IPv4>:<flags>:<port ^ 0xffff>:<client IPv4 ^ 0xffffffff>
    ['2001:0:a00:1:8000:f227:f5ff:fffe', 'server 10.0.0.1, client 10.0.0.1'],
    ['2001:0:c0a8:101:0:f227:3f57:fefe', 'server 192.168.1.1, client 192.168.1.1'],
    ['2001:0:5db8:d70e:8000:f227:a247:28f1', 'server 93.184.215.14, client 93.184.215.14'],
    ['2001:0:4136:e378:8000:63bf:3fff:fdd2', 'a published Teredo example'],
    ['2001::1', 'the bare prefix'],
  ])('refuses Teredo %s (%s) entirely', (address) => {
    for (const allowPrivate of [false, true]) {
      const why = refuseAddress(address, allowPrivate);
      expect(why).toMatch(NEVER_DIALLED);
      expect(why).toContain('Teredo');
    }
  });

  it('keeps judging the neighbours of those ranges as themselves', () => {
    // Public unicast next to the transition prefixes.
    expect(refuseAddress('2001:4860:4860::8888', false)).toBeNull(); // 2001:4860::/32, not 2001::/32
    expect(refuseAddress('2003::1', false)).toBeNull();
    expect(refuseAddress('64:ff9c::a00:1', false)).toBeNull();
    expect(refuseAddress('1::a00:1', false)).toBeNull();
    // Documentation and local-use NAT64 were refused before and still are, for their own reasons.
    expect(refuseAddress('2001:db8::1', true)).toContain('not a public unicast');
    expect(refuseAddress('64:ff9b:1::a00:1', true)).toContain('not a public unicast');
    // :: and ::1 sit inside ::/96 but are what they are.
    expect(refuseAddress('::', true)).toContain('not a public unicast');
    expect(refuseAddress('::1', false)).toContain('loopback or private');
    expect(refuseAddress('::1', true)).toBeNull();
  });

  it.each([
    ['::ffff:10.0.0.1', '10.0.0.1'],
    ['::ffff:a00:1', '10.0.0.1'],
    ['::FFFF:7F00:1', '127.0.0.1'],
    ['0:0:0:0:0:ffff:192.168.1.1', '192.168.1.1'],
    ['0000:0000:0000:0000:0000:ffff:c0a8:0101', '192.168.1.1'],
  ])('judges IPv4-mapped %s as %s in every spelling', (address) => {
    expect(refuseAddress(address, false)).toContain('loopback or private');
    expect(refuseAddress(address, true)).toBeNull();
  });

  it('judges IPv4-mapped public and metadata addresses as IPv4', () => {
    expect(refuseAddress('::ffff:5db8:d70e', false)).toBeNull();
    expect(refuseAddress('::ffff:169.254.169.254', true)).toContain('metadata');
    expect(refuseAddress('::ffff:a9fe:a9fe', true)).toContain('metadata');
  });

  it('reads every IPv6 spelling into the same eight groups', () => {
    const nat64 = [0x64, 0xff9b, 0, 0, 0, 0, 0x0a00, 0x0001];
    expect(ipv6Groups('64:ff9b::a00:1')).toEqual(nat64);
    expect(ipv6Groups('64:ff9b::10.0.0.1')).toEqual(nat64);
    expect(ipv6Groups('0064:FF9B:0000:0000:0000:0000:0A00:0001')).toEqual(nat64);
    expect(ipv6Groups('64:ff9b:0:0:0:0:10.0.0.1')).toEqual(nat64);
    expect(ipv6Groups('fe80::1%eth0')).toEqual([0xfe80, 0, 0, 0, 0, 0, 0, 1]);
    expect(ipv6Groups('::')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(ipv6Groups('1::')).toEqual([1, 0, 0, 0, 0, 0, 0, 0]);
    for (const bad of ['1:2:3:4:5:6:7:8:9', '1::2::3', '::12345', '::1.2.3.256', '1:2:3']) {
      expect(ipv6Groups(bad), bad).toBeNull();
    }
  });
});
