import { commonServiceEnv, DEFAULT_PORTS, env } from '@heliomesh/config';
import { z } from 'zod';

export const collectorEnv = z.object({
  ...commonServiceEnv,
  COLLECTOR_PORT: env.port(DEFAULT_PORTS.metricsCollector),
});

export type CollectorConfig = z.output<typeof collectorEnv>;
