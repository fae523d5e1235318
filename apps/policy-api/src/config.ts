import type { ClusterTargets } from '@heliomesh/core';
import { clusterAccessEnv, commonServiceEnv, DEFAULT_PORTS, env } from '@heliomesh/config';
import { z } from 'zod';

export const policyApiEnv = z.object({
  ...commonServiceEnv,
  ...clusterAccessEnv,
  POLICY_API_PORT: env.port(DEFAULT_PORTS.policyApi),
  /** A platform admin token to register at start (hm_ + 43 base64url characters); without it one is generated and printed once. */
  ADMIN_TOKEN: env.optionalString('a token of the form hm_ followed by 43 base64url characters'),
  /** Most rollouts one tenant may run at once. */
  ROLLOUT_TENANT_LIMIT: env.positiveInt(50),
});

export type PolicyApiConfig = z.output<typeof policyApiEnv>;

export const POLICY_API_CONFIG = Symbol('POLICY_API_CONFIG');

/** How the API reaches clusters; the Kubernetes implementation unless a test supplies another. */
export type ClusterTargetsFactory = () => ClusterTargets;
