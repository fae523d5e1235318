import { clusterAccessEnv, commonServiceEnv, DEFAULT_PORTS, env } from '@heliomesh/config';
import { z } from 'zod';

/** A duration in whole milliseconds where 0 means off (env.positiveInt refuses 0). */
const MILLIS_OR_ZERO = z
  .string()
  .regex(/^\d{1,7}$/, 'a whole number of milliseconds (0 turns it off)')
  .transform(Number);

export const gatewayEnv = z.object({
  ...commonServiceEnv,
  ...clusterAccessEnv,
  GATEWAY_PORT: env.port(DEFAULT_PORTS.gateway),
  /** GraphiQL is a development tool; it is off unless asked for. */
  GRAPHIQL: env.bool(false),
  /** The metrics collector's HTTP API: per-version metrics, edges, topology and health. */
  COLLECTOR_URL: env.httpUrl(`http://127.0.0.1:${DEFAULT_PORTS.metricsCollector}`),
  /** How long the collector's answers are shared between requests (its figures move once per scrape). */
  TELEMETRY_CACHE_MS: z.string().prefault('1000').pipe(MILLIS_OR_ZERO),
  /** Deepest selection a query may nest (fields inside fields). */
  GRAPHQL_MAX_DEPTH: env.positiveInt(12),
  /** Largest estimated cost (fields times the page sizes above them) a query may have. */
  GRAPHQL_MAX_COST: env.positiveInt(50_000),
  /**
   * How often a watched tenant's audit log is read without a Redis wake-up: the fallback for
   * wake-ups lost while Redis or the worker's relay was away.
   */
  AUDIT_POLL_MS: env.positiveInt(5_000),
  /** How often a rollout's progress stream reads the events Redis did not bring (it is best effort). */
  ROLLOUT_POLL_MS: env.positiveInt(5_000),
  /** How often the collector's health is read for each namespace someone subscribes to. */
  HEALTH_POLL_MS: env.positiveInt(5_000),
});

export type GatewayConfig = z.output<typeof gatewayEnv>;

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
