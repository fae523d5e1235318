import type { RouteMatch, StoredPolicyOf, StringMatch } from '@heliomesh/policy';
import type { ClaimSource } from '../model/claims.util.js';
import { routeMatchOf } from '../model/match.util.js';
import type { MeshService } from '../snapshot/snapshot.types.js';
import type { EnvoyFilter } from './istio-objects.types.js';
import {
  explainFrom,
  explainFromService,
  generatedName,
  objectMeta,
  sortKeysDeep,
} from './object-meta.util.js';
import type { EmitResult } from './virtual-service.compiler.js';
import { findPort, workloadPort, workloadSelector } from './workload.util.js';

const FILTER_NAME = 'envoy.filters.http.local_ratelimit';
const TYPED_STRUCT = 'type.googleapis.com/udpa.type.v1.TypedStruct';
const LOCAL_RATE_LIMIT =
  'type.googleapis.com/envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit';
const HCM = 'envoy.filters.network.http_connection_manager';
const STAT_PREFIX = 'http_local_rate_limiter';
/** A bucket no real traffic empties, for requests outside a per-route limit's match. */
const UNLIMITED = { max_tokens: 1_000_000_000, tokens_per_fill: 1_000_000_000, fill_interval: '1s' };

const percent100 = (runtimeKey: string) => ({
  runtime_key: runtimeKey,
  default_value: { numerator: 100, denominator: 'HUNDRED' },
});

function tokenBucket(policy: StoredPolicyOf<'RateLimit'>) {
  const { requests, unit, burst } = policy.spec;
  return {
    max_tokens: burst ?? requests,
    tokens_per_fill: requests,
    fill_interval: unit === 'second' ? '1s' : '60s',
  };
}

function limiter(bucket: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    stat_prefix: STAT_PREFIX,
    token_bucket: bucket,
    filter_enabled: percent100('local_rate_limit_enabled'),
    filter_enforced: percent100('local_rate_limit_enforced'),
    response_headers_to_add: [{ append: false, header: { key: 'x-local-rate-limit', value: 'true' } }],
    ...extra,
  };
}

const typed = (value: Record<string, unknown>) => ({
  '@type': TYPED_STRUCT,
  type_url: LOCAL_RATE_LIMIT,
  value,
});

/** Envoy route-level header matchers for the request conditions a local limit can test. */
export function headerMatchers(match: RouteMatch): Array<Record<string, unknown>> {
  const stringMatch = (m: StringMatch) =>
    m.exact !== undefined
      ? { exact: m.exact }
      : m.prefix !== undefined
        ? { prefix: m.prefix }
        : { safe_regex: { regex: m.regex } };
  const out: Array<Record<string, unknown>> = [];
  if (match.uri) out.push({ name: ':path', string_match: stringMatch(match.uri) });
  if (match.method) out.push({ name: ':method', string_match: stringMatch(match.method) });
  for (const name of Object.keys(match.headers ?? {}).sort())
    out.push({ name: name.toLowerCase(), string_match: stringMatch(match.headers![name]!) });
  return out;
}

type Patch = EnvoyFilter['spec']['configPatches'][number];

/** Patch 1: the local_ratelimit filter at the head of the inbound HTTP filter chain. */
function filterPatch(
  policy: StoredPolicyOf<'RateLimit'>,
  port: number | undefined,
  perRoute: boolean,
): Patch {
  const listener: Record<string, unknown> = { filterChain: { filter: { name: HCM } } };
  if (policy.target.port !== undefined && port !== undefined) listener['portNumber'] = port;
  return {
    applyTo: 'HTTP_FILTER',
    match: { context: 'SIDECAR_INBOUND', listener },
    patch: {
      operation: 'INSERT_BEFORE',
      value: {
        name: FILTER_NAME,
        typed_config: typed(perRoute ? { stat_prefix: STAT_PREFIX } : limiter(tokenBucket(policy))),
      },
    },
  };
}

/**
 * Patch 2 of a per-route limit: a descriptor built from the match's path, method and headers
 * holds the limited bucket; other requests draw from an unlimited default bucket.
 */
function routePatch(policy: StoredPolicyOf<'RateLimit'>, port: number | undefined, match: RouteMatch): Patch {
  const vhost: Record<string, unknown> = { route: { action: 'ANY' } };
  if (port !== undefined) vhost['name'] = `inbound|http|${port}`;
  const descriptor = policy.name;
  return {
    applyTo: 'HTTP_ROUTE',
    match: { context: 'SIDECAR_INBOUND', routeConfiguration: { vhost } },
    patch: {
      operation: 'MERGE',
      value: {
        route: {
          rate_limits: [
            {
              actions: [
                { header_value_match: { descriptor_value: descriptor, headers: headerMatchers(match) } },
              ],
            },
          ],
        },
        typed_per_filter_config: {
          [FILTER_NAME]: typed(
            limiter(UNLIMITED, {
              descriptors: [
                { entries: [{ key: 'header_match', value: descriptor }], token_bucket: tokenBucket(policy) },
              ],
              always_consume_default_token_bucket: false,
            }),
          ),
        },
      },
    },
  };
}

/**
 * One EnvoyFilter per RateLimit, in the canonical local-rate-limit shape (Istio task
 * "Enabling Rate Limits using Envoy", semantics spec 4.1): the filter at the head of the inbound
 * chain, plus a per-route config when the limit has a route match.
 */
export function compileEnvoyFilter(
  policy: StoredPolicyOf<'RateLimit'>,
  service: MeshService,
  tenant: string,
): EmitResult<EnvoyFilter> {
  const ref = {
    kind: 'EnvoyFilter' as const,
    name: generatedName(policy.name),
    namespace: service.namespace,
  };
  const source: ClaimSource = { kind: 'policy', policy, path: ['spec'] };
  const servicePort =
    findPort(service, policy.target.port) ?? (service.ports.length === 1 ? service.ports[0] : undefined);
  const port = servicePort ? workloadPort(servicePort) : undefined;
  const match = policy.target.match ? routeMatchOf({ ...policy.target, port: undefined }) : undefined;
  const configPatches = match
    ? [filterPatch(policy, port, true), routePatch(policy, port, match)]
    : [filterPatch(policy, port, false)];
  const object: EnvoyFilter = {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'EnvoyFilter',
    metadata: objectMeta(ref.name, service.namespace, tenant, service.name, [source]),
    spec: sortKeysDeep({ workloadSelector: { labels: workloadSelector(service) }, configPatches }),
  };
  return {
    object,
    explain: [
      explainFromService(
        ref,
        ['spec', 'workloadSelector'],
        `pods of service ${service.namespace}/${service.name}`,
      ),
      ...configPatches.map((_, i) => explainFrom(ref, ['spec', 'configPatches', i], source)),
    ],
  };
}
