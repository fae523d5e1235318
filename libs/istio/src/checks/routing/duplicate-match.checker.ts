import { defineChecker } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

/** Collisions inside one policy (the conflict checkers report those between two). */
export const duplicateMatchChecker = defineChecker(
  {
    code: 'HM1018',
    severity: 'error',
    area: 'routing',
    title: 'Same match twice in one policy',
    meaning:
      'One policy sets the same field of the same route twice, e.g. two RequestRouting rules with identical matches; the second could never apply.',
  },
  ({ model }) => {
    const out: FindingDraft[] = [];
    for (const c of model.collisions)
      if (c.kept.kind === 'policy' && c.other.kind === 'policy' && c.kept.policy.id === c.other.policy.id)
        out.push({
          message: `${c.scope}: ${c.field} is set twice (at ${JSON.stringify(c.kept.path)} and ${JSON.stringify(c.other.path)}); remove the duplicate`,
          path: c.other.path,
          policyIds: [c.kept.policy.id],
        });
    return out;
  },
);
