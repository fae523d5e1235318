import type { JsonPath } from '@heliomesh/util';
import type { RolloutRoute } from '../snapshot/snapshot.types.js';
import type { ClaimSource } from './claims.util.js';
import { routeMatchOf } from './match.util.js';
import {
  routeScope,
  ROUTE_FIELDS,
  type HostModel,
  type MirrorValue,
  type RouteAction,
} from './host-model.util.js';

function rolloutSource(rollout: RolloutRoute, path: JsonPath): ClaimSource {
  return { kind: 'rollout', rollout, path };
}

/**
 * A running rollout writes the default route's weights (stable vs canary), an optional A/B match
 * that goes wholly to the canary, and an optional mirror to the canary. Its claims beat policy
 * claims on the same fields (see ClaimScope), which `explain` and an info finding report.
 */
export function applyRollout(model: HostModel, rollout: RolloutRoute): void {
  model.rollout = rollout;
  const weightSource = rolloutSource(rollout, ['canaryWeight']);
  const weighted: RouteAction = {
    type: 'weighted',
    destinations: [
      { host: model.host, subset: rollout.stable, weight: 100 - rollout.canaryWeight, path: ['stable'] },
      { host: model.host, subset: rollout.canary, weight: rollout.canaryWeight, path: ['canaryWeight'] },
    ],
    ...(rollout.sticky?.cookie ? { sticky: rollout.sticky } : {}),
  };
  model.serviceScope.claim(ROUTE_FIELDS.route, weighted, weightSource);
  if (rollout.match) {
    const match = routeMatchOf({ namespace: rollout.namespace, service: rollout.service }, rollout.match);
    if (match) {
      const source = rolloutSource(rollout, ['match']);
      const toCanary: RouteAction = {
        type: 'weighted',
        destinations: [{ host: model.host, subset: rollout.canary, weight: 100, path: ['canary'] }],
      };
      routeScope(model, match, source).claim(ROUTE_FIELDS.route, toCanary, source);
    }
  }
  if (rollout.mirrorPercent !== undefined) {
    const mirror: MirrorValue = {
      host: model.host,
      subset: rollout.canary,
      percentage: rollout.mirrorPercent,
    };
    model.serviceScope.claim(ROUTE_FIELDS.mirror, mirror, rolloutSource(rollout, ['mirrorPercent']));
  }
  if (rollout.sticky?.header !== undefined)
    model.destination.top.claim(
      'loadBalancer.algorithm',
      { consistentHash: { httpHeaderName: rollout.sticky.header } },
      rolloutSource(rollout, ['sticky', 'header']),
    );
}
