import { commonServiceEnv, DEFAULT_PORTS, env } from '@heliomesh/config';
import { z } from 'zod';

export const gatewayEnv = z.object({
  ...commonServiceEnv,
  GATEWAY_PORT: env.port(DEFAULT_PORTS.gateway),
  /** GraphiQL is a development tool; it is off unless asked for. */
  GRAPHIQL: env.bool(false),
});

export type GatewayConfig = z.output<typeof gatewayEnv>;
