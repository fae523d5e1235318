import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningService } from '@heliomesh/observability';
import {
  eventually,
  freePort,
  type MeshSimHandle,
  spawnNode,
  type SpawnedProcess,
  startMeshSim,
  DEMO_TOPOLOGY,
  loadTopologyFile,
} from '@heliomesh/testing';
import { HealthFeed } from '../src/mesh/health-feed.service.js';
import { GraphqlClient, Subscription } from './graphql-client.js';
import {
  type GatewayPlatform,
  setUpTenant,
  startGatewayPlatform,
  type TenantSetup,
} from './gateway-platform.js';

let p: GatewayPlatform;
let t: TenantSetup;
let sim: MeshSimHandle;
let collector: SpawnedProcess;
let collectorDown: RunningService;
let reviewsId: string;
let collectorUrl: string;

/**
 * Live traffic end to end: mesh-sim simulates the demo shop from the sandbox's Istio objects in
 * real time, the metrics collector (a real child process) scrapes it every 500 ms, and the
 * gateway reads the collector's API.
 */
beforeAll(async () => {
  const collectorPort = await freePort();
  collectorUrl = `http://127.0.0.1:${collectorPort}`;
  p = await startGatewayPlatform({
    worker: true,
    gateway: { COLLECTOR_URL: collectorUrl },
  });
  t = await setUpTenant(p, { tenant: 'mesh', namespaces: ['shop'] });
  sim = await startMeshSim({
    topology: await loadTopologyFile(DEMO_TOPOLOGY),
    kubeconfig: p.sandbox.kubeconfig,
    port: 0,
    speed: 1,
    loadScale: 5,
  });
  collector = spawnNode('apps/metrics-collector/dist/main.js', {
    ...p.env,
    COLLECTOR_PORT: String(collectorPort),
    SCRAPE_TARGETS: `${sim.url}/metrics`,
    SCRAPE_INTERVAL_MS: '500',
    SCRAPE_MAX_SAMPLES_PER_SERIES: '600',
  });
  collectorDown = await p.startReplica({ COLLECTOR_URL: `http://127.0.0.1:${await freePort()}` });
  const services = await t.viewer.query('{ services(filter: { namespace: "shop" }) { nodes { id name } } }');
  reviewsId = services.data.services.nodes.find((s: { name: string }) => s.name === 'reviews').id;
  // Traffic is measured once the collector has scraped a few times.
  await eventually(
    async () => {
      const r = await t.viewer.query(
        'query($id: ID!) { service(id: $id) { metrics(window: 30) { versions { requestCount } } } }',
        { id: reviewsId },
      );
      return (r.data?.service?.metrics.versions.length ?? 0) >= 3;
    },
    30_000,
    250,
  );
}, 120_000);

afterAll(async () => {
  collector?.child.kill('SIGTERM');
  await collector?.exited;
  await sim?.stop();
  await p?.stop();
});

describe('live traffic of a service', () => {
  it('metrics(window): rate, success rate and p50/p90/p99 per version', async () => {
    const res = await t.viewer.query(
      `query($id: ID!) { service(id: $id) { metrics(window: 30) { windowSeconds error { code }
        versions { version requestRate requestCount successRate latencyMs { p50 p90 p99 } responseFlags } } } }`,
      { id: reviewsId },
    );
    const m = res.data.service.metrics;
    expect(m).toMatchObject({ windowSeconds: 30, error: null });
    expect(m.versions.map((v: { version: string }) => v.version)).toEqual(['v1', 'v2', 'v3']);
    for (const v of m.versions) {
      expect(v.requestRate).toBeGreaterThan(0);
      expect(v.latencyMs.p50).toBeGreaterThan(0);
      expect(v.latencyMs.p99).toBeGreaterThanOrEqual(v.latencyMs.p90);
      expect(v.latencyMs.p90).toBeGreaterThanOrEqual(v.latencyMs.p50);
    }
    const v3 = m.versions[2];
    // The demo's bad canary: slow and failing about 8 % of requests.
    expect(v3.latencyMs.p50).toBeGreaterThan(m.versions[0].latencyMs.p50);
    expect(v3.successRate).toBeLessThan(100);
  });

  it('health, inbound and outbound edges, batched per namespace for a whole page', async () => {
    const res = await t.viewer.query(`{ services(filter: { namespace: "shop" }) { nodes { name
      health(window: 30) { status requestCount versions { version status } }
      inbound(window: 30) { edges { source { app } destination { service version } requestRate } }
      outbound(window: 30) { edges { destination { service } } } } } }`);
    expect(res.errors, res.text).toBeUndefined();
    const byName = Object.fromEntries(res.data.services.nodes.map((n: { name: string }) => [n.name, n]));
    expect(byName.reviews.health.requestCount).toBeGreaterThan(0);
    expect(byName.reviews.health.versions.map((v: { version: string }) => v.version)).toEqual([
      'v1',
      'v2',
      'v3',
    ]);
    expect(byName.reviews.inbound.edges.map((e: { source: { app: string } }) => e.source.app)).toContain(
      'product',
    );
    expect(
      byName.product.outbound.edges.map((e: { destination: { service: string } }) => e.destination.service),
    ).toContain('reviews');
  });

  it('topology(namespace, window): the graph with rates and health', async () => {
    const res = await t.viewer.query(
      '{ topology(namespace: "shop", window: 30) { nodes { id kind health } edges { source target requestRate health } error { code } } }',
    );
    const g = res.data.topology;
    expect(g.error).toBeNull();
    expect(g.nodes.map((n: { id: string }) => n.id)).toEqual(
      expect.arrayContaining(['service:shop/reviews', 'service:shop/frontend']),
    );
    expect(g.edges.length).toBeGreaterThan(5);
    expect(g.edges.every((e: { requestRate: number }) => e.requestRate >= 0)).toBe(true);
  });

  it('says so when the collector cannot be asked, instead of inventing figures', async () => {
    const down = new GraphqlClient(collectorDown.url, t.viewer.token);
    const res = await down.query(
      'query($id: ID!) { service(id: $id) { metrics { versions { version } error { code message } } } }',
      { id: reviewsId },
    );
    expect(res.data.service.metrics.versions).toEqual([]);
    expect(res.data.service.metrics.error.code).toBe('PROVIDER_UNREACHABLE');
    const topo = await down.query('{ topology(namespace: "shop") { nodes { id } error { code } } }');
    expect(topo.data.topology).toEqual({ nodes: [], error: { code: 'PROVIDER_UNREACHABLE' } });
  });
});

