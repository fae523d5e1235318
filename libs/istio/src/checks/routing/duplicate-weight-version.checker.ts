import { at, defineChecker, eachPolicy } from '../check.types.js';

export const duplicateWeightVersionChecker = defineChecker(
  {
    code: 'HM1027',
    severity: 'error',
    area: 'routing',
    title: 'Version weighted twice',
    meaning: 'A TrafficSplit lists the same version more than once; give each version one weight.',
  },
  eachPolicy('TrafficSplit', (p) => {
    const seen = new Set<string>();
    return p.spec.weights.flatMap((w, i) => {
      if (!seen.has(w.version)) {
        seen.add(w.version);
        return [];
      }
      return [
        at(p, ['spec', 'weights', i, 'version'], `version ${w.version} is listed twice; merge its weights`),
      ];
    });
  }),
);
