import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../kube.types.js';
import { groupServices, isReady, selects } from './service-grouping.util.js';

const svc = (
  ns: string,
  name: string,
  selector?: Record<string, string>,
  ports: unknown[] = [{ port: 80 }],
): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: ns },
  spec: { ...(selector ? { selector } : {}), ports },
});

const pod = (ns: string, name: string, labels: Record<string, string>, ready = true): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns, labels },
  spec: { containers: [{ name: 'c', ports: [{ name: 'web', containerPort: 8080 }] }] },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('groupServices', () => {
  it('groups the pods a Service selects by version, counting ready ones', () => {
    const [reviews] = groupServices(
      [svc('shop', 'reviews', { app: 'reviews' }, [{ name: 'http', port: 80, targetPort: 'web' }])],
      [],
      [
        pod('shop', 'a', { app: 'reviews', version: 'v1' }),
        pod('shop', 'b', { app: 'reviews', version: 'v1' }, false),
        pod('shop', 'c', { app: 'reviews', version: 'v2' }),
        pod('shop', 'd', { app: 'reviews' }),
        pod('shop', 'e', { app: 'ratings', version: 'v1' }),
        pod('other', 'f', { app: 'reviews', version: 'v9' }),
      ],
    );
    expect(reviews).toEqual({
      namespace: 'shop',
      name: 'reviews',
      app: 'reviews',
      selector: { app: 'reviews' },
      ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }],
      versions: [
        { name: 'v1', labels: { version: 'v1' }, pods: 1, deployments: [] },
        { name: 'v2', labels: { version: 'v2' }, pods: 1, deployments: [] },
      ],
      unversionedPods: 1,
    });
  });

  it('uses another version label when told to', () => {
    const [s] = groupServices(
      [svc('n', 's', { app: 's' })],
      [],
      [pod('n', 'p', { app: 's', track: 'canary' })],
      'track',
    );
    expect(s!.versions.map((v) => [v.name, v.labels])).toEqual([['canary', { track: 'canary' }]]);
  });

  it('an empty selector selects nothing; a deleting pod is not ready', () => {
    expect(selects({}, { app: 'x' })).toBe(false);
    expect(isReady({ ...pod('n', 'p', {}), metadata: { name: 'p', deletionTimestamp: 'now' } })).toBe(false);
  });

  it('every ready selected pod is counted exactly once (property)', () => {
    const labels = fc.record(
      { app: fc.constantFrom('a', 'b'), version: fc.constantFrom('v1', 'v2', 'v3') },
      { requiredKeys: ['app'] },
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(labels, fc.boolean()), { maxLength: 30 }),
        fc.constantFrom('a', 'b'),
        (pods, app) => {
          const objects = pods.map(([l, ready], i) => pod('ns', `p${i}`, l as Record<string, string>, ready));
          const [s] = groupServices([svc('ns', 's', { app })], [], objects);
          const counted = s!.versions.reduce((n, v) => n + v.pods, 0) + s!.unversionedPods;
          expect(counted).toBe(pods.filter(([l, ready]) => ready && l.app === app).length);
          expect(s!.versions.map((v) => v.name)).toEqual([...new Set(s!.versions.map((v) => v.name))].sort());
        },
      ),
    );
  });
});
