import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrContains, cidrError } from './cidr.util.js';

describe('cidr', () => {
  it.each(['10.0.0.0/8', '192.168.1.7', '0.0.0.0/0', '2001:db8::/32', '::1', 'fe80::1/128'])(
    'accepts %s',
    (v) => {
      expect(cidrError(v)).toBeUndefined();
    },
  );

  it.each(['10.0.0.0/33', '10.0.0/8', '256.1.1.1', '10.0.0.0/', 'x', '2001:db8::/129', '1.2.3.4/8/1', ''])(
    'rejects %s',
    (v) => {
      expect(cidrError(v)).toEqual(expect.any(String));
    },
  );

  const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
  const int = ([a, b, c, d]: number[]) => ((a! * 256 + b!) * 256 + c!) * 256 + d!;
  const dotted = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');

  it('contains exactly the addresses inside the block', () => {
    fc.assert(
      fc.property(ipv4, ipv4, fc.integer({ min: 0, max: 32 }), (net, ip, bits) => {
        const block = 2 ** (32 - bits);
        const base = Math.floor(int(net) / block) * block;
        const inside = Math.floor(int(ip) / block) * block === base;
        expect(cidrContains(`${dotted(base)}/${bits}`, ip.join('.'))).toBe(inside);
      }),
    );
  });
});
