import { ROUTE_FIELDS, type RouteAction } from '../../model/host-model.util.js';
import { distributeWeights } from '../../model/weights.util.js';
import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

export const trafficToEmptyVersionChecker = defineChecker(
  {
    code: 'HM1005',
    severity: 'error',
    area: 'routing',
    title: 'Traffic sent to a version with no pods',
    meaning:
      'A route sends a share of traffic to a version whose labels match no running pod. Envoy would answer 503 (UH, no healthy upstream) for that share.',
  },
  ({ model, routes }) => {
    const empty = new Set(model.service.versions.filter((v) => v.pods <= 0).map((v) => v.name));
    if (empty.size === 0) return [];
    const out: FindingDraft[] = [];
    const seen = new Set<string>();
    for (const route of routes) {
      const claim = route.fields.get(ROUTE_FIELDS.route);
      const action = claim?.value as RouteAction | undefined;
      if (!claim || action?.type !== 'weighted') continue;
      const weights = distributeWeights(action.destinations.map((d) => d.weight));
      action.destinations.forEach((d, i) => {
        if (d.subset === undefined || !empty.has(d.subset) || weights[i] === 0 || d.host !== model.host)
          return;
        const key = `${d.subset}|${d.path.join('.')}`;
        if (seen.has(key)) return;
        seen.add(key);
        const message = `${weights[i]}% of ${route.match ? 'a matched route' : 'the default route'} goes to version ${d.subset}, which has no pods`;
        out.push(
          claim.source.kind === 'policy'
            ? { message, path: d.path, policyIds: [claim.source.policy.id] }
            : { message, path: d.path, rolloutId: claim.source.rollout.rolloutId },
        );
      });
    }
    return out;
  },
);
