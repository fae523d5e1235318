import { defineChecker } from '../check.types.js';

export const versionWithoutLabelsChecker = defineChecker(
  {
    code: 'HM2002',
    severity: 'warning',
    area: 'destination',
    title: 'Subset without labels',
    meaning:
      'A version has no labels, so its subset selects every pod of the service and routing to it is not routing to a version.',
  },
  ({ unit }) =>
    unit.service.versions.flatMap((v, i) =>
      Object.keys(v.labels).length === 0
        ? [
            {
              message: `version ${v.name} has no labels; its subset selects every pod`,
              path: ['services', unit.serviceIndex, 'versions', i, 'labels'],
            },
          ]
        : [],
    ),
);
