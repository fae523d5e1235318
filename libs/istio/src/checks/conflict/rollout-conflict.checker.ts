import { defineChecker } from '../check.types.js';

export const rolloutConflictChecker = defineChecker(
  {
    code: 'HM5004',
    severity: 'error',
    area: 'conflict',
    title: 'Two rollouts on one service',
    meaning: "Only one rollout can drive a service's weights at a time.",
  },
  ({ unit }) =>
    unit.rollouts.slice(1).map((r) => ({
      message: `rollout ${r.rolloutId} and rollout ${unit.rollouts[0]!.rolloutId} both drive ${unit.host}; finish or abort one`,
      path: [],
      rolloutId: r.rolloutId,
    })),
);
