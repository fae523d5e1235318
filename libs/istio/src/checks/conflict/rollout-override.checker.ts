import { sourceLabel } from '../../model/claims.util.js';
import { defineChecker } from '../check.types.js';
import { collisionDraft } from './conflict.util.js';

export const rolloutOverrideChecker = defineChecker(
  {
    code: 'HM5005',
    severity: 'info',
    area: 'conflict',
    title: 'A rollout overrides a policy',
    meaning:
      "While a rollout runs it is the only writer of the service's default-route weights (and of the mirror and sticky settings it uses). The policy it overrides applies again when the rollout ends.",
  },
  ({ model }) =>
    model.collisions
      .filter((c) => c.overridden)
      .map((c) =>
        collisionDraft(
          c,
          `${sourceLabel(c.kept)} overrides ${c.field} of ${sourceLabel(c.other)} while it runs`,
        ),
      ),
);
