import { z } from 'zod';
import { durationSchema, versionNameSchema } from './common.schema.js';

const count = z.number().int();

export const connectionPoolSchema = z
  .strictObject({
    tcp: z
      .strictObject({
        maxConnections: count.optional(),
        connectTimeout: durationSchema.optional(),
      })
      .optional(),
    http: z
      .strictObject({
        http1MaxPendingRequests: count.optional(),
        http2MaxRequests: count.optional(),
        maxRequestsPerConnection: count.optional(),
        maxRetries: count.optional(),
        idleTimeout: durationSchema.optional(),
      })
      .optional(),
  })
  .refine((p) => p.tcp !== undefined || p.http !== undefined, {
    message: 'a connection pool needs "tcp" or "http" limits',
  })
  .meta({
    description:
      'Envoy circuit-breaker limits, kept per client proxy and per version (not per destination pod).',
  });

export const outlierDetectionSchema = z
  .strictObject({
    consecutive5xxErrors: count.optional(),
    consecutiveGatewayErrors: count.optional(),
    interval: durationSchema.optional(),
    baseEjectionTime: durationSchema.optional(),
    maxEjectionPercent: count.optional(),
    minHealthPercent: count.optional(),
  })
  .meta({
    description:
      'Eject failing pods. Envoy ejects a pod only if 100*(ejected+1)/pods <= maxEjectionPercent (default 10).',
  });

export const circuitBreakerSpecSchema = z
  .strictObject({
    version: versionNameSchema.optional(),
    connectionPool: connectionPoolSchema.optional(),
    outlierDetection: outlierDetectionSchema.optional(),
  })
  .refine((c) => c.connectionPool !== undefined || c.outlierDetection !== undefined, {
    message: 'a circuit breaker needs "connectionPool", "outlierDetection" or both',
  })
  .meta({ description: 'Connection-pool limits and outlier detection, for the service or one version.' });

export const consistentHashSchema = z
  .strictObject({
    httpHeaderName: z.string().min(1).optional(),
    httpCookie: z
      .strictObject({ name: z.string().min(1), path: z.string().optional(), ttl: durationSchema })
      .optional(),
    useSourceIp: z.literal(true).optional(),
    httpQueryParameterName: z.string().min(1).optional(),
    maglevTableSize: count.optional(),
  })
  .refine(
    (h) =>
      [h.httpHeaderName, h.httpCookie, h.useSourceIp, h.httpQueryParameterName].filter((k) => k !== undefined)
        .length === 1,
    {
      message:
        'hash on exactly one key: "httpHeaderName", "httpCookie", "useSourceIp" or "httpQueryParameterName"',
    },
  );

export const loadBalancerSpecSchema = z
  .strictObject({
    version: versionNameSchema.optional(),
    simple: z.enum(['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'PASSTHROUGH']).optional(),
    consistentHash: consistentHashSchema.optional(),
    localityFailover: z
      .array(z.strictObject({ from: z.string().min(1), to: z.string().min(1) }))
      .min(1)
      .optional(),
  })
  .refine((l) => !(l.simple !== undefined && l.consistentHash !== undefined), {
    message: 'choose "simple" or "consistentHash", not both',
  })
  .refine(
    (l) => l.simple !== undefined || l.consistentHash !== undefined || l.localityFailover !== undefined,
    {
      message: 'give "simple", "consistentHash" or "localityFailover"',
    },
  )
  .meta({
    description:
      'Load-balancing algorithm, consistent hashing, and locality failover (which only acts when outlier detection is on).',
  });

export type ConnectionPoolSpec = z.infer<typeof connectionPoolSchema>;
export type OutlierDetectionSpec = z.infer<typeof outlierDetectionSchema>;
export type CircuitBreakerSpec = z.infer<typeof circuitBreakerSpecSchema>;
export type ConsistentHashSpec = z.infer<typeof consistentHashSchema>;
export type LoadBalancerSpec = z.infer<typeof loadBalancerSpecSchema>;
