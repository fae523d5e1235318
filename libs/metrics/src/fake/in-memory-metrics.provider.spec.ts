import { describe, expect, it } from 'vitest';
import { measured } from '../measurement.types.js';
import type { MeshSelector } from '../mesh-query.types.js';
import { InMemoryMetricsProvider } from './in-memory-metrics.provider.js';

const canary: MeshSelector = { kind: 'service', namespace: 'shop', service: 'cart', version: 'v2' };

describe('InMemoryMetricsProvider', () => {
  it('answers what it was told per selector, no-data otherwise, and records calls', async () => {
    const fake = new InMemoryMetricsProvider()
      .setAnswer('successRate', canary, measured(99.5, { requestCount: 1000 }))
      .setAnswer('runQuery', '*', measured(3));
    // Key order of the selector does not matter.
    expect(
      await fake.successRate({ version: 'v2', service: 'cart', namespace: 'shop', kind: 'service' }, 60),
    ).toEqual({ kind: 'value', value: 99.5, requestCount: 1000 });
    expect((await fake.successRate({ ...canary, version: 'v1' }, 60)).kind).toBe('no-data');
    expect(await fake.runQuery('anything')).toEqual({ kind: 'value', value: 3 });
    expect(fake.calls.map((c) => c.method)).toEqual(['successRate', 'successRate', 'runQuery']);
    expect(fake.calls[0]!.window).toBe(60);
  });

  it('keys latency quantiles by quantile too', async () => {
    const fake = new InMemoryMetricsProvider().setAnswer(
      'latencyQuantile',
      { selector: canary, q: 0.99 },
      measured(120),
    );
    expect(await fake.latencyQuantile(canary, 0.99, 60)).toMatchObject({ value: 120 });
    expect((await fake.latencyQuantile(canary, 0.5, 60)).kind).toBe('no-data');
  });

  it('turns every answer into a provider error while offline', async () => {
    const fake = new InMemoryMetricsProvider().setAnswer('requestRate', '*', measured(1));
    fake.setOnline(false);
    expect(await fake.isOnline()).toBe(false);
    expect(await fake.requestRate(canary, 60)).toMatchObject({
      kind: 'provider-error',
      error: { code: 'PROVIDER_UNREACHABLE', provider: 'in-memory' },
    });
    fake.setOnline(true);
    expect(await fake.requestRate(canary, 60)).toMatchObject({ kind: 'value', value: 1 });
  });
});
