import { DestinationRule, VirtualService } from '@kubernetes-models/istio/networking.istio.io/v1';
import { EnvoyFilter } from '@kubernetes-models/istio/networking.istio.io/v1alpha3';
import { AuthorizationPolicy } from '@kubernetes-models/istio/security.istio.io/v1';
import {
  resolveTopology,
  sumSamples,
  type PromSample,
  type ResolvedTopology,
  type TopologyInput,
} from './mesh-sim.js';

type Services = TopologyInput['services'];
type Clients = NonNullable<TopologyInput['clients']>;

/** A small topology in its own namespace: fixed 5 ms app latency unless a version says otherwise. */
export function topology(namespace: string, services: Services, clients: Clients): ResolvedTopology {
  return resolveTopology({
    apiVersion: 'mesh-sim.heliomesh.io/v1alpha1',
    kind: 'Topology',
    name: `scenario-${namespace}`,
    namespace,
    defaults: { port: 9080, latency: 5, propagateHeaders: ['x-user'] },
    services,
    clients,
  });
}

export function subsetsRule(
  namespace: string,
  host: string,
  versions: string[],
  trafficPolicy?: object,
): DestinationRule {
  return new DestinationRule({
    metadata: { name: `${host}-subsets`, namespace },
    spec: {
      host,
      ...(trafficPolicy ? { trafficPolicy } : {}),
      subsets: versions.map((v) => ({ name: v, labels: { version: v } })),
    },
  });
}

export function virtualService(
  namespace: string,
  name: string,
  host: string,
  http: NonNullable<VirtualService['spec']>['http'],
): VirtualService {
  return new VirtualService({ metadata: { name, namespace }, spec: { hosts: [host], http } });
}

export function authorizationPolicy(
  namespace: string,
  name: string,
  spec: NonNullable<AuthorizationPolicy['spec']>,
): AuthorizationPolicy {
  return new AuthorizationPolicy({ metadata: { name, namespace }, spec });
}

/** istio-semantics §4.1: the canonical local rate limit EnvoyFilter from Istio's rate-limit task. */
export function localRateLimit(
  namespace: string,
  app: string,
  maxTokens: number,
  tokensPerFill: number,
  fillInterval: string,
): EnvoyFilter {
  return new EnvoyFilter({
    metadata: { name: `${app}-local-ratelimit`, namespace },
    spec: {
      workloadSelector: { labels: { app } },
      configPatches: [
        {
          applyTo: 'HTTP_FILTER',
          match: {
            context: 'SIDECAR_INBOUND',
            listener: { filterChain: { filter: { name: 'envoy.filters.network.http_connection_manager' } } },
          },
          patch: {
            operation: 'INSERT_BEFORE',
            value: {
              name: 'envoy.filters.http.local_ratelimit',
              typed_config: {
                '@type': 'type.googleapis.com/udpa.type.v1.TypedStruct',
                type_url:
                  'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit',
                value: {
                  stat_prefix: 'http_local_rate_limiter',
                  token_bucket: {
                    max_tokens: maxTokens,
                    tokens_per_fill: tokensPerFill,
                    fill_interval: fillInterval,
                  },
                  filter_enabled: {
                    runtime_key: 'local_rate_limit_enabled',
                    default_value: { numerator: 100, denominator: 'HUNDRED' },
                  },
                  filter_enforced: {
                    runtime_key: 'local_rate_limit_enforced',
                    default_value: { numerator: 100, denominator: 'HUNDRED' },
                  },
                  response_headers_to_add: [
                    { append: false, header: { key: 'x-local-rate-limit', value: 'true' } },
                  ],
                },
              },
            },
          },
        },
      ],
    },
  });
}

export function requests(samples: readonly PromSample[], labels: Record<string, string>): number {
  return sumSamples(samples, 'istio_requests_total', labels);
}

/** Count of samples of a histogram at or below `le`. */
export function bucket(
  samples: readonly PromSample[],
  metric: string,
  le: string,
  labels: Record<string, string>,
): number {
  return sumSamples(samples, `${metric}_bucket`, { ...labels, le });
}
