import type { StoredPolicy } from '@heliomesh/policy';
import { assertUnreachable, type JsonPath } from '@heliomesh/util';
import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

interface VersionRef {
  version: string;
  path: JsonPath;
}

/** Every version a policy names on its own target service. */
function versionRefs(p: StoredPolicy): VersionRef[] {
  switch (p.kind) {
    case 'TrafficSplit':
      return p.spec.weights.map((w, i) => ({ version: w.version, path: ['spec', 'weights', i, 'version'] }));
    case 'RequestRouting':
      return p.spec.rules.flatMap((r, i) =>
        r.version === undefined ? [] : [{ version: r.version, path: ['spec', 'rules', i, 'version'] }],
      );
    case 'FaultInjection':
    case 'CircuitBreaker':
    case 'LoadBalancer':
      return p.spec.version === undefined ? [] : [{ version: p.spec.version, path: ['spec', 'version'] }];
    case 'TrafficMirror': {
      const { service, version } = p.spec.destination;
      const sameService =
        !service ||
        (service.name === p.target.service &&
          (service.namespace ?? p.target.namespace) === p.target.namespace);
      return version !== undefined && sameService
        ? [{ version, path: ['spec', 'destination', 'version'] }]
        : [];
    }
    case 'Timeout':
    case 'Retry':
    case 'RateLimit':
    case 'AccessControl':
    case 'Plugin':
    case 'HeaderPolicy':
      return [];
    default:
      return assertUnreachable(p, 'policy kind');
  }
}

/**
 * Scans the inputs rather than the merged model, so a policy a rollout overrides for now is still
 * checked: it applies again when the rollout ends.
 */
export const unknownVersionChecker = defineChecker(
  {
    code: 'HM1003',
    severity: 'error',
    area: 'routing',
    title: 'Unknown version',
    meaning:
      'A policy, rollout or full-link hop names a version the service does not have. Envoy would answer 503 (NC, no cluster) for traffic routed to it.',
  },
  ({ unit, policies }) => {
    const known = unit.service.versions.map((v) => v.name);
    const names = new Set(known);
    const message = (version: string) =>
      `version "${version}" is not a version of ${unit.host} (known: ${known.join(', ') || 'none'})`;
    const out: FindingDraft[] = [];
    for (const p of policies)
      for (const ref of versionRefs(p))
        if (!names.has(ref.version))
          out.push({ message: message(ref.version), path: ref.path, policyIds: [p.id] });
    for (const hop of unit.fullLinks)
      if (!names.has(hop.version))
        out.push({
          message: message(hop.version),
          path: ['spec', 'fullLink', 'services', hop.entry, 'version'],
          policyIds: [hop.policy.id],
        });
    for (const r of unit.rollouts)
      for (const field of ['stable', 'canary'] as const)
        if (!names.has(r[field]))
          out.push({ message: message(r[field]), path: [field], rolloutId: r.rolloutId });
    return out;
  },
);
