import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, setUpTenant, type SpawnedProcess, type TenantSetup } from '@heliomesh/testing';
import { defaultWeights, getVirtualService, type Platform, startPlatform } from './platform-harness.js';

/**
 * Objects deleted while no worker was running (a rebuilt cluster, the in-memory sandbox after a
 * restart) raise no drift event: the drift watcher of the next worker never saw them. The first
 * discovery round after a start resyncs every governed service and applies them again.
 */
let p: Platform;
let t: TenantSetup;
let second: SpawnedProcess | undefined;

beforeAll(async () => {
  p = await startPlatform({ workerEnv: { DISCOVERY_INTERVAL_MS: '1000' } });
  t = await setUpTenant(p.admin, {
    tenant: 'restart-team',
    cluster: 'sandbox',
    kubeconfig: p.sandbox.kubeconfig,
    namespaces: ['shop'],
  });
}, 120_000);

afterAll(async () => {
  second?.child.kill('SIGTERM');
  await second?.exited;
  await p?.stop();
});

describe('a worker starting against a cluster that lost our objects', () => {
  it('applies them again within its first discovery round, without any policy write', async () => {
    const created = await t.operator.post('/v1/policies', {
      name: 'reviews-split',
      kind: 'TrafficSplit',
      target: { namespace: 'shop', service: 'reviews' },
      spec: {
        weights: [
          { version: 'v1', weight: 80 },
          { version: 'v2', weight: 20 },
        ],
      },
    });
    expect(created.status, created.text).toBe(201);
    await eventually(
      async () => defaultWeights(await getVirtualService(p, 'shop', 'heliomesh-reviews'))?.['v2'] === 20,
    );

    p.worker.child.kill('SIGTERM');
    await p.worker.exited;
    await p.istio.deleteNamespacedCustomObject({
      group: 'networking.istio.io',
      version: 'v1',
      namespace: 'shop',
      plural: 'virtualservices',
      name: 'heliomesh-reviews',
    });
    expect(await getVirtualService(p, 'shop', 'heliomesh-reviews')).toBeUndefined();

    second = await p.startWorker();
    const restored = await eventually(
      async () => {
        const vs = await getVirtualService(p, 'shop', 'heliomesh-reviews');
        return vs && defaultWeights(vs);
      },
      20_000,
      200,
    );
    expect(restored).toEqual({ v1: 80, v2: 20 });
  });
});
