import { z } from 'zod';
import { dnsLabelSchema, targetSchema, type PolicyTarget } from './common.schema.js';
import {
  circuitBreakerSpecSchema,
  loadBalancerSpecSchema,
  type CircuitBreakerSpec,
  type LoadBalancerSpec,
} from './destination.schema.js';
import {
  accessControlSpecSchema,
  pluginSpecSchema,
  rateLimitSpecSchema,
  type AccessControlSpec,
  type PluginSpec,
  type RateLimitSpec,
} from './edge.schema.js';
import {
  faultInjectionSpecSchema,
  headerPolicySpecSchema,
  requestRoutingSpecSchema,
  retrySpecSchema,
  timeoutSpecSchema,
  trafficMirrorSpecSchema,
  trafficSplitSpecSchema,
  type FaultInjectionSpec,
  type HeaderPolicySpec,
  type RequestRoutingSpec,
  type RetrySpec,
  type TimeoutSpec,
  type TrafficMirrorSpec,
  type TrafficSplitSpec,
} from './routing.schema.js';

/** Every policy kind, in the order the documentation lists them. */
export const POLICY_KINDS = [
  'TrafficSplit',
  'RequestRouting',
  'FaultInjection',
  'TrafficMirror',
  'Timeout',
  'Retry',
  'CircuitBreaker',
  'LoadBalancer',
  'RateLimit',
  'AccessControl',
  'Plugin',
  'HeaderPolicy',
] as const;

export type PolicyKind = (typeof POLICY_KINDS)[number];

export interface PolicySpecs {
  TrafficSplit: TrafficSplitSpec;
  RequestRouting: RequestRoutingSpec;
  FaultInjection: FaultInjectionSpec;
  TrafficMirror: TrafficMirrorSpec;
  Timeout: TimeoutSpec;
  Retry: RetrySpec;
  CircuitBreaker: CircuitBreakerSpec;
  LoadBalancer: LoadBalancerSpec;
  RateLimit: RateLimitSpec;
  AccessControl: AccessControlSpec;
  Plugin: PluginSpec;
  HeaderPolicy: HeaderPolicySpec;
}

export const policySpecSchemas = {
  TrafficSplit: trafficSplitSpecSchema,
  RequestRouting: requestRoutingSpecSchema,
  FaultInjection: faultInjectionSpecSchema,
  TrafficMirror: trafficMirrorSpecSchema,
  Timeout: timeoutSpecSchema,
  Retry: retrySpecSchema,
  CircuitBreaker: circuitBreakerSpecSchema,
  LoadBalancer: loadBalancerSpecSchema,
  RateLimit: rateLimitSpecSchema,
  AccessControl: accessControlSpecSchema,
  Plugin: pluginSpecSchema,
  HeaderPolicy: headerPolicySpecSchema,
} as const satisfies { [K in PolicyKind]: z.ZodType<PolicySpecs[K]> };

/** The form REST and GraphQL take: `{ name, kind, target, spec }`. */
export type PolicyBodyOf<K extends PolicyKind> = {
  name: string;
  kind: K;
  target: PolicyTarget;
  spec: PolicySpecs[K];
};
export type PolicyBody = { [K in PolicyKind]: PolicyBodyOf<K> }[PolicyKind];

/** The stored form the compiler takes: a body plus its id and revision. */
export type StoredPolicyOf<K extends PolicyKind> = PolicyBodyOf<K> & { id: string; revision: number };
export type StoredPolicy = { [K in PolicyKind]: StoredPolicyOf<K> }[PolicyKind];

function bodySchemaOf<K extends PolicyKind>(kind: K) {
  return z.strictObject({
    name: dnsLabelSchema,
    kind: z.literal(kind),
    target: targetSchema,
    spec: policySpecSchemas[kind],
  });
}

const storedExtras = {
  id: z.string().min(1),
  revision: z.number().int().min(1),
};

function storedSchemaOf<K extends PolicyKind>(kind: K) {
  return bodySchemaOf(kind).extend(storedExtras);
}

export const policyBodySchema: z.ZodType<PolicyBody> = z
  .discriminatedUnion('kind', [
    bodySchemaOf('TrafficSplit'),
    bodySchemaOf('RequestRouting'),
    bodySchemaOf('FaultInjection'),
    bodySchemaOf('TrafficMirror'),
    bodySchemaOf('Timeout'),
    bodySchemaOf('Retry'),
    bodySchemaOf('CircuitBreaker'),
    bodySchemaOf('LoadBalancer'),
    bodySchemaOf('RateLimit'),
    bodySchemaOf('AccessControl'),
    bodySchemaOf('Plugin'),
    bodySchemaOf('HeaderPolicy'),
  ])
  .meta({ title: 'PolicyBody', description: 'A Heliomesh policy: name, kind, target and spec.' });

export const storedPolicySchema: z.ZodType<StoredPolicy> = z
  .discriminatedUnion('kind', [
    storedSchemaOf('TrafficSplit'),
    storedSchemaOf('RequestRouting'),
    storedSchemaOf('FaultInjection'),
    storedSchemaOf('TrafficMirror'),
    storedSchemaOf('Timeout'),
    storedSchemaOf('Retry'),
    storedSchemaOf('CircuitBreaker'),
    storedSchemaOf('LoadBalancer'),
    storedSchemaOf('RateLimit'),
    storedSchemaOf('AccessControl'),
    storedSchemaOf('Plugin'),
    storedSchemaOf('HeaderPolicy'),
  ])
  .meta({ title: 'StoredPolicy', description: 'A policy as stored: its body plus id and revision.' });

export const POLICY_API_VERSION = 'heliomesh.io/v1alpha1';

/** The GitOps / CLI document form. `spec.target.namespace` defaults to `metadata.namespace`. */
export const policyDocumentSchema = z
  .strictObject({
    apiVersion: z.literal(POLICY_API_VERSION),
    kind: z.enum(POLICY_KINDS),
    metadata: z.strictObject({ name: dnsLabelSchema, namespace: dnsLabelSchema.optional() }),
    spec: z.record(z.string(), z.unknown()),
  })
  .meta({
    title: 'PolicyDocument',
    description: `A Kubernetes-style policy document (apiVersion ${POLICY_API_VERSION}); spec holds "target" and the kind's fields.`,
  });
