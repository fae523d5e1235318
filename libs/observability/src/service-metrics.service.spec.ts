import { describe, expect, it } from 'vitest';
import { ServiceMetrics } from './service-metrics.service.js';

/** A counter's value for one label set, read the way a scrape reads it (through the registry). */
async function counter(
  metrics: ServiceMetrics,
  name: string,
  labels: Record<string, string>,
): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find((v) =>
    Object.entries(labels).every(([k, want]) => String((v.labels as Record<string, unknown>)[k]) === want),
  );
  return value?.value ?? 0;
}

const REQUESTS = 'heliomesh_http_requests_total';
const DURATION = 'heliomesh_http_request_duration_seconds';

describe('ServiceMetrics request counting', () => {
  it('shows every recorded request to a reader, whether or not its batch was full', async () => {
    const metrics = new ServiceMetrics('test');
    for (let i = 0; i < 3; i++) metrics.recordHttpRequest('GET', '/v1/things', 200, 0.003);
    metrics.recordHttpRequest('POST', '/v1/things', 422, 0.2);
    expect(await counter(metrics, REQUESTS, { method: 'GET', status: '200' })).toBe(3);
    expect(await counter(metrics, REQUESTS, { method: 'POST', status: '422' })).toBe(1);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(
      /heliomesh_http_request_duration_seconds_bucket\{le="0\.005",[^}]*method="GET"[^}]*\} 3/,
    );
    expect(text).toMatch(
      /heliomesh_http_request_duration_seconds_bucket\{le="0\.1",[^}]*method="POST"[^}]*\} 0/,
    );
    expect(text).toMatch(/heliomesh_http_request_duration_seconds_count\{[^}]*method="POST"[^}]*\} 1/);

    // Across several full batches and a partial one, nothing is lost or counted twice.
    for (let i = 0; i < 1_000; i++) metrics.recordHttpRequest('GET', '/v1/things', 200, 0.003);
    expect(await counter(metrics, REQUESTS, { method: 'GET', status: '200' })).toBe(1_003);
    expect(await counter(metrics, REQUESTS, { method: 'GET', status: '200' })).toBe(1_003);
    expect(await metrics.registry.metrics()).toMatch(
      new RegExp(`${DURATION}_count\\{[^}]*method="GET"[^}]*\\} 1003`),
    );
  });
});
