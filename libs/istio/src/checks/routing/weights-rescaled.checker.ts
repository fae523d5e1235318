import { at, defineChecker, eachPolicy } from '../check.types.js';

export const weightsRescaledChecker = defineChecker(
  {
    code: 'HM1004',
    severity: 'info',
    area: 'routing',
    title: 'Weights rescaled to 100',
    meaning:
      'The weights do not add up to 100. They are relative, so the compiler scales them to percentages that do.',
  },
  eachPolicy('TrafficSplit', (p) => {
    const sum = p.spec.weights.reduce((a, w) => a + Math.max(0, w.weight), 0);
    return sum === 100 || sum === 0
      ? []
      : [at(p, ['spec', 'weights'], `weights add up to ${sum}; they are scaled to sum to 100`)];
  }),
);
