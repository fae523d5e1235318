import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hostMatches, hostsOverlap, resolveShortName, splitAuthority } from './host.util.js';

const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);

describe('short names (istio-semantics §1.1)', () => {
  it('expands a name without dots in the namespace of the config', () => {
    expect(resolveShortName('reviews', 'shop')).toBe('reviews.shop.svc.cluster.local');
    expect(resolveShortName('reviews.prod', 'shop')).toBe('reviews.prod');
    expect(resolveShortName('*', 'shop')).toBe('*');
    expect(resolveShortName('*.example.com', 'shop')).toBe('*.example.com');
    expect(resolveShortName('10.0.0.1', 'shop')).toBe('10.0.0.1');
  });
});

describe('wildcard hosts (§1.1)', () => {
  it('matches suffixes only', () => {
    expect(hostMatches('*.foo.com', 'a.foo.com')).toBe(true);
    expect(hostMatches('*.foo.com', 'a.b.foo.com')).toBe(true);
    expect(hostMatches('*.foo.com', 'foo.com')).toBe(false);
    expect(hostMatches('*', 'anything')).toBe(true);
    expect(hostMatches('a.foo.com', 'b.foo.com')).toBe(false);
  });

  it('a wildcard matches exactly the hosts that end with its suffix (property)', () => {
    fc.assert(
      fc.property(
        fc.array(label, { minLength: 1, maxLength: 3 }),
        fc.array(label, { minLength: 1, maxLength: 3 }),
        (prefix, suffix) => {
          const host = [...prefix, ...suffix].join('.');
          expect(hostMatches(`*.${suffix.join('.')}`, host)).toBe(true);
          expect(hostMatches(`*.${suffix.join('.')}`, suffix.join('.'))).toBe(false);
        },
      ),
    );
  });

  it('detects overlapping hosts', () => {
    expect(hostsOverlap('*.foo.com', 'a.foo.com')).toBe(true);
    expect(hostsOverlap('a.foo.com', 'a.foo.com')).toBe(true);
    expect(hostsOverlap('a.foo.com', 'b.foo.com')).toBe(false);
  });

  it('splits authorities', () => {
    expect(splitAuthority('reviews:9080')).toEqual({ host: 'reviews', port: 9080 });
    expect(splitAuthority('reviews')).toEqual({ host: 'reviews', port: undefined });
  });
});
