import { z } from 'zod';

/**
 * The parts of networking.istio.io VirtualService and DestinationRule the simulator acts on
 * (istio-semantics §1, §2). Loose objects: fields the simulator does not model are kept and ignored.
 */

export const stringMatchSchema = z.looseObject({
  exact: z.string().optional(),
  prefix: z.string().optional(),
  regex: z.string().optional(),
});
export type StringMatch = z.output<typeof stringMatchSchema>;

const percentSchema = z.looseObject({ value: z.number() });
const portSelector = z.looseObject({ number: z.number().int().min(0).max(65535).optional() });
const labelMap = z.record(z.string(), z.string());

export const destinationSchema = z.looseObject({
  host: z.string().min(1),
  subset: z.string().optional(),
  port: portSelector.optional(),
});

const headerOpsSchema = z.looseObject({
  set: z.record(z.string(), z.string()).optional(),
  add: z.record(z.string(), z.string()).optional(),
  remove: z.array(z.string()).optional(),
});
export const headersSchema = z.looseObject({
  request: headerOpsSchema.optional(),
  response: headerOpsSchema.optional(),
});
export type HeaderOps = z.output<typeof headerOpsSchema>;

export const httpMatchSchema = z.looseObject({
  name: z.string().optional(),
  uri: stringMatchSchema.optional(),
  scheme: stringMatchSchema.optional(),
  method: stringMatchSchema.optional(),
  authority: stringMatchSchema.optional(),
  headers: z.record(z.string(), stringMatchSchema).optional(),
  withoutHeaders: z.record(z.string(), stringMatchSchema).optional(),
  queryParams: z.record(z.string(), stringMatchSchema).optional(),
  ignoreUriCase: z.boolean().optional(),
  port: z.number().int().optional(),
  sourceLabels: labelMap.optional(),
  sourceNamespace: z.string().optional(),
  gateways: z.array(z.string()).optional(),
});
export type HttpMatch = z.output<typeof httpMatchSchema>;

const faultSchema = z.looseObject({
  delay: z
    .looseObject({
      fixedDelay: z.string().optional(),
      exponentialDelay: z.string().optional(),
      percentage: percentSchema.optional(),
      percent: z.number().int().optional(),
    })
    .optional(),
  abort: z
    .looseObject({
      httpStatus: z.number().int().optional(),
      grpcStatus: z.string().optional(),
      http2Error: z.string().optional(),
      percentage: percentSchema.optional(),
    })
    .optional(),
});

const corsSchema = z.looseObject({
  allowOrigins: z.array(stringMatchSchema).optional(),
  allowOrigin: z.array(z.string()).optional(),
  allowMethods: z.array(z.string()).optional(),
  unmatchedPreflights: z.enum(['UNSPECIFIED', 'FORWARD', 'IGNORE']).optional(),
});

export const httpRouteSchema = z.looseObject({
  name: z.string().optional(),
  match: z.array(httpMatchSchema).optional(),
  route: z
    .array(
      z.looseObject({
        destination: destinationSchema,
        weight: z.number().int().optional(),
        headers: headersSchema.optional(),
      }),
    )
    .optional(),
  redirect: z
    .looseObject({
      uri: z.string().optional(),
      authority: z.string().optional(),
      port: z.number().int().optional(),
      derivePort: z.enum(['FROM_PROTOCOL_DEFAULT', 'FROM_REQUEST_PORT']).optional(),
      scheme: z.string().optional(),
      redirectCode: z.number().int().optional(),
    })
    .optional(),
  directResponse: z
    .looseObject({
      status: z.number().int(),
      body: z.looseObject({ string: z.string().optional(), bytes: z.string().optional() }).optional(),
    })
    .optional(),
  delegate: z.looseObject({ name: z.string().optional(), namespace: z.string().optional() }).optional(),
  rewrite: z
    .looseObject({
      uri: z.string().optional(),
      authority: z.string().optional(),
      uriRegexRewrite: z.looseObject({ match: z.string(), rewrite: z.string() }).optional(),
    })
    .optional(),
  timeout: z.string().optional(),
  retries: z
    .looseObject({
      attempts: z.number().int().optional(),
      perTryTimeout: z.string().optional(),
      retryOn: z.string().optional(),
      retryRemoteLocalities: z.boolean().optional(),
      backoff: z.string().optional(),
    })
    .optional(),
  fault: faultSchema.optional(),
  mirror: destinationSchema.optional(),
  mirrorPercentage: percentSchema.optional(),
  mirrorPercent: z.number().int().optional(),
  mirrors: z
    .array(z.looseObject({ destination: destinationSchema, percentage: percentSchema.optional() }))
    .optional(),
  corsPolicy: corsSchema.optional(),
  headers: headersSchema.optional(),
});
export type HttpRoute = z.output<typeof httpRouteSchema>;
export type Destination = z.output<typeof destinationSchema>;

