import { loadConfig } from '@heliomesh/config';
import { DatabaseConnector } from '@heliomesh/db';
import { CollectorMetricsProvider } from '@heliomesh/metrics';
import type { RunningService } from '@heliomesh/observability';
import { TEST_REDIS_URL, uniqueQueuePrefix } from '@heliomesh/testing';
import { startCollector } from '../../src/collector.bootstrap.js';
import { collectorEnv } from '../../src/config.js';
import { RollupService } from '../../src/rollups/rollup.service.js';
import { METRICS_BACKEND, type MetricsBackend } from '../../src/telemetry/metrics-backend.factory.js';

export interface TestCollector {
  service: RunningService;
  url: string;
  /** The typed client, against this real collector. */
  client: CollectorMetricsProvider;
  backend: MetricsBackend;
  rollups: RollupService;
  get(path: string): Promise<{ status: number; body: unknown }>;
  post(path: string, body: unknown, contentType?: string): Promise<{ status: number; body: unknown }>;
  close(): Promise<void>;
}

/** The collector in-process on an ephemeral port, configured through its real env schema. */
export async function startTestCollector(
  databaseUrl: string,
  vars: Record<string, string> = {},
): Promise<TestCollector> {
  const config = loadConfig(collectorEnv, {
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueQueuePrefix('collector'),
    LOG_LEVEL: 'silent',
    ...vars,
  });
  const service = await startCollector({ ...config, COLLECTOR_PORT: 0 });
  await service.app.get(DatabaseConnector).ready();
  const call = async (path: string, init?: RequestInit) => {
    const res = await fetch(service.url + path, init);
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  return {
    service,
    url: service.url,
    client: new CollectorMetricsProvider({ baseUrl: service.url, timeoutMs: 10_000 }),
    backend: service.app.get<MetricsBackend>(METRICS_BACKEND),
    rollups: service.app.get(RollupService),
    get: (path) => call(path),
    post: (path, body, contentType = 'application/json') =>
      call(path, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    close: () => service.close(),
  };
}
