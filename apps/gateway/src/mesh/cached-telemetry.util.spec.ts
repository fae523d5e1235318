import { describe, expect, it } from 'vitest';
import { InMemoryMetricsProvider, measured, type Measurement, type TopologyGraph } from '@heliomesh/metrics';
import { CachedMeshTelemetry } from './cached-telemetry.util.js';
import type { MeshTelemetry } from './mesh-telemetry.types.js';

/** Counts calls; answers come from the metrics library's in-memory fake. */
function counting(): MeshTelemetry & { calls: string[] } {
  const fake = new InMemoryMetricsProvider();
  const calls: string[] = [];
  const graph = (ns?: string): Measurement<TopologyGraph> =>
    measured({ namespace: ns ?? null, windowSeconds: 60, nodes: [], edges: [] });
  return {
    calls,
    serviceStats: (scope, w) => (calls.push(`stats:${scope.namespace}:${w}`), fake.serviceStats(scope, w)),
    edges: (scope, w) => (calls.push(`edges:${scope.namespace}:${w}`), fake.edges(scope, w)),
    health: async (scope, w) => (
      calls.push(`health:${scope.namespace}:${w}`),
      measured({ windowSeconds: w, services: [], versions: [] })
    ),
    topology: async (scope, w) => (calls.push(`topology:${scope.namespace}:${w}`), graph(scope.namespace)),
  };
}

describe('CachedMeshTelemetry', () => {
  it('shares one call among concurrent and repeated asks within the TTL, per method, namespace and window', async () => {
    let now = 0;
    const inner = counting();
    const cached = new CachedMeshTelemetry(inner, 1_000, () => now);
    await Promise.all([
      cached.serviceStats({ namespace: 'shop' }, 60),
      cached.serviceStats({ namespace: 'shop' }, 60),
    ]);
    await cached.serviceStats({ namespace: 'shop' }, 60);
    await cached.serviceStats({ namespace: 'shop' }, 30);
    await cached.serviceStats({ namespace: 'bank' }, 60);
    await cached.health({ namespace: 'shop' }, 60);
    expect(inner.calls).toEqual(['stats:shop:60', 'stats:shop:30', 'stats:bank:60', 'health:shop:60']);
    now = 1_000;
    await cached.serviceStats({ namespace: 'shop' }, 60);
    expect(inner.calls.at(-1)).toBe('stats:shop:60');
    expect(inner.calls).toHaveLength(5);
  });

  it('asks every time with a TTL of 0, and forgets a call that failed', async () => {
    const inner = counting();
    const off = new CachedMeshTelemetry(inner, 0);
    await off.edges({ namespace: 'shop' }, 60);
    await off.edges({ namespace: 'shop' }, 60);
    expect(inner.calls).toHaveLength(2);
    let fail = true;
    const flaky: MeshTelemetry = {
      ...inner,
      topology: async (s, w) => {
        if (fail) throw new Error('boom');
        return inner.topology(s, w);
      },
    };
    const cached = new CachedMeshTelemetry(flaky, 10_000);
    await expect(cached.topology({ namespace: 'shop' }, 60)).rejects.toThrow('boom');
    fail = false;
    await expect(cached.topology({ namespace: 'shop' }, 60)).resolves.toMatchObject({ kind: 'value' });
  });
});
