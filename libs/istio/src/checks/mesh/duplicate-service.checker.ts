import { defineChecker } from '../check.types.js';

export const duplicateServiceChecker = defineChecker(
  {
    code: 'HM0003',
    severity: 'error',
    area: 'mesh',
    title: 'Service listed twice',
    meaning:
      'The snapshot lists two services with the same host. Nothing is generated for the host until the service inventory is fixed.',
  },
  ({ unit }) =>
    unit.duplicateOf === undefined
      ? []
      : [
          {
            message: `services[${unit.serviceIndex}] and services[${unit.duplicateOf}] are both ${unit.host}; keep one`,
            path: ['services', unit.duplicateOf],
          },
        ],
);