describe('serviceHealth subscription', () => {
  it(
    'sends the current health first, then the change a fault injected through GraphQL causes, on every replica',
    { timeout: 40_000 },
    async () => {
      const second = await p.startReplica({ COLLECTOR_URL: collectorUrl });
      type Health = {
        serviceHealth: { namespace: string; services: Array<{ service: string; status: string }> };
      };
      const q =
        'subscription { serviceHealth(namespace: "shop", window: 5) { namespace observedAt services { service status } } }';
      const sockets = [t.viewer.ws(), new GraphqlClient(second.url, t.viewer.token).ws()];
      const [onFirst, onSecond] = sockets.map((ws) => new Subscription<Health>(ws, q));
      const ratings = (h: Health['serviceHealth']) => h.services.find((s) => s.service === 'ratings')?.status;
      for (const sub of [onFirst!, onSecond!]) {
        const first = (await sub.next()).data!.serviceHealth;
        expect(first.namespace).toBe('shop');
        expect(ratings(first)).toBe('HEALTHY');
      }
      // One replica reads the collector for both; the other hears it through Redis.
      const leading = () => [p.gateway, second].flatMap((g) => g.app.get(HealthFeed).leadingKeys);
      await eventually(async () => leading().length === 1, 5_000, 50);
      expect(leading()).toEqual(['shop:5']);
      const fault = await t.operator.query(
        'mutation($i: PolicyInput!) { createPolicy(input: $i) { policy { id } } }',
        {
          i: {
            name: 'ratings-outage',
            kind: 'FaultInjection',
            target: { namespace: 'shop', service: 'ratings' },
            spec: { abort: { httpStatus: 503, percentage: 100 } },
          },
        },
      );
      expect(fault.errors, fault.text).toBeUndefined();
      // Istio aborts at the caller's sidecar: ratings stops receiving requests, so its request
      // health leaves HEALTHY (NO_DATA, or FAILURE where the callers' 503s are counted).
      const notHealthy = (r: { data?: Health | null }) => ratings(r.data!.serviceHealth) !== 'HEALTHY';
      const [a, b] = await Promise.all([
        onFirst!.next(notHealthy, 20_000),
        onSecond!.next(notHealthy, 20_000),
      ]);
      expect(['NO_DATA', 'FAILURE']).toContain(ratings(a.data!.serviceHealth));
      expect(b.data).toEqual(a.data);
      expect(onFirst!.results.length).toBeLessThan(20);
      await Promise.all([onFirst!.stop(), onSecond!.stop()]);
      await Promise.all(sockets.map((ws) => ws.dispose()));
    },
  );
});

/** The GraphQL blocks of the README's GraphQL section, in order. */
function readmeExamples(): string[] {
  const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
  const section = readme.slice(readme.indexOf('## GraphQL'));
  return [...section.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

describe('the README examples', () => {
  it('run as printed: three queries and a subscription', async () => {
    const examples = readmeExamples();
    const queries = examples.filter((e) => e.startsWith('query'));
    const subscriptions = examples.filter((e) => e.startsWith('subscription'));
    expect(queries).toHaveLength(3);
    expect(subscriptions).toHaveLength(1);
    for (const query of queries) {
      const res = await t.operator.query(query);
      expect(res.errors, res.text).toBeUndefined();
      expect(JSON.stringify(res.data)).not.toMatch(/PROVIDER_/);
    }
    const ws = t.viewer.ws();
    const sub = new Subscription<{ serviceHealth: { services: unknown[] } }>(ws, subscriptions[0]!);
    expect((await sub.next()).data!.serviceHealth.services.length).toBeGreaterThan(5);
    await sub.stop();
    await ws.dispose();
  });
});
