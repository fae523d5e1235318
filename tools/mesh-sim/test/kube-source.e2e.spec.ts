import { KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { startKubeSim, type KubeSim } from '@heliomesh/kube-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { scrape } from './support/harness.js';
import {
  DEMO_TOPOLOGY,
  KubeConfigSource,
  deployTopology,
  loadKubeConfig,
  loadTopologyFile,
  startMeshSim,
  sumSamples,
  topologyManifests,
  type MeshSimHandle,
} from './support/mesh-sim.js';
import { topology } from './support/scenario-objects.js';

let kube: KubeSim;
const run = Math.random().toString(36).slice(2, 7);

beforeAll(async () => {
  kube = await startKubeSim({ port: 0 });
});
afterAll(async () => {
  await kube?.stop();
});

describe('deploying a topology into kube-sim', () => {
  let sim: MeshSimHandle | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  it('applies namespaces, Deployments and Services idempotently, and mesh-sim discovers the pods', async () => {
    const t = topology(
      `ms-deploy-${run}`,
      [
        { name: 'web', versions: [{ name: 'v1', replicas: 2, calls: [{ service: 'api' }] }] },
        { name: 'api', versions: [{ name: 'v1' }, { name: 'v2' }] },
      ],
      [{ name: 'load', target: { service: 'web' }, rps: 20 }],
    );
    const first = await deployTopology(kube.kubeconfig, t);
    expect(first.applied.map((o) => `${o.kind}/${o.name}`)).toEqual(
      topologyManifests(t).map((o) => `${o.kind}/${o.metadata!.name}`),
    );
    const rvBefore = kube.resourceVersion();
    await deployTopology(kube.kubeconfig, t);
    // Server-side apply of unchanged objects is a no-op: nothing is written.
    expect(kube.resourceVersion()).toBe(rvBefore);

    sim = await startMeshSim({ topology: t, kubeconfig: kube.kubeconfig, port: 0, speed: 0 });
    await sim.waitForConfig(
      (c) => c.registry.pods.filter((p) => p.ready && p.namespace === t.namespace).length === 4,
      20_000,
    );
    const pods = sim.engine.index.config.registry.pods.filter((p) => p.namespace === t.namespace);
    expect(pods.map((p) => p.workload).sort()).toEqual(['api-v1', 'api-v2', 'web-v1', 'web-v1']);
    expect(pods.every((p) => p.ip !== '' && p.behaviour !== undefined)).toBe(true);
    sim.advance(5_000);
    const m = await scrape(sim);
    expect(
      sumSamples(m, 'istio_requests_total', {
        reporter: 'destination',
        source_workload: 'web-v1',
        destination_service_name: 'api',
      }),
    ).toBeGreaterThan(50);
  });

  it('follows pods as Deployments scale, and VirtualService deletes', async () => {
    const ns = `ms-scale-${run}`;
    const t = topology(
      ns,
      [{ name: 'api', versions: [{ name: 'v1' }] }],
      [{ name: 'load', target: { service: 'api' }, rps: 20 }],
    );
    sim = await startMeshSim({ topology: t, kubeconfig: kube.kubeconfig, deploy: true, port: 0, speed: 0 });
    await sim.waitForConfig((c) => c.registry.pods.some((p) => p.ready && p.namespace === ns), 20_000);
    const client = KubernetesObjectApi.makeApiClient(loadKubeConfig(kube.kubeconfig));
    await client.patch(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'api-v1', namespace: ns },
        spec: { replicas: 3 },
      } as KubernetesObject,
      undefined,
      undefined,
      'scaler',
      undefined,
      'application/merge-patch+json',
    );
    await sim.waitForConfig(
      (c) => c.registry.pods.filter((p) => p.ready && p.namespace === ns).length === 3,
      20_000,
    );
    const vs = {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'api', namespace: ns },
      spec: {
        hosts: ['api'],
        http: [
          { match: [{ headers: { 'x-never': { exact: 'x' } } }], route: [{ destination: { host: 'api' } }] },
        ],
      },
    };
    await client.create(vs as KubernetesObject);
    await sim.waitForConfig((c) => c.virtualServices.some((v) => v.namespace === ns));
    sim.advance(2_000);
    expect(sim.stats().entry.byFlags['NR']).toBeGreaterThan(0);
    await client.delete(vs as KubernetesObject);
    await sim.waitForConfig((c) => !c.virtualServices.some((v) => v.namespace === ns));
    const before = sim.stats().entry.byFlags['NR'];
    sim.advance(2_000);
    expect(sim.stats().entry.byFlags['NR']).toBe(before);
  });

  it('runs the demo shop from its topology file', async () => {
    const demo = await loadTopologyFile(DEMO_TOPOLOGY);
    sim = await startMeshSim({
      topology: demo,
      kubeconfig: kube.kubeconfig,
      deploy: true,
      port: 0,
      speed: 0,
    });
    const expected = demo.services.reduce((n, s) => n + s.versions.reduce((m, v) => m + v.replicas, 0), 0);
    await sim.waitForConfig(
      (c) => c.registry.pods.filter((p) => p.ready && p.namespace === 'shop').length === expected,
      20_000,
    );
    sim.advance(10_000);
    const m = await scrape(sim);
    const v3 = { reporter: 'destination', destination_workload: 'reviews-v3' };
    const failed = sumSamples(m, 'istio_requests_total', { ...v3, response_code: '503' });
    const total = sumSamples(m, 'istio_requests_total', v3);
    expect(total).toBeGreaterThan(100);
    expect(failed / total).toBeGreaterThan(0.03);
    expect(failed / total).toBeLessThan(0.15);
  });
});

describe('KubeConfigSource without the Istio CRDs', () => {
  it('serves Services and Pods and keeps retrying the Istio kinds', async () => {
    const bare = await startKubeSim({ port: 0, istio: false });
    const errors: string[] = [];
    const source = new KubeConfigSource(bare.kubeconfig, {
      onError: (kind) => errors.push(kind),
      maxRetryDelayMs: 200,
    });
    try {
      await source.start();
      const status = source.status();
      expect(status.Service).toBe('/api/v1/services');
      expect(status.Pod).toBe('/api/v1/pods');
      expect(status.VirtualService).toBeUndefined();
      expect(errors).toEqual(expect.arrayContaining(['VirtualService', 'EnvoyFilter', 'WasmPlugin']));
      expect(source.snapshot().VirtualService).toEqual([]);
    } finally {
      await source.stop();
      await bare.stop();
    }
  });
});
