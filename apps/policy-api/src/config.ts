import { commonServiceEnv, DEFAULT_PORTS, env } from '@heliomesh/config';
import { z } from 'zod';

export const policyApiEnv = z.object({
  ...commonServiceEnv,
  POLICY_API_PORT: env.port(DEFAULT_PORTS.policyApi),
});

export type PolicyApiConfig = z.output<typeof policyApiEnv>;
