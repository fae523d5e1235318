import { at, defineChecker, eachPolicy } from '../check.types.js';

export const abortStatusChecker = defineChecker(
  {
    code: 'HM1012',
    severity: 'error',
    area: 'routing',
    title: 'Abort status outside 200–599',
    meaning: 'An abort must answer with an HTTP status from 200 to 599.',
  },
  eachPolicy('FaultInjection', (p) => {
    const status = p.spec.abort?.httpStatus;
    return status !== undefined && (status < 200 || status > 599)
      ? [
          at(
            p,
            ['spec', 'abort', 'httpStatus'],
            `abort status ${status} is not an HTTP status from 200 to 599`,
          ),
        ]
      : [];
  }),
);
