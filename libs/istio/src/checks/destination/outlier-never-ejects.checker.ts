import type { Claim, ClaimSource } from '../../model/claims.util.js';
import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

/** Envoy ejects only while 100·(ejected+1)/hosts ≤ maxEjectionPercent (default 10). */
export function canEverEject(pods: number, maxEjectionPercent = 10): boolean {
  return pods > 0 && 100 / pods <= maxEjectionPercent;
}

const isOutlier = (field: string) => field.startsWith('outlierDetection.');

function firstOutlierSource(claims: Map<string, Claim>): ClaimSource | undefined {
  for (const [field, claim] of claims) if (isOutlier(field)) return claim.source;
  return undefined;
}

/**
 * Each version is its own Envoy cluster, so the check runs per version with the settings that
 * apply to it: the version's own outlier fields over the service-wide ones (as the compiler
 * merges them into the subset).
 */
export const outlierNeverEjectsChecker = defineChecker(
  {
    code: 'HM2004',
    severity: 'warning',
    area: 'destination',
    title: 'Outlier detection can never eject',
    meaning:
      'Envoy ejects a pod only if 100·(ejected+1)/pods ≤ maxEjectionPercent. At the default 10%, a version with fewer than 10 pods never has a pod ejected; raise maxEjectionPercent (e.g. 100).',
  },
  ({ model }) => {
    const top = model.destination.top.claims;
    const out: FindingDraft[] = [];
    if (
      !firstOutlierSource(top) &&
      ![...model.destination.subsets.values()].some((s) => firstOutlierSource(s.claims))
    )
      return out;
    const none = new Map<string, Claim>();
    for (const version of model.service.versions) {
      const own = model.destination.subsets.get(version.name)?.claims ?? none;
      const source = firstOutlierSource(own) ?? firstOutlierSource(top);
      if (!source || version.pods <= 0) continue;
      const max = (
        own.get('outlierDetection.maxEjectionPercent') ?? top.get('outlierDetection.maxEjectionPercent')
      )?.value;
      const percent = typeof max === 'number' ? max : 10;
      if (canEverEject(version.pods, percent)) continue;
      const message = `version ${version.name} has ${version.pods} pod(s): at maxEjectionPercent ${percent} no pod can ever be ejected; set maxEjectionPercent to at least ${Math.ceil(100 / version.pods)}`;
      out.push(
        source.kind === 'policy'
          ? {
              message,
              path: ['spec', 'outlierDetection', 'maxEjectionPercent'],
              policyIds: [source.policy.id],
            }
          : { message, rolloutId: source.rollout.rolloutId },
      );
    }
    return out;
  },
);
