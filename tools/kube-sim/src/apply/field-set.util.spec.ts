import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../api/object.types.js';
import { FieldSet, formatFieldPath, keyElement } from './field-set.util.js';

const element = fc.oneof(
  fc.stringMatching(/^[a-z]{1,4}$/).map((s) => `f:${s}`),
  fc.stringMatching(/^[a-z]{1,3}$/).map((s) => `k:{"name":"${s}"}`),
  fc.integer({ min: 0, max: 3 }).map((n) => `v:${n}`),
);
const path = fc.array(element, { minLength: 1, maxLength: 4 });
const fieldSet = fc.array(path, { maxLength: 8 }).map((paths) => {
  const s = new FieldSet();
  for (const p of paths) s.insert(p);
  return s;
});

const key = (paths: string[][]) => paths.map((p) => p.join('/')).sort();

describe('FieldSet (managedFields FieldsV1)', () => {
  it('reads and writes the FieldsV1 trie, with "." for members that also have children', () => {
    const v1: JsonObject = {
      'f:spec': {
        'f:containers': { 'k:{"name":"c"}': { '.': {}, 'f:image': {}, 'f:name': {} } },
        'f:replicas': {},
      },
    };
    const set = FieldSet.fromFieldsV1(v1);
    expect(set.has(['f:spec', 'f:replicas'])).toBe(true);
    expect(set.has(['f:spec', 'f:containers', 'k:{"name":"c"}'])).toBe(true);
    expect(set.has(['f:spec'])).toBe(false);
    expect(set.hasPrefix(['f:spec'])).toBe(true);
    expect(set.toFieldsV1()).toEqual(v1);
  });

  it('formats paths the way conflicts print them', () => {
    expect(
      formatFieldPath(['f:spec', 'f:containers', keyElement({ name: 'c', image: 'x' }, ['name']), 'f:image']),
    ).toBe('.spec.containers[name="c"].image');
    expect(
      formatFieldPath(['f:spec', 'f:ports', keyElement({ port: 80, protocol: 'TCP' }, ['protocol', 'port'])]),
    ).toBe('.spec.ports[port=80,protocol="TCP"]');
    expect(formatFieldPath(['f:metadata', 'f:finalizers', 'v:"a/b"'])).toBe('.metadata.finalizers[="a/b"]');
  });

  it('property: FieldsV1 round-trips', () => {
    fc.assert(
      fc.property(fieldSet, (s) => {
        expect(key(FieldSet.fromFieldsV1(s.toFieldsV1()).members())).toEqual(key(s.members()));
      }),
    );
  });

  it('property: set algebra holds (union, difference, intersection)', () => {
    fc.assert(
      fc.property(fieldSet, fieldSet, (a, b) => {
        const union = a.union(b);
        for (const p of [...a.members(), ...b.members()]) expect(union.has(p)).toBe(true);
        const diff = a.difference(b);
        for (const p of diff.members()) expect(a.has(p) && !b.has(p)).toBe(true);
        expect(diff.intersection(b).isEmpty()).toBe(true);
        expect(key(a.intersection(b).members())).toEqual(key(b.intersection(a).members()));
        expect(key(diff.union(a.intersection(b)).members())).toEqual(key(a.members()));
      }),
    );
  });
});
