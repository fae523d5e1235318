import { z } from 'zod';

/**
 * The topology file: which services exist, how each version behaves, and the load that enters the
 * mesh. Strict objects everywhere so a typo is an error with a path rather than a silent default.
 */

const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label (lowercase letters, digits, "-")')
  .max(63);
const port = z.number().int().min(1).max(65535);
const millis = z.number().min(0).max(3_600_000);
const labelMap = z.record(z.string().min(1), z.string());
const headerName = z.string().regex(/^[a-z0-9!#$%&'*+.^_`|~-]+$/, 'must be a lowercase HTTP header name');

const latencySchema = z.discriminatedUnion('distribution', [
  z.strictObject({ distribution: z.literal('fixed'), value: millis }),
  z.strictObject({
    distribution: z.literal('lognormal'),
    p50: millis.positive(),
    p99: millis.positive(),
  }),
  z.strictObject({ distribution: z.literal('uniform'), min: millis, max: millis }),
  z.strictObject({ distribution: z.literal('exponential'), mean: millis.positive() }),
]);
/** A number is shorthand for a fixed latency in milliseconds. */
const latencyOrFixed = z.union([millis, latencySchema]);

const callSchema = z.strictObject({
  service: z.string().min(1).describe('target service: short name, name.namespace or FQDN'),
  port: port.optional().describe("target port; defaults to the target service's port"),
  method: z
    .string()
    .regex(/^[A-Z]+$/)
    .default('GET'),
  path: z.string().startsWith('/').default('/'),
  probability: z.number().min(0).max(1).default(1).describe('share of requests that make this call'),
  required: z
    .boolean()
    .default(true)
    .describe('a failed required call (status 0 or >= 400) makes the caller answer 500'),
  requestBytes: z.number().int().min(0).default(0).describe('body size sent with the call'),
});

const versionSchema = z.strictObject({
  name: dnsLabel.describe('value of the pod label `version`'),
  replicas: z.number().int().min(0).max(100).default(1),
  latency: latencyOrFixed.optional().describe("the app's own processing time; defaults to defaults.latency"),
  errorRate: z.number().min(0).max(1).default(0).describe('share of requests the app itself fails'),
  errorCode: z.number().int().min(400).max(599).default(500),
  grpcErrorStatus: z
    .number()
    .int()
    .min(1)
    .max(16)
    .default(14)
    .describe('grpc-status of failures (gRPC only)'),
  responseBytes: z.number().int().min(0).default(512),
  labels: labelMap.default({}).describe('extra pod labels'),
  callMode: z.enum(['sequential', 'parallel']).default('sequential'),
  calls: z.array(callSchema).default([]),
});

const serviceSchema = z.strictObject({
  name: dnsLabel,
  namespace: dnsLabel.optional().describe('defaults to the top-level namespace'),
  port: port.optional().describe('defaults to defaults.port'),
  protocol: z.enum(['http', 'grpc']).default('http'),
  serviceAccount: dnsLabel.optional().describe('defaults to the service name'),
  propagateHeaders: z
    .array(headerName)
    .optional()
    .describe(
      'request headers the app copies onto its downstream calls; defaults to defaults.propagateHeaders',
    ),
  versions: z.array(versionSchema).min(1),
});

const requestTemplateSchema = z.strictObject({
  weight: z.number().min(0).default(1),
  method: z
    .string()
    .regex(/^[A-Z]+$/)
    .default('GET'),
  path: z.string().startsWith('/').default('/'),
  scheme: z.enum(['http', 'https']).default('http'),
  headers: z.record(headerName, z.string()).default({}),
  bodyBytes: z.number().int().min(0).default(0),
});

const clientSchema = z.strictObject({
  name: dnsLabel.describe('workload name of the simulated load generator'),
  namespace: dnsLabel.optional(),
  sidecar: z
    .boolean()
    .default(true)
    .describe('with a sidecar the client applies VirtualServices and reports reporter="source"'),
  serviceAccount: dnsLabel.optional(),
  labels: labelMap.default({}),
  target: z.strictObject({ service: z.string().min(1), port: port.optional() }),
  rps: z.number().min(0).max(1_000_000).describe('requests per simulated second'),
  arrival: z.enum(['uniform', 'poisson']).default('poisson'),
  requests: z.array(requestTemplateSchema).min(1).prefault([{}]),
});

export const topologySchema = z
  .strictObject({
    apiVersion: z.literal('mesh-sim.heliomesh.io/v1alpha1'),
    kind: z.literal('Topology'),
    name: z.string().min(1),
    namespace: dnsLabel.default('default'),
    hopLatencyMs: millis
      .default(0.5)
      .describe('sidecar-to-sidecar time added to every attempt, seen by the client only'),
    defaults: z
      .strictObject({
        port: port.default(8080),
        latency: latencyOrFixed.default({ distribution: 'lognormal', p50: 5, p99: 25 }),
        propagateHeaders: z.array(headerName).default([]),
      })
      .prefault({}),
    services: z.array(serviceSchema).min(1),
    clients: z.array(clientSchema).default([]),
  })
  .describe('mesh-sim topology: services, their versions and behaviour, and the entry load');

export type TopologyInput = z.input<typeof topologySchema>;
export type TopologyDocument = z.output<typeof topologySchema>;
export type LatencySpec = z.output<typeof latencySchema>;
export type LatencyInput = z.output<typeof latencyOrFixed>;
export type ServiceDocument = z.output<typeof serviceSchema>;
export type VersionDocument = z.output<typeof versionSchema>;
export type CallDocument = z.output<typeof callSchema>;
export type ClientDocument = z.output<typeof clientSchema>;
export type RequestTemplate = z.output<typeof requestTemplateSchema>;

/** The JSON Schema of the topology file (checked in as tools/mesh-sim/topology.schema.json). */
export function topologyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(topologySchema, { io: 'input', target: 'draft-2020-12' }) as Record<string, unknown>;
}
