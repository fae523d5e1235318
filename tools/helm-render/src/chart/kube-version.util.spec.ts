import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertKubeVersion, satisfiesKubeVersion } from './kube-version.util.js';

describe('kubeVersion constraints', () => {
  it.each([
    ['>=1.27.0-0', 'v1.31.0', true],
    ['>=1.27.0-0', 'v1.26.9', false],
    ['>=1.27.0-0 <1.32.0-0', 'v1.31.2', true],
    ['>=1.27.0-0 <1.32.0-0', 'v1.32.0', false],
    ['>=1.27, <1.30', 'v1.29.0', true],
    ['<1.20 || >=1.30', 'v1.30.1', true],
    ['<1.20 || >=1.30', 'v1.25.0', false],
    ['1.29.3', 'v1.29.3', true],
    ['!=1.29.3', 'v1.29.3', false],
  ])('%s against %s is %s', (constraint, version, expected) => {
    expect(satisfiesKubeVersion(constraint, version)).toBe(expected);
  });

  it('agrees with a plain comparison of version triples', () => {
    const triple = fc.tuple(fc.nat(3), fc.nat(40), fc.nat(20));
    fc.assert(
      fc.property(triple, triple, fc.constantFrom('>=', '<=', '>', '<'), (a, b, op) => {
        const cmp = a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
        const expected = { '>=': cmp >= 0, '<=': cmp <= 0, '>': cmp > 0, '<': cmp < 0 }[op];
        expect(satisfiesKubeVersion(`${op}${b.join('.')}-0`, `v${a.join('.')}`)).toBe(expected);
      }),
    );
  });

  it('explains an incompatible cluster and an unreadable constraint', () => {
    expect(() => assertKubeVersion('>=1.27.0-0', 'v1.26.0')).toThrow(
      'chart requires kubeVersion: >=1.27.0-0 which is incompatible with Kubernetes v1.26.0',
    );
    expect(() => satisfiesKubeVersion('~1.27', 'v1.27.0')).toThrow(
      'is not a constraint this renderer understands',
    );
  });
});
