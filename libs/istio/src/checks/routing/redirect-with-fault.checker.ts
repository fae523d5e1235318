import { ROUTE_FIELDS, type RouteAction } from '../../model/host-model.util.js';
import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

const UPSTREAM_ONLY = [
  ROUTE_FIELDS.delay,
  ROUTE_FIELDS.abort,
  ROUTE_FIELDS.mirror,
  ROUTE_FIELDS.retries,
  ROUTE_FIELDS.timeout,
];

export const redirectWithFaultChecker = defineChecker(
  {
    code: 'HM1014',
    severity: 'error',
    area: 'routing',
    title: 'Fault, mirror, retry or timeout on a redirect',
    meaning:
      'A redirect is answered by the proxy without calling the service, so faults, mirrors, retries and timeouts cannot apply to it (Istio rejects fault with redirect).',
  },
  ({ model }) => {
    const out: FindingDraft[] = [];
    for (const entry of model.routes.values()) {
      if (entry.scope.get<RouteAction>(ROUTE_FIELDS.route)?.value.type !== 'redirect') continue;
      for (const field of UPSTREAM_ONLY) {
        const claim = entry.scope.get(field);
        if (claim?.source.kind === 'policy')
          out.push({
            message: `this route answers with a redirect, so its ${field} never applies; drop it or target another match`,
            path: claim.source.path,
            policyIds: [claim.source.policy.id],
          });
      }
    }
    return out;
  },
);
