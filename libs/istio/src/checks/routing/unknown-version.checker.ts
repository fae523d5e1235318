import type { Claim, ClaimSource } from '../../model/claims.util.js';
import { ROUTE_FIELDS, type MirrorValue, type RouteAction } from '../../model/host-model.util.js';
import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

function draft(source: ClaimSource, version: string, host: string, known: string[]): FindingDraft {
  const message = `version "${version}" is not a version of ${host} (known: ${known.join(', ') || 'none'})`;
  return source.kind === 'policy'
    ? { message, path: source.path, policyIds: [source.policy.id] }
    : { message, path: source.path, rolloutId: source.rollout.rolloutId };
}

/**
 * Every version a route, mirror or DestinationRule setting names must be a subset of the host,
 * or Envoy answers 503 NC (no cluster) for that share of traffic.
 */
export const unknownVersionChecker = defineChecker(
  {
    code: 'HM1003',
    severity: 'error',
    area: 'routing',
    title: 'Unknown version',
    meaning:
      'A route, mirror, rollout or DestinationRule setting names a version the service does not have. Envoy would answer 503 (NC, no cluster) for that traffic.',
  },
  ({ model }) => {
    const known = model.service.versions.map((v) => v.name);
    const names = new Set(known);
    const out: FindingDraft[] = [];
    const seen = new Set<string>();
    const report = (source: ClaimSource, version: string) => {
      const key = `${source.kind === 'policy' ? source.policy.id : source.rollout.rolloutId}|${version}|${source.path.join('.')}`;
      if (names.has(version) || seen.has(key)) return;
      seen.add(key);
      out.push(draft(source, version, model.host, known));
    };
    const scopes = [model.serviceScope, ...[...model.routes.values()].map((r) => r.scope)];
    for (const scope of scopes) {
      const route = scope.get<RouteAction>(ROUTE_FIELDS.route);
      if (route?.value.type === 'weighted')
        for (const d of route.value.destinations)
          if (d.subset !== undefined && d.host === model.host)
            report({ ...route.source, path: d.path }, d.subset);
      const mirror = scope.get<MirrorValue>(ROUTE_FIELDS.mirror);
      if (mirror && mirror.value.subset !== undefined && mirror.value.host === model.host)
        report(mirror.source, mirror.value.subset);
    }
    for (const [version, scope] of model.destination.subsets) {
      const first = [...scope.claims.values()][0] as Claim | undefined;
      if (first) report({ ...first.source, path: ['spec', 'version'] }, version);
    }
    return out;
  },
);
