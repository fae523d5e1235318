import { clusterAccessEnv, commonServiceEnv, DEFAULT_PORTS, env } from '@heliomesh/config';
import { z } from 'zod';

export const METRICS_PROVIDERS = ['collector', 'prometheus', 'scrape'] as const;
export type MetricsProviderKind = (typeof METRICS_PROVIDERS)[number];

export const workerEnv = z.object({
  ...commonServiceEnv,
  ...clusterAccessEnv,
  WORKER_PORT: env.port(DEFAULT_PORTS.rolloutWorker),
  RECONCILE_CONCURRENCY: env.positiveInt(4),
  ROLLOUT_CONCURRENCY: env.positiveInt(16),
  /** How often the outbox is polled besides the instant wake-up by NOTIFY. */
  OUTBOX_POLL_MS: env.positiveInt(1_000),
  /** How often services are rediscovered from the clusters. */
  DISCOVERY_INTERVAL_MS: env.positiveInt(60_000),
  /** Where canary measurements come from: the metrics collector, Prometheus, or a direct scrape. */
  METRICS_PROVIDER: env.enumOf(METRICS_PROVIDERS, 'collector'),
  COLLECTOR_URL: env.httpUrl(`http://127.0.0.1:${DEFAULT_PORTS.metricsCollector}`),
  PROMETHEUS_URL: env.httpUrl('http://127.0.0.1:9090'),
  /** For METRICS_PROVIDER=scrape: comma-separated /metrics URLs (mesh-sim's, or Envoy's). */
  SCRAPE_TARGETS: env.optionalString('a comma-separated list of http:// or https:// /metrics URLs'),
  SCRAPE_INTERVAL_MS: env.positiveInt(5_000),
  /** How often the rollout sweeper looks for ticks that should have run (lost or failed jobs). */
  ROLLOUT_SWEEP_INTERVAL_MS: env.positiveInt(10_000),
  /** First retry delay of a notification webhook job whose receiver failed; doubles each attempt. */
  ROLLOUT_NOTIFY_BACKOFF_MS: env.positiveInt(5_000),
});

export type WorkerConfig = z.output<typeof workerEnv>;

export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
