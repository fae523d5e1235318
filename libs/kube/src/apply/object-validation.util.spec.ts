import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateObject } from './object-validation.util.js';

describe('validateObject', () => {
  it('accepts addressable objects of any kind', () => {
    expect(
      validateObject({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'b' } }, 0),
    ).toBeUndefined();
    expect(
      validateObject(
        { apiVersion: 'networking.istio.io/v1alpha3', kind: 'EnvoyFilter', metadata: { name: 'x.y-z' } },
        0,
      ),
    ).toBeUndefined();
  });

  it('names the offending field with the object’s index', () => {
    const cases: Array<[unknown, string]> = [
      [null, '$[3]'],
      [{ kind: 'X', metadata: { name: 'a' } }, '$[3].apiVersion'],
      [{ apiVersion: 'v1', kind: 'lower', metadata: { name: 'a' } }, '$[3].kind'],
      [{ apiVersion: 'v1', kind: 'X' }, '$[3].metadata'],
      [{ apiVersion: 'v1', kind: 'X', metadata: { name: 'Upper' } }, '$[3].metadata.name'],
      [{ apiVersion: 'v1', kind: 'X', metadata: { name: 'a', namespace: 'a.b' } }, '$[3].metadata.namespace'],
      [{ apiVersion: 'v1', kind: 'X', metadata: { name: 'a', labels: { a: 1 } } }, '$[3].metadata.labels'],
    ];
    for (const [obj, path] of cases)
      expect(validateObject(obj, 3)).toMatchObject({ code: 'KUBE_OBJECT_INVALID', path });
  });

  it('never throws, whatever it is given (property)', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const err = validateObject(value, 0);
        if (err) expect(err.code).toBe('KUBE_OBJECT_INVALID');
      }),
    );
  });
});
