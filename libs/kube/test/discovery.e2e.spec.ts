import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceDiscovery, type KubeObject } from '../src/index.js';
import { eventually, startSandbox, type Sandbox } from './support/sandbox.js';

let sb: Sandbox;
let discovery: ServiceDiscovery;

beforeAll(async () => {
  // The fake controllers turn Deployments into ReplicaSets and Running, Ready pods.
  sb = await startSandbox({ controllers: true });
  discovery = new ServiceDiscovery(sb.registry);
});

afterAll(async () => {
  await sb.stop();
});

function deployment(ns: string, name: string, labels: Record<string, string>, replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            { name: 'app', image: 'example/app:1', ports: [{ name: 'http-web', containerPort: 9080 }] },
          ],
        },
      },
    },
  };
}

function service(ns: string, name: string, selector: Record<string, string> | undefined): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    spec: {
      ...(selector ? { selector } : {}),
      ports: [
        { name: 'http', port: 80, targetPort: 'http-web' },
        { name: 'grpc', port: 7070, protocol: 'TCP' },
      ],
    },
  };
}

async function create(obj: KubeObject): Promise<void> {
  await sb.cluster.objects.apply(obj, { fieldManager: 'test', force: true });
}

describe('ServiceDiscovery against kube-sim', () => {
  it('lists services with the versions behind them, counting ready pods', async () => {
    const ns = await sb.namespace('shop');
    const other = await sb.namespace('other');
    await create(deployment(ns, 'reviews-v1', { app: 'reviews', version: 'v1' }, 2));
    await create(deployment(ns, 'reviews-v2', { app: 'reviews', version: 'v2' }, 1));
    await create(deployment(ns, 'ratings', { app: 'ratings' }, 1));
    await create(deployment(ns, 'reviews-v3', { app: 'reviews', version: 'v3' }, 0));
    await create(service(ns, 'reviews', { app: 'reviews' }));
    await create(service(ns, 'ratings', { app: 'ratings' }));
    await create(service(ns, 'external', undefined));
    await create(service(other, 'elsewhere', { app: 'reviews' }));
    await eventually(async () => {
      const pods = await sb.cluster.objects.list({ apiVersion: 'v1', kind: 'Pod' }, { namespace: ns });
      return (
        pods.items.filter((p) => (p['status'] as { phase?: string } | undefined)?.phase === 'Running')
          .length === 4
      );
    }, 10_000);

    const found = await discovery.discover('sim', { namespaces: [ns] });
    expect(found.map((s) => s.name)).toEqual(['external', 'ratings', 'reviews']);
    const reviews = found.find((s) => s.name === 'reviews')!;
    expect(reviews).toEqual({
      namespace: ns,
      name: 'reviews',
      app: 'reviews',
      selector: { app: 'reviews' },
      ports: [
        { name: 'http', port: 80, targetPort: 9080, protocol: 'TCP' },
        { name: 'grpc', port: 7070, targetPort: 7070, protocol: 'TCP' },
      ],
      versions: [
        { name: 'v1', labels: { version: 'v1' }, pods: 2, deployments: ['reviews-v1'] },
        { name: 'v2', labels: { version: 'v2' }, pods: 1, deployments: ['reviews-v2'] },
        { name: 'v3', labels: { version: 'v3' }, pods: 0, deployments: ['reviews-v3'] },
      ],
      unversionedPods: 0,
    });
    const ratings = found.find((s) => s.name === 'ratings')!;
    expect(ratings.versions).toEqual([]);
    expect(ratings.unversionedPods).toBe(1);
    const external = found.find((s) => s.name === 'external')!;
    expect(external.selector).toBeUndefined();
    expect(external.versions).toEqual([]);

    const everywhere = await discovery.discover('sim');
    expect(everywhere.filter((s) => s.name === 'elsewhere').map((s) => s.namespace)).toEqual([other]);
    expect(everywhere.find((s) => s.name === 'elsewhere')!.versions).toEqual([]);
  });
});
