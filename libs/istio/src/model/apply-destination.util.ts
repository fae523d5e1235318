import type { ConsistentHashSpec, StoredPolicyOf } from '@heliomesh/policy';
import type { JsonPath } from '@heliomesh/util';
import { emitDuration } from './apply-routing.util.js';
import type { ClaimScope } from './claims.util.js';
import { policySource, subsetScope, type HostModel } from './host-model.util.js';

/**
 * DestinationRule fields are claimed leaf by leaf (`connectionPool.tcp.maxConnections`), so one
 * policy can limit connections and another tune outlier detection on the same host.
 */

const DURATION_LEAVES = new Set(['connectTimeout', 'idleTimeout', 'interval', 'baseEjectionTime']);

function claimLeaves(
  scope: ClaimScope,
  policy: StoredPolicyOf<'CircuitBreaker'>,
  prefix: string[],
  value: Record<string, unknown>,
): void {
  for (const [key, leaf] of Object.entries(value)) {
    if (leaf === undefined) continue;
    const path: JsonPath = ['spec', ...prefix, key];
    if (leaf !== null && typeof leaf === 'object') {
      claimLeaves(scope, policy, [...prefix, key], leaf as Record<string, unknown>);
      continue;
    }
    const emitted = DURATION_LEAVES.has(key) && typeof leaf === 'string' ? emitDuration(leaf) : leaf;
    scope.claim([...prefix, key].join('.'), emitted, policySource(policy, path));
  }
}

export function applyCircuitBreaker(model: HostModel, policy: StoredPolicyOf<'CircuitBreaker'>): void {
  const scope = subsetScope(model, policy.spec.version);
  const { connectionPool, outlierDetection } = policy.spec;
  if (connectionPool) claimLeaves(scope, policy, ['connectionPool'], connectionPool);
  if (outlierDetection) claimLeaves(scope, policy, ['outlierDetection'], outlierDetection);
}

/** The consistentHash block as Istio spells it. */
export function istioConsistentHash(hash: ConsistentHashSpec): Record<string, unknown> {
  const { maglevTableSize, httpCookie, ...key } = hash;
  return {
    ...key,
    ...(httpCookie
      ? {
          httpCookie: {
            name: httpCookie.name,
            ttl: emitDuration(httpCookie.ttl),
            ...(httpCookie.path ? { path: httpCookie.path } : {}),
          },
        }
      : {}),
    ...(maglevTableSize === undefined ? {} : { maglev: { tableSize: maglevTableSize } }),
  };
}

export function applyLoadBalancer(model: HostModel, policy: StoredPolicyOf<'LoadBalancer'>): void {
  const scope = subsetScope(model, policy.spec.version);
  const { simple, consistentHash, localityFailover } = policy.spec;
  // simple and consistentHash are one field in Istio (a oneof), so they are one claim here.
  if (simple !== undefined)
    scope.claim('loadBalancer.algorithm', { simple }, policySource(policy, ['spec', 'simple']));
  if (consistentHash)
    scope.claim(
      'loadBalancer.algorithm',
      { consistentHash: istioConsistentHash(consistentHash) },
      policySource(policy, ['spec', 'consistentHash']),
    );
  if (localityFailover)
    scope.claim(
      'loadBalancer.localityLbSetting',
      { enabled: true, failover: localityFailover.map((f) => ({ from: f.from, to: f.to })) },
      policySource(policy, ['spec', 'localityFailover']),
    );
}
