import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

export const rolloutRouteChecker = defineChecker(
  {
    code: 'HM1025',
    severity: 'error',
    area: 'routing',
    title: 'Invalid rollout route',
    meaning:
      "A rollout's canary weight must be a whole number from 0 to 100, and its stable and canary versions must differ.",
  },
  ({ unit }) => {
    const out: FindingDraft[] = [];
    for (const r of unit.rollouts) {
      const w = r.canaryWeight;
      if (!Number.isInteger(w) || w < 0 || w > 100)
        out.push({
          message: `canaryWeight ${w} is not a whole number from 0 to 100`,
          path: ['canaryWeight'],
          rolloutId: r.rolloutId,
        });
      if (r.stable === r.canary)
        out.push({
          message: `stable and canary are both ${r.stable}`,
          path: ['canary'],
          rolloutId: r.rolloutId,
        });
    }
    return out;
  },
);
