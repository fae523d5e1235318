import { at, defineChecker, eachPolicy } from '../check.types.js';

export const matchesEverythingChecker = defineChecker(
  {
    code: 'HM3007',
    severity: 'warning',
    area: 'security',
    title: 'Access list matches every request',
    meaning:
      'An AccessControl with no from, to or headers matches every request: a DENY blocks all traffic to the service and an ALLOW lets everyone in.',
  },
  eachPolicy('AccessControl', (p) =>
    !p.spec.from && !p.spec.to && !p.spec.headers
      ? [
          at(
            p,
            ['spec'],
            p.spec.action === 'DENY'
              ? 'denies every request to the service'
              : 'allows every request to the service',
          ),
        ]
      : [],
  ),
);
