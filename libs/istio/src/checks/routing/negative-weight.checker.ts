import { at, defineChecker, eachPolicy } from '../check.types.js';

export const negativeWeightChecker = defineChecker(
  {
    code: 'HM1001',
    severity: 'error',
    area: 'routing',
    title: 'Negative weight',
    meaning: 'A TrafficSplit weight is below 0. Istio rejects negative weights.',
  },
  eachPolicy('TrafficSplit', (p) =>
    p.spec.weights.flatMap((w, i) =>
      w.weight < 0
        ? [
            at(
              p,
              ['spec', 'weights', i, 'weight'],
              `weight ${w.weight} of version ${w.version} is negative; use 0 to send no traffic`,
            ),
          ]
        : [],
    ),
  ),
);
