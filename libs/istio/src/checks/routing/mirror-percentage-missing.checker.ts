import { at, defineChecker, eachPolicy } from '../check.types.js';

export const mirrorPercentageMissingChecker = defineChecker(
  {
    code: 'HM1010',
    severity: 'info',
    area: 'routing',
    title: 'Mirror percentage missing: all requests mirrored',
    meaning:
      "A mirror without a percentage copies 100% of the route's requests, doubling the load on the mirror target.",
  },
  eachPolicy('TrafficMirror', (p) =>
    p.spec.percentage === undefined
      ? [at(p, ['spec', 'percentage'], 'no percentage: every request is mirrored')]
      : [],
  ),
);
