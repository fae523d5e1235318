import { defineChecker } from '../check.types.js';

export const versionWithoutPodsChecker = defineChecker(
  {
    code: 'HM2001',
    severity: 'warning',
    area: 'destination',
    title: 'Subset labels match no pods',
    meaning:
      'A version (DestinationRule subset) selects no running pod. Harmless while no route sends it traffic (HM1005 reports when one does).',
  },
  ({ unit }) =>
    unit.service.versions.flatMap((v, i) =>
      v.pods <= 0
        ? [
            {
              message: `version ${v.name} (labels ${JSON.stringify(v.labels)}) matches no pods`,
              path: ['services', unit.serviceIndex, 'versions', i, 'pods'],
            },
          ]
        : [],
    ),
);
