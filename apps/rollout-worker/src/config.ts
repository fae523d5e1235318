import { clusterAccessEnv, commonServiceEnv, DEFAULT_PORTS, env } from '@heliomesh/config';
import { z } from 'zod';

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
});

export type WorkerConfig = z.output<typeof workerEnv>;

export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
