import {
  InMemoryMetricsProvider,
  measured,
  SELECTOR_QUERY_METHODS,
  type MeshSelector,
} from '@heliomesh/metrics';
import { describe, expect, it } from 'vitest';
import type { MetricsBackend } from '../telemetry/metrics-backend.factory.js';
import { QueryService } from './query.service.js';

const selector: MeshSelector = { kind: 'service', namespace: 'shop', service: 'reviews', version: 'v3' };

function service(provider: InMemoryMetricsProvider): QueryService {
  const backend = { kind: 'scrape', provider } as unknown as MetricsBackend;
  return new QueryService(backend);
}

describe('QueryService', () => {
  it('sends each selector method to the same-named provider method with its window', async () => {
    const fake = new InMemoryMetricsProvider();
    SELECTOR_QUERY_METHODS.forEach((method, i) => fake.setAnswer(method, selector, measured(i) as never));
    const queries = service(fake);
    for (const [i, method] of SELECTOR_QUERY_METHODS.entries()) {
      expect(await queries.run({ method, selector, windowSeconds: 30 + i })).toEqual(measured(i));
    }
    expect(fake.calls).toEqual(
      SELECTOR_QUERY_METHODS.map((method, i) => ({ method, subject: selector, window: 30 + i })),
    );
  });

  it('passes the quantile and the PromQL through', async () => {
    const fake = new InMemoryMetricsProvider()
      .setAnswer('latencyQuantile', { selector, q: 0.99 }, measured(812))
      .setAnswer('runQuery', 'sum(up)', measured(3));
    const queries = service(fake);
    expect(await queries.run({ method: 'latencyQuantile', selector, windowSeconds: 60, q: 0.99 })).toEqual(
      measured(812),
    );
    expect(await queries.run({ method: 'runQuery', promql: 'sum(up)' })).toEqual(measured(3));
  });

  it("returns the provider's no-data and provider-error unchanged", async () => {
    const fake = new InMemoryMetricsProvider();
    const queries = service(fake);
    expect(await queries.run({ method: 'successRate', selector, windowSeconds: 60 })).toMatchObject({
      kind: 'no-data',
    });
    fake.setOnline(false);
    expect(await queries.run({ method: 'successRate', selector, windowSeconds: 60 })).toMatchObject({
      kind: 'provider-error',
      error: { code: 'PROVIDER_UNREACHABLE' },
    });
  });
});
