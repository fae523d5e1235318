import { at, defineChecker, eachPolicy } from '../check.types.js';

export const zeroWeightsChecker = defineChecker(
  {
    code: 'HM1002',
    severity: 'error',
    area: 'routing',
    title: 'No positive weight',
    meaning: 'Every weight of a TrafficSplit is 0 (or negative), so no version would receive traffic.',
  },
  eachPolicy('TrafficSplit', (p) =>
    p.spec.weights.some((w) => w.weight > 0)
      ? []
      : [
          at(
            p,
            ['spec', 'weights'],
            'no version has a positive weight; give at least one version a weight above 0',
          ),
        ],
  ),
);
