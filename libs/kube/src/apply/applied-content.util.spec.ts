import { canonicalJson } from '@heliomesh/util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { APPLIED_HASH_ANNOTATION, type KubeObject } from '../kube.types.js';
import { appliedContent, appliedHash, applyConfiguration } from './applied-content.util.js';

const vs: KubeObject = {
  apiVersion: 'networking.istio.io/v1',
  kind: 'VirtualService',
  metadata: { name: 'r', namespace: 'shop', labels: { a: '1' }, annotations: { note: 'x' } },
  spec: { hosts: ['r'] },
};

describe('applied content', () => {
  it('covers labels, annotations and spec; not identity, server metadata, status or the hash itself', () => {
    expect(appliedContent(vs)).toEqual({
      metadata: { labels: { a: '1' }, annotations: { note: 'x' } },
      spec: { hosts: ['r'] },
    });
    const asServed = {
      ...vs,
      apiVersion: 'networking.istio.io/v1beta1',
      metadata: {
        ...vs.metadata,
        uid: 'u',
        resourceVersion: '9',
        generation: 3,
        creationTimestamp: '2026-01-01T00:00:00Z',
        managedFields: [{ manager: 'heliomesh' }],
        annotations: { note: 'x', [APPLIED_HASH_ANNOTATION]: 'abc' },
      },
      status: { ok: true },
    };
    expect(appliedHash(asServed)).toBe(appliedHash(vs));
  });

  it('treats nulls and emptied maps as absent', () => {
    const sparse = {
      ...vs,
      metadata: { ...vs.metadata, annotations: { note: 'x' }, finalizers: null },
      spec: { hosts: ['r'], tls: null },
    };
    expect(appliedHash(sparse)).toBe(appliedHash(vs));
    expect(appliedHash({ ...vs, metadata: { name: 'r', labels: {} } })).toBe(
      appliedHash({ ...vs, metadata: { name: 'r' } }),
    );
  });

  it('builds an apply configuration carrying the hash, without server-owned fields', () => {
    const { config, hash } = applyConfiguration({
      ...vs,
      metadata: { ...vs.metadata, resourceVersion: '3', managedFields: [{ manager: 'x' }] },
      status: { a: 1 },
    });
    expect(config).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: {
        name: 'r',
        namespace: 'shop',
        labels: { a: '1' },
        annotations: { note: 'x', [APPLIED_HASH_ANNOTATION]: hash },
      },
      spec: { hosts: ['r'] },
    });
    expect(appliedHash(config)).toBe(hash);
  });

  it('two contents hash alike exactly when they are equal once nulls are dropped (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
        const [x, y] = [
          { ...vs, spec: { x: a } },
          { ...vs, spec: { x: b } },
        ];
        const same = canonicalJson(appliedContent(x)) === canonicalJson(appliedContent(y));
        expect(appliedHash(x) === appliedHash(y)).toBe(same);
      }),
    );
    expect(appliedHash({ ...vs, spec: { x: { k: null } } })).toBe(appliedHash({ ...vs, spec: { x: {} } }));
    expect(appliedHash({ ...vs, spec: { x: [null] } })).not.toBe(appliedHash({ ...vs, spec: { x: [] } }));
  });
});
