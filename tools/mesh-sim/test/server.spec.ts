import { afterEach, describe, expect, it } from 'vitest';
import { inMemoryHarness, scrape, type Harness } from './support/harness.js';
import {
  HeliomeshError,
  simulatedCluster,
  startMeshSim,
  InMemoryConfigSource,
  sumSamples,
  type MeshSimHandle,
} from './support/mesh-sim.js';
import { topology } from './support/scenario-objects.js';

const small = () =>
  topology(
    'srv',
    [{ name: 'api', versions: [{ name: 'v1' }] }],
    [{ name: 'load', target: { service: 'api' }, rps: 100, arrival: 'uniform' }],
  );

describe('mesh-sim server', () => {
  let h: Harness | undefined;
  let sim: MeshSimHandle | undefined;
  afterEach(async () => {
    await h?.stop();
    await sim?.stop();
    h = sim = undefined;
  });

  it('serves /metrics (also as /stats/prometheus), /healthz and /stats', async () => {
    h = await inMemoryHarness(small());
    h.sim.advance(1000);
    const metrics = await fetch(`${h.sim.url}/metrics`);
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await metrics.text();
    expect(text).toContain('# TYPE istio_requests_total counter');
    expect(text).toContain('# TYPE istio_request_duration_milliseconds histogram');
    expect(await (await fetch(`${h.sim.url}/stats/prometheus`)).text()).toBe(text);
    expect(await (await fetch(`${h.sim.url}/healthz`)).text()).toBe('ok\n');
    const stats = (await (await fetch(`${h.sim.url}/stats`)).json()) as {
      entry: { requests: number };
      simTimeMs: number;
    };
    expect(stats.entry.requests).toBe(100);
    expect(stats.simTimeMs).toBe(1000);
  });

  it('answers unknown paths with 404 and writes with 405, as JSON errors', async () => {
    h = await inMemoryHarness(small());
    const missing = await fetch(`${h.sim.url}/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { code: string }).code).toBe('NOT_FOUND');
    const post = await fetch(`${h.sim.url}/metrics`, { method: 'POST' });
    expect(post.status).toBe(405);
  });

  it('runs faster than wall-clock time at speed N', async () => {
    const t = small();
    sim = await startMeshSim({
      topology: t,
      source: new InMemoryConfigSource(simulatedCluster(t)),
      port: 0,
      speed: 50,
    });
    await new Promise((r) => setTimeout(r, 400));
    const simulated = sim.stats().simTimeMs;
    // 400 ms of wall time at 50x is ~20 s simulated (timers may fire a little late or early).
    expect(simulated).toBeGreaterThan(10_000);
    expect(simulated).toBeLessThan(40_000);
    expect(sumSamples(await scrape(sim), 'istio_requests_total', { reporter: 'source' })).toBeGreaterThan(
      900,
    );
  });

  it('keeps counters monotonic across scrapes', async () => {
    h = await inMemoryHarness(small());
    let last = 0;
    for (let i = 0; i < 5; i++) {
      h.sim.advance(500);
      const total = sumSamples(await h.metrics(), 'istio_requests_total');
      expect(total).toBeGreaterThan(last);
      last = total;
    }
  });

  it('fails with a clear error when the port is taken', async () => {
    h = await inMemoryHarness(small());
    const t = small();
    const err = await startMeshSim({
      topology: t,
      source: new InMemoryConfigSource(simulatedCluster(t)),
      port: h.sim.port,
      speed: 0,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HeliomeshError);
    expect((err as HeliomeshError).code).toBe('MESH_SIM_PORT_UNAVAILABLE');
  });

  it('reports config problems and recorded WasmPlugins in stats', async () => {
    h = await inMemoryHarness(small());
    await h.apply({
      apiVersion: 'extensions.istio.io/v1alpha1',
      kind: 'WasmPlugin',
      metadata: { name: 'auth', namespace: 'srv' },
      spec: {
        selector: { matchLabels: { app: 'api' } },
        url: 'oci://registry.invalid/auth:1',
        phase: 'AUTHN',
      },
    });
    await h.apply({
      apiVersion: 'networking.istio.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'bad', namespace: 'srv' },
      spec: { hosts: ['api'], http: [{ route: [{ destination: { host: 'api' }, weight: -5 }] }] },
    });
    const stats = h.sim.stats();
    expect(stats.wasmPlugins).toEqual([
      { pod: expect.stringMatching(/^srv\/api-v1-/), chain: ['srv/auth (AUTHN)'] },
    ]);
    expect(stats.problems).toEqual([
      {
        kind: 'VirtualService',
        namespace: 'srv',
        name: 'bad',
        path: '$.spec.http[0].route[0].weight',
        message: 'weight must be >= 0',
      },
    ]);
  });
});
