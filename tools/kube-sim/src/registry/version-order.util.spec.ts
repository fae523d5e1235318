import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareKubeVersions, sortVersions } from './version-order.util.js';

describe('Kubernetes version priority', () => {
  it('orders GA, beta, alpha, then other versions', () => {
    expect(
      sortVersions(['v1alpha3', 'foo', 'v1beta1', 'v2', 'v1', 'v10beta3', 'v11alpha2', 'bar', 'v1alpha1']),
    ).toEqual(['v2', 'v1', 'v10beta3', 'v1beta1', 'v11alpha2', 'v1alpha3', 'v1alpha1', 'bar', 'foo']);
  });

  it('property: the order is a total order (antisymmetric, transitive)', () => {
    const version = fc.oneof(
      fc
        .tuple(
          fc.integer({ min: 1, max: 12 }),
          fc.constantFrom('', 'alpha', 'beta'),
          fc.integer({ min: 1, max: 5 }),
        )
        .map(([m, q, n]) => (q ? `v${m}${q}${n}` : `v${m}`)),
      fc.stringMatching(/^[a-z]{1,4}$/),
    );
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        expect(Math.sign(compareKubeVersions(a, b))).toBe(-Math.sign(compareKubeVersions(b, a)) || 0);
        if (compareKubeVersions(a, b) <= 0 && compareKubeVersions(b, c) <= 0)
          expect(compareKubeVersions(a, c)).toBeLessThanOrEqual(0);
      }),
    );
  });
});
