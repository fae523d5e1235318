import type { Claim } from '../../model/claims.util.js';
import { ROUTE_FIELDS, type MirrorValue, type RouteAction } from '../../model/host-model.util.js';
import { distributeWeights } from '../../model/weights.util.js';
import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

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
    for (const route of routes) {
      const mirror = route.fields.get(ROUTE_FIELDS.mirror) as Claim<MirrorValue> | undefined;
      const action = route.fields.get(ROUTE_FIELDS.route)?.value as RouteAction | undefined;
      if (!mirror) continue;
      const targets =
        action?.type === 'weighted'
          ? (() => {
              const w = distributeWeights(action.destinations.map((d) => d.weight));
              return action.destinations
                .filter((_, i) => w[i]! > 0)
                .map((d) => `${d.host}|${d.subset ?? ''}`);
            })()
          : action
            ? []
            : [`${model.host}|`];
      const mirrorKey = `${mirror.value.host}|${mirror.value.subset ?? ''}`;
      if (targets.length === 0 || !targets.every((t) => t === mirrorKey)) continue;
      const message = `${route.match ? 'a matched route' : 'the default route'} already sends all its traffic to ${mirror.value.subset ?? mirror.value.host}, the mirror target`;
      const source = mirror.source;
      out.push(
        source.kind === 'policy'
          ? { message, path: source.path, policyIds: [source.policy.id] }
          : { message, path: source.path, rolloutId: source.rollout.rolloutId },
      );
    }
    return dedupe(out);
  },
);

function dedupe(drafts: FindingDraft[]): FindingDraft[] {
  const seen = new Set<string>();
  return drafts.filter((d) => {
    const key = `${d.message}|${d.policyIds?.join()}|${d.rolloutId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
