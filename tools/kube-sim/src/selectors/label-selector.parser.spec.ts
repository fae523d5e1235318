import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KubeStatusError } from '../api/status.util.js';
import {
  formatLabelSelector,
  fromLabelSelectorObject,
  matchesLabels,
  parseLabelSelector,
  type LabelRequirement,
} from './label-selector.parser.js';

const name = fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,10}[a-z0-9])?$/);
const key = fc.oneof(
  name,
  fc.tuple(fc.stringMatching(/^[a-z]{1,5}\.[a-z]{2,3}$/), name).map(([p, n]) => `${p}/${n}`),
);
const value = fc.oneof(fc.constant(''), name);
const requirement: fc.Arbitrary<LabelRequirement> = fc.oneof(
  key.map((k) => ({ key: k, op: 'exists' as const, values: [] })),
  key.map((k) => ({ key: k, op: '!' as const, values: [] })),
  fc
    .tuple(key, fc.constantFrom('=' as const, '==' as const, '!=' as const), value)
    .map(([k, op, v]) => ({ key: k, op, values: [v] })),
  fc
    .tuple(
      key,
      fc.constantFrom('in' as const, 'notin' as const),
      fc.array(name, { minLength: 1, maxLength: 3 }),
    )
    .map(([k, op, vs]) => ({ key: k, op, values: vs })),
  fc
    .tuple(key, fc.constantFrom('gt' as const, 'lt' as const), fc.integer({ min: -50, max: 50 }))
    .map(([k, op, n]) => ({ key: k, op, values: [String(n)] })),
);
const labels = fc.dictionary(key, name, { maxKeys: 4 });

describe('label selector parser', () => {
  it('parses the forms kubectl sends', () => {
    expect(parseLabelSelector('app in (web),!canary')).toEqual([
      { key: 'app', op: 'in', values: ['web'] },
      { key: 'canary', op: '!', values: [] },
    ]);
    expect(parseLabelSelector('  a = b , c!=d,e==f, g notin ( x , y ), h, x>3')).toEqual([
      { key: 'a', op: '=', values: ['b'] },
      { key: 'c', op: '!=', values: ['d'] },
      { key: 'e', op: '==', values: ['f'] },
      { key: 'g', op: 'notin', values: ['x', 'y'] },
      { key: 'h', op: 'exists', values: [] },
      { key: 'x', op: 'gt', values: ['3'] },
    ]);
    expect(parseLabelSelector('')).toEqual([]);
    expect(parseLabelSelector('app.kubernetes.io/managed-by=heliomesh')[0]!.key).toBe(
      'app.kubernetes.io/managed-by',
    );
  });

  it('rejects malformed selectors with 400 BadRequest', () => {
    for (const bad of [
      'a in ()',
      'a in (b',
      '=b',
      'a=b,',
      'a!b',
      'Bad Key=v',
      'a>x',
      'a=b=c',
      'a=(b)',
      '-a=b',
    ])
      expect(() => parseLabelSelector(bad), bad).toThrow(KubeStatusError);
    expect(() => parseLabelSelector('a>x')).toThrow("for 'Gt', 'Lt' operators, the value must be an integer");
  });

  it('matches with Kubernetes semantics', () => {
    const l = { app: 'web', tier: 'front', n: '5' };
    expect(matchesLabels(parseLabelSelector('app=web,tier in (front,back)'), l)).toBe(true);
    expect(matchesLabels(parseLabelSelector('missing!=x'), l)).toBe(true);
    expect(matchesLabels(parseLabelSelector('missing notin (x)'), l)).toBe(true);
    expect(matchesLabels(parseLabelSelector('n>4,n<6'), l)).toBe(true);
    expect(matchesLabels(parseLabelSelector('app>1'), l)).toBe(false);
    expect(matchesLabels(parseLabelSelector('!app'), l)).toBe(false);
    expect(
      matchesLabels(
        fromLabelSelectorObject({
          matchLabels: { app: 'web' },
          matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['back'] }],
        })!,
        l,
      ),
    ).toBe(true);
  });

  it('property: formatting then parsing gives the same requirements', () => {
    fc.assert(
      fc.property(fc.array(requirement, { minLength: 1, maxLength: 5 }), (reqs) => {
        expect(parseLabelSelector(formatLabelSelector(reqs))).toEqual(reqs);
      }),
    );
  });

  it('property: notin is the negation of in, !k of k, != of = (per requirement)', () => {
    fc.assert(
      fc.property(key, fc.array(value, { minLength: 1, maxLength: 3 }), labels, (k, vs, l) => {
        const positive = vs.filter(Boolean);
        if (positive.length > 0)
          expect(matchesLabels([{ key: k, op: 'notin', values: positive }], l)).toBe(
            !matchesLabels([{ key: k, op: 'in', values: positive }], l),
          );
        expect(matchesLabels([{ key: k, op: '!', values: [] }], l)).toBe(
          !matchesLabels([{ key: k, op: 'exists', values: [] }], l),
        );
        expect(matchesLabels([{ key: k, op: '!=', values: [vs[0]!] }], l)).toBe(
          !matchesLabels([{ key: k, op: '=', values: [vs[0]!] }], l),
        );
      }),
    );
  });

  it('property: arbitrary input either parses or is a 400, never another error', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (input) => {
        try {
          parseLabelSelector(input);
        } catch (err) {
          expect(err).toBeInstanceOf(KubeStatusError);
          expect((err as KubeStatusError).status).toBe(400);
        }
      }),
    );
  });
});
