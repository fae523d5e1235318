import type { Claim } from '../../model/claims.util.js';
import { ROUTE_FIELDS, type MirrorValue, type RouteAction } from '../../model/host-model.util.js';
import { sendsAllToMirror } from '../../model/resolve-routes.util.js';
import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

/**
 * Only a mirror set on the route itself is reported: a service-wide mirror is not inherited by
 * routes that already send everything to its target (see resolveRoutes).
 */
export const mirrorSameDestinationChecker = defineChecker(
  {
    code: 'HM1011',
    severity: 'error',
    area: 'routing',
    title: "Mirror to the route's own destination",
    meaning:
      'Every request of the route already goes to the mirror target, so the mirror only duplicates load on it. Mirror to another version or service.',
  },
  ({ model, routes }) => {
    const out: FindingDraft[] = [];
    const seen = new Set<string>();
    for (const route of routes) {
      const mirror = route.fields.get(ROUTE_FIELDS.mirror) as Claim<MirrorValue> | undefined;
      const action = route.fields.get(ROUTE_FIELDS.route)?.value as RouteAction | undefined;
      if (!mirror || !sendsAllToMirror(model.host, action, mirror.value)) continue;
      const message = `${route.match ? 'a matched route' : 'the default route'} already sends all its traffic to ${mirror.value.subset ?? mirror.value.host}, the mirror target`;
      const source = mirror.source;
      const key = `${message}|${source.kind === 'policy' ? source.policy.id : source.rollout.rolloutId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(
        source.kind === 'policy'
          ? { message, path: source.path, policyIds: [source.policy.id] }
          : { message, path: source.path, rolloutId: source.rollout.rolloutId },
      );
    }
    return out;
  },
);
