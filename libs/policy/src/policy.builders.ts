import type { PolicyTarget } from './schemas/common.schema.js';
import type { PolicyKind, PolicySpecs, StoredPolicyOf } from './schemas/policy.schema.js';

/**
 * Object builders for tests (here and in other libs): each returns a valid stored policy with
 * readable defaults, so a table test states only the field it is about. Ids are derived from the
 * name, so the same call always gives the same policy.
 */

export interface BuildOptions {
  id?: string;
  revision?: number;
  name?: string;
  namespace?: string;
  service?: string;
  target?: Partial<PolicyTarget>;
}

const KIND_SLUG: Record<PolicyKind, string> = {
  TrafficSplit: 'split',
  RequestRouting: 'routing',
  FaultInjection: 'fault',
  TrafficMirror: 'mirror',
  Timeout: 'timeout',
  Retry: 'retry',
  CircuitBreaker: 'breaker',
  LoadBalancer: 'lb',
  RateLimit: 'ratelimit',
  AccessControl: 'acl',
  Plugin: 'plugin',
  HeaderPolicy: 'headers',
};

function policy<K extends PolicyKind>(
  kind: K,
  spec: PolicySpecs[K],
  opts: BuildOptions = {},
): StoredPolicyOf<K> {
  const service = opts.target?.service ?? opts.service ?? 'reviews';
  const namespace = opts.target?.namespace ?? opts.namespace ?? 'bookinfo';
  const name = opts.name ?? `${service}-${KIND_SLUG[kind]}`;
  return {
    id: opts.id ?? `pol-${name}`,
    revision: opts.revision ?? 1,
    name,
    kind,
    target: { ...opts.target, namespace, service },
    spec,
  } as StoredPolicyOf<K>;
}

export const policyBuilders = {
  policy,
  trafficSplit: (
    weights: Record<string, number>,
    opts?: BuildOptions,
    extra: Partial<PolicySpecs['TrafficSplit']> = {},
  ) =>
    policy(
      'TrafficSplit',
      { weights: Object.entries(weights).map(([version, weight]) => ({ version, weight })), ...extra },
      opts,
    ),
  requestRouting: (spec: PolicySpecs['RequestRouting'], opts?: BuildOptions) =>
    policy('RequestRouting', spec, opts),
  headerRoute: (header: string, value: string, version: string, opts?: BuildOptions) =>
    policy(
      'RequestRouting',
      { rules: [{ match: { headers: { [header]: { exact: value } } }, version }] },
      opts,
    ),
  abort: (httpStatus: number, percentage: number | undefined, opts?: BuildOptions) =>
    policy(
      'FaultInjection',
      { abort: { httpStatus, ...(percentage === undefined ? {} : { percentage }) } },
      opts,
    ),
  delay: (fixedDelay: string, percentage: number | undefined, opts?: BuildOptions) =>
    policy(
      'FaultInjection',
      { delay: { fixedDelay, ...(percentage === undefined ? {} : { percentage }) } },
      opts,
    ),
  fault: (spec: PolicySpecs['FaultInjection'], opts?: BuildOptions) => policy('FaultInjection', spec, opts),
  mirror: (
    destination: PolicySpecs['TrafficMirror']['destination'],
    percentage: number | undefined,
    opts?: BuildOptions,
  ) => policy('TrafficMirror', { destination, ...(percentage === undefined ? {} : { percentage }) }, opts),
  timeout: (timeout: string, opts?: BuildOptions) => policy('Timeout', { timeout }, opts),
  retry: (spec: PolicySpecs['Retry'], opts?: BuildOptions) => policy('Retry', spec, opts),
  circuitBreaker: (spec: PolicySpecs['CircuitBreaker'], opts?: BuildOptions) =>
    policy('CircuitBreaker', spec, opts),
  loadBalancer: (spec: PolicySpecs['LoadBalancer'], opts?: BuildOptions) =>
    policy('LoadBalancer', spec, opts),
  rateLimit: (spec: PolicySpecs['RateLimit'], opts?: BuildOptions) => policy('RateLimit', spec, opts),
  accessControl: (spec: PolicySpecs['AccessControl'], opts?: BuildOptions) =>
    policy('AccessControl', spec, opts),
  plugin: (spec: PolicySpecs['Plugin'], opts?: BuildOptions) => policy('Plugin', spec, opts),
  headers: (spec: PolicySpecs['HeaderPolicy'], opts?: BuildOptions) => policy('HeaderPolicy', spec, opts),
};
