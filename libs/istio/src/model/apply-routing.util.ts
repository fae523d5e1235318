import {
  formatDuration,
  parseDuration,
  type HeaderOperations,
  type PolicyBodyOf,
  type StoredPolicyOf,
} from '@heliomesh/policy';
import { hostOf, type FullLinkRef } from '../snapshot/snapshot-index.util.js';
import type { ClaimScope } from './claims.util.js';
import {
  headerField,
  policySource,
  routeScope,
  ROUTE_FIELDS,
  scopeFor,
  type AbortValue,
  type DelayValue,
  type HostModel,
  type MirrorValue,
  type RetriesValue,
  type RouteAction,
} from './host-model.util.js';

/**
 * How each routing kind writes into the host model. Every setting is a claim on one field of
 * one scope, so two policies writing the same field of the same route are caught in one place.
 */

/** Durations as the compiler emits them: one spelling per value (see formatDuration). */
export function emitDuration(text: string): string {
  const ms = parseDuration(text);
  return ms !== undefined && Number.isInteger(ms) ? formatDuration(ms) : text;
}

function pinnedTo(model: HostModel, version: string, path: (string | number)[]): RouteAction {
  return { type: 'weighted', destinations: [{ host: model.host, subset: version, weight: 100, path }] };
}

export function applyTrafficSplit(model: HostModel, policy: StoredPolicyOf<'TrafficSplit'>): void {
  const source = policySource(policy, ['spec', 'weights']);
  const action: RouteAction = {
    type: 'weighted',
    destinations: policy.spec.weights.map((w, i) => ({
      host: model.host,
      subset: w.version,
      weight: w.weight,
      path: ['spec', 'weights', i, 'weight'],
    })),
    ...(policy.spec.sticky?.cookie ? { sticky: policy.spec.sticky } : {}),
  };
  scopeFor(model, policy.target, source).claim(ROUTE_FIELDS.route, action, source);
  const header = policy.spec.sticky?.header;
  if (header !== undefined)
    model.destination.top.claim(
      'loadBalancer.algorithm',
      { consistentHash: { httpHeaderName: header } },
      policySource(policy, ['spec', 'sticky', 'header']),
    );
}

export function applyRequestRouting(model: HostModel, policy: StoredPolicyOf<'RequestRouting'>): void {
  const tag = policy.spec.fullLink?.header;
  policy.spec.rules.forEach((rule, i) => {
    const source = policySource(policy, ['spec', 'rules', i]);
    const scope = scopeFor(model, policy.target, source, rule.match);
    const action: RouteAction = rule.redirect
      ? { type: 'redirect', redirect: rule.redirect }
      : pinnedTo(model, rule.version!, ['spec', 'rules', i, 'version']);
    scope.claim(ROUTE_FIELDS.route, action, source);
    // A redirect is answered by the proxy, so there is no upstream call to carry the tag.
    if (tag && !rule.redirect)
      scope.claim(
        headerField('request', 'set', tag.name.toLowerCase()),
        tag.value,
        policySource(policy, ['spec', 'fullLink', 'header']),
      );
  });
}

/** A downstream hop of a full-link release: tagged requests go to the hop's gray version. */
export function applyFullLink(model: HostModel, ref: FullLinkRef): void {
  const tag = ref.policy.kind === 'RequestRouting' ? ref.policy.spec.fullLink?.header : undefined;
  if (!tag) return;
  const path = ['spec', 'fullLink', 'services', ref.entry, 'version'];
  const source = policySource(ref.policy, path);
  routeScope(model, { headers: { [tag.name.toLowerCase()]: { exact: tag.value } } }, source).claim(
    ROUTE_FIELDS.route,
    pinnedTo(model, ref.version, path),
    source,
  );
}

export function applyFaultInjection(model: HostModel, policy: StoredPolicyOf<'FaultInjection'>): void {
  const scope = scopeFor(model, policy.target, policySource(policy, ['spec']));
  const { delay, abort, version } = policy.spec;
  if (delay) {
    const value: DelayValue = { fixedDelay: emitDuration(delay.fixedDelay), percentage: delay.percentage };
    scope.claim(ROUTE_FIELDS.delay, value, policySource(policy, ['spec', 'delay']));
  }
  if (abort) {
    const value: AbortValue = { httpStatus: abort.httpStatus, percentage: abort.percentage };
    scope.claim(ROUTE_FIELDS.abort, value, policySource(policy, ['spec', 'abort']));
  }
  if (version !== undefined)
    scope.claim(
      ROUTE_FIELDS.route,
      pinnedTo(model, version, ['spec', 'version']),
      policySource(policy, ['spec', 'version']),
    );
}

export function applyTrafficMirror(model: HostModel, policy: StoredPolicyOf<'TrafficMirror'>): void {
  const source = policySource(policy, ['spec', 'destination']);
  const { destination, percentage } = policy.spec;
  const value: MirrorValue = {
    host: destination.service
      ? hostOf(
          destination.service.namespace ?? policy.target.namespace,
          destination.service.name,
          domainOf(model.host),
        )
      : model.host,
    subset: destination.version,
    port: destination.port,
    percentage,
  };
  scopeFor(model, policy.target, source).claim(ROUTE_FIELDS.mirror, value, source);
}

/** The domain suffix of a host `<svc>.<ns>.svc.<suffix>`. */
function domainOf(host: string): string {
  return host.split('.').slice(3).join('.');
}

export function applyTimeout(model: HostModel, policy: StoredPolicyOf<'Timeout'>): void {
  const source = policySource(policy, ['spec', 'timeout']);
  scopeFor(model, policy.target, source).claim(
    ROUTE_FIELDS.timeout,
    emitDuration(policy.spec.timeout),
    source,
  );
}

export function applyRetry(model: HostModel, policy: StoredPolicyOf<'Retry'>): void {
  const source = policySource(policy, ['spec']);
  const { attempts, perTryTimeout, retryOn, retryRemoteLocalities } = policy.spec;
  const value: RetriesValue = {
    attempts,
    perTryTimeout: perTryTimeout === undefined ? undefined : emitDuration(perTryTimeout),
    retryOn: retryOn?.join(','),
    retryRemoteLocalities,
  };
  scopeFor(model, policy.target, source).claim(ROUTE_FIELDS.retries, value, source);
}

export function applyHeaderPolicy(model: HostModel, policy: StoredPolicyOf<'HeaderPolicy'>): void {
  const scope = scopeFor(model, policy.target, policySource(policy, ['spec']));
  for (const direction of ['request', 'response'] as const) {
    const ops = policy.spec[direction];
    if (ops) claimHeaderOps(scope, policy, direction, ops);
  }
}

function claimHeaderOps(
  scope: ClaimScope,
  policy: PolicyBodyOf<'HeaderPolicy'> & { id: string; revision: number },
  direction: 'request' | 'response',
  ops: HeaderOperations,
): void {
  for (const op of ['set', 'add'] as const)
    for (const [name, value] of Object.entries(ops[op] ?? {}))
      scope.claim(
        headerField(direction, op, name.toLowerCase()),
        value,
        policySource(policy, ['spec', direction, op, name]),
      );
  (ops.remove ?? []).forEach((name, i) =>
    scope.claim(
      headerField(direction, 'remove', name.toLowerCase()),
      true,
      policySource(policy, ['spec', direction, 'remove', i]),
    ),
  );
}
