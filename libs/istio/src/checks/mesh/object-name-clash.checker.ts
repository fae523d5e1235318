import { defineChecker } from '../check.types.js';

export const objectNameClashChecker = defineChecker(
  {
    code: 'HM0009',
    severity: 'error',
    area: 'mesh',
    title: 'Two policies would generate the same object',
    meaning:
      'Two AccessControl, RateLimit or Plugin policies of the same kind and name in one namespace would both generate heliomesh-<name>. Rename one.',
  },
  ({ unit, index }) =>
    unit.policies.flatMap(({ policy }) => {
      const other = index.nameClashes.get(policy.id);
      return other === undefined
        ? []
        : [
            {
              message: `${policy.kind} "${policy.name}" and policy ${other} both generate heliomesh-${policy.name} in ${policy.target.namespace}`,
              path: ['name'],
              policyIds: [policy.id, other],
            },
          ];
    }),
);
