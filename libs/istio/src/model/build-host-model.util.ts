import type { StoredPolicy } from '@heliomesh/policy';
import { assertUnreachable } from '@heliomesh/util';
import type { HostUnit } from '../snapshot/snapshot-index.util.js';
import { applyCircuitBreaker, applyLoadBalancer } from './apply-destination.util.js';
import { applyRollout } from './apply-rollout.util.js';
import {
  applyFaultInjection,
  applyFullLink,
  applyHeaderPolicy,
  applyRequestRouting,
  applyRetry,
  applyTimeout,
  applyTrafficMirror,
  applyTrafficSplit,
} from './apply-routing.util.js';
import { createHostModel, type HostModel } from './host-model.util.js';

function applyPolicy(model: HostModel, policy: StoredPolicy): void {
  switch (policy.kind) {
    case 'TrafficSplit':
      return applyTrafficSplit(model, policy);
    case 'RequestRouting':
      return applyRequestRouting(model, policy);
    case 'FaultInjection':
      return applyFaultInjection(model, policy);
    case 'TrafficMirror':
      return applyTrafficMirror(model, policy);
    case 'Timeout':
      return applyTimeout(model, policy);
    case 'Retry':
      return applyRetry(model, policy);
    case 'HeaderPolicy':
      return applyHeaderPolicy(model, policy);
    case 'CircuitBreaker':
      return applyCircuitBreaker(model, policy);
    case 'LoadBalancer':
      return applyLoadBalancer(model, policy);
    case 'RateLimit':
    case 'AccessControl':
    case 'Plugin':
      model.edge.push(policy);
      return;
    default:
      return assertUnreachable(policy, 'policy kind');
  }
}

/**
 * The host's desired state. The rollout is applied first so that policy claims on its fields are
 * recorded as overridden; policies follow in id order, so every collision is reported the same
 * way whatever the input order.
 */
export function buildHostModel(unit: HostUnit, policies: readonly StoredPolicy[]): HostModel {
  const model = createHostModel(unit.host, unit.service);
  const rollout = unit.rollouts[0];
  if (rollout) applyRollout(model, rollout);
  for (const policy of policies) applyPolicy(model, policy);
  for (const ref of unit.fullLinks) applyFullLink(model, ref);
  return model;
}