export const virtualServiceSpecSchema = z.looseObject({
  hosts: z.array(z.string()).default([]),
  gateways: z.array(z.string()).optional(),
  exportTo: z.array(z.string()).optional(),
  http: z.array(httpRouteSchema).optional(),
  tcp: z.array(z.unknown()).optional(),
  tls: z.array(z.unknown()).optional(),
});
export type VirtualServiceSpec = z.output<typeof virtualServiceSpecSchema>;

const count = z.number().int();
const connectionPoolSchema = z.looseObject({
  tcp: z.looseObject({ maxConnections: count.optional(), connectTimeout: z.string().optional() }).optional(),
  http: z
    .looseObject({
      http1MaxPendingRequests: count.optional(),
      http2MaxRequests: count.optional(),
      maxRequestsPerConnection: count.optional(),
      maxRetries: count.optional(),
      idleTimeout: z.string().optional(),
      maxConcurrentStreams: count.optional(),
      h2UpgradePolicy: z.enum(['DEFAULT', 'DO_NOT_UPGRADE', 'UPGRADE']).optional(),
    })
    .optional(),
});
const outlierSchema = z.looseObject({
  consecutive5xxErrors: count.optional(),
  consecutiveGatewayErrors: count.optional(),
  consecutiveErrors: count.optional(),
  consecutiveLocalOriginFailures: count.optional(),
  splitExternalLocalOriginErrors: z.boolean().optional(),
  interval: z.string().optional(),
  baseEjectionTime: z.string().optional(),
  maxEjectionPercent: count.optional(),
  minHealthPercent: count.optional(),
});
const loadBalancerSchema = z.looseObject({
  simple: z
    .enum(['UNSPECIFIED', 'LEAST_CONN', 'RANDOM', 'PASSTHROUGH', 'ROUND_ROBIN', 'LEAST_REQUEST'])
    .optional(),
  consistentHash: z
    .looseObject({
      httpHeaderName: z.string().optional(),
      httpCookie: z
        .looseObject({ name: z.string().optional(), path: z.string().optional(), ttl: z.string().optional() })
        .optional(),
      useSourceIp: z.boolean().optional(),
      httpQueryParameterName: z.string().optional(),
      ringHash: z.looseObject({ minimumRingSize: count.optional() }).optional(),
      maglev: z.looseObject({ tableSize: count.optional() }).optional(),
      minimumRingSize: count.optional(),
    })
    .optional(),
});
const tlsSchema = z.looseObject({ mode: z.enum(['DISABLE', 'SIMPLE', 'MUTUAL', 'ISTIO_MUTUAL']).optional() });

const policyBlocks = {
  loadBalancer: loadBalancerSchema.optional(),
  connectionPool: connectionPoolSchema.optional(),
  outlierDetection: outlierSchema.optional(),
  tls: tlsSchema.optional(),
};
export const trafficPolicySchema = z.looseObject({
  ...policyBlocks,
  portLevelSettings: z.array(z.looseObject({ port: portSelector.optional(), ...policyBlocks })).optional(),
});
export type TrafficPolicy = z.output<typeof trafficPolicySchema>;
export type LoadBalancerSettings = z.output<typeof loadBalancerSchema>;
export type ConnectionPoolSettings = z.output<typeof connectionPoolSchema>;
export type OutlierDetectionSettings = z.output<typeof outlierSchema>;
export type TlsSettings = z.output<typeof tlsSchema>;
/** The four blocks a top-level, port-level or subset policy can set. */
export interface PolicyBlocks {
  loadBalancer?: LoadBalancerSettings;
  connectionPool?: ConnectionPoolSettings;
  outlierDetection?: OutlierDetectionSettings;
  tls?: TlsSettings;
}

export const destinationRuleSpecSchema = z.looseObject({
  host: z.string().min(1),
  trafficPolicy: trafficPolicySchema.optional(),
  subsets: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        labels: labelMap.optional(),
        trafficPolicy: trafficPolicySchema.optional(),
      }),
    )
    .optional(),
  exportTo: z.array(z.string()).optional(),
  workloadSelector: z.looseObject({ matchLabels: labelMap.optional() }).optional(),
});
export type DestinationRuleSpec = z.output<typeof destinationRuleSpecSchema>;
