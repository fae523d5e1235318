import {
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { createTestDatabase, type TestDatabase } from '@heliomesh/testing';
import type { Measurement, ServiceStats, TopologyGraph } from '@heliomesh/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, type TestCollector } from './support/collector.harness.js';
import { scrapedTwiceSince, startDemoMesh, type DemoMesh } from './support/mesh.harness.js';

const SCRAPE_MS = 250;

function valueOf<T>(m: Measurement<T>): T {
  if (m.kind !== 'value') throw new Error(`expected a value, got ${JSON.stringify(m)}`);
  return m.value;
}

/** What a TrafficSplit of reviews compiles to: subsets per version, weighted route. */
function reviewsSplit(weights: Record<'v1' | 'v2' | 'v3', number>): KubernetesObject[] {
  return [
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'reviews', namespace: 'shop' },
      spec: {
        host: 'reviews',
        subsets: ['v1', 'v2', 'v3'].map((v) => ({ name: v, labels: { version: v } })),
      },
    } as KubernetesObject,
    {
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'reviews', namespace: 'shop' },
      spec: {
        hosts: ['reviews'],
        http: [
          {
            route: Object.entries(weights)
              .filter(([, w]) => w > 0)
              .map(([subset, weight]) => ({ destination: { host: 'reviews', subset }, weight })),
          },
        ],
      },
    } as KubernetesObject,
  ];
}

/**
 * A routing change applied to the cluster shows in the collector: mesh-sim picks up the Istio
 * objects through its informers, the collector sees the new split in the next scrapes.
 */
describe('collector sees a traffic split change (kube-sim, mesh-sim)', () => {
  let mesh: DemoMesh;
  let db: TestDatabase;
  let c: TestCollector;
  let api: KubernetesObjectApi;

  beforeAll(async () => {
    mesh = await startDemoMesh();
    const kc = new KubeConfig();
    kc.loadFromString(mesh.kube.kubeconfig);
    api = KubernetesObjectApi.makeApiClient(kc);
    db = await createTestDatabase();
    c = await startTestCollector(db.url, {
      SCRAPE_TARGETS: `${mesh.sim.url}/metrics`,
      SCRAPE_INTERVAL_MS: String(SCRAPE_MS),
      SCRAPE_MAX_SAMPLES_PER_SERIES: '1200',
    });
  }, 60_000);

  afterAll(async () => {
    await c?.close();
    await mesh?.stop();
    await db?.drop();
  });

  /**
   * Runs `ms` of simulated traffic between two quiet periods; returns a window covering it. The
   * window reaches 1-2 s before the traffic, so the quiet period before it lasts longer than that.
   */
  async function traffic(ms: number): Promise<() => number> {
    await new Promise((r) => setTimeout(r, 2_100));
    const at = Date.now();
    mesh.sim.advance(ms);
    await scrapedTwiceSince(c, at, SCRAPE_MS);
    return () => Math.ceil((Date.now() - at) / 1000) + 1;
  }

  async function reviewsShares(window: number): Promise<Record<string, number>> {
    const stats: ServiceStats[] = valueOf(await c.client.serviceStats({ namespace: 'shop' }, window));
    const reviews = stats.filter((s) => s.service === 'reviews');
    const total = reviews.reduce((n, s) => n + s.requestCount, 0);
    return Object.fromEntries(reviews.map((s) => [s.version, s.requestCount / total]));
  }

  it('observes traffic on all three versions before any routing', async () => {
    mesh.sim.advance(30_000); // every series exists before the measured traffic
    const window = await traffic(60_000);
    const shares = await reviewsShares(window());
    // LEAST_REQUEST by default: the slow v3 gets fewer requests, but every version gets some.
    for (const v of ['v1', 'v2', 'v3']) expect(shares[v]).toBeGreaterThan(0.1);
  });

  it('observes a 90/10 split within 2 % after the VirtualService is applied', async () => {
    for (const obj of reviewsSplit({ v1: 90, v2: 10, v3: 0 })) {
      await api.patch(obj, undefined, undefined, 'heliomesh-test', true, PatchStrategy.ServerSideApply);
    }
    await mesh.sim.waitForConfig((cfg) =>
      cfg.virtualServices.some((vs) => vs.namespace === 'shop' && vs.name === 'reviews'),
    );
    const window = await traffic(120_000);
    const shares = await reviewsShares(window());
    expect(shares['v1']!).toBeGreaterThan(0.88);
    expect(shares['v1']!).toBeLessThan(0.92);
    expect(shares['v2']!).toBeGreaterThan(0.08);
    expect(shares['v2']!).toBeLessThan(0.12);
    expect(shares['v3']).toBe(0);

    // v3 still has series but no requests: no data, never healthy, on its node and its edge.
    const graph: TopologyGraph = valueOf(await c.client.topology({ namespace: 'shop' }, window()));
    const toV3 = graph.edges.find((e) => e.target === 'app:shop/reviews/v3')!;
    expect(toV3).toMatchObject({ requestCount: 0, errorShare: null, health: 'no-data' });
    expect(graph.nodes.find((n) => n.id === 'app:shop/reviews/v3')!.health).toBe('no-data');
    expect(graph.nodes.find((n) => n.id === 'app:shop/reviews/v1')!.health).toBe('healthy');
    expect(
      await c.client.successRate(
        { kind: 'service', namespace: 'shop', service: 'reviews', version: 'v3' },
        window(),
      ),
    ).toMatchObject({
      kind: 'no-data',
    });
  });
});
