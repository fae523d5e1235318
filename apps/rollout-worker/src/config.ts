import { commonServiceEnv, DEFAULT_PORTS, env } from '@heliomesh/config';
import { z } from 'zod';

export const workerEnv = z.object({
  ...commonServiceEnv,
  WORKER_PORT: env.port(DEFAULT_PORTS.rolloutWorker),
  RECONCILE_CONCURRENCY: env.positiveInt(4),
  ROLLOUT_CONCURRENCY: env.positiveInt(16),
});

export type WorkerConfig = z.output<typeof workerEnv>;

export const WORKER_CONFIG = Symbol('WORKER_CONFIG');
