import { at, defineChecker, eachPolicy } from '../check.types.js';

export const outlierDisabledChecker = defineChecker(
  {
    code: 'HM2010',
    severity: 'warning',
    area: 'destination',
    title: 'Outlier detection that detects nothing',
    meaning:
      'consecutive5xxErrors is 0 and consecutiveGatewayErrors is not set above 0, so no error counter is enforced and no pod is ever ejected.',
  },
  eachPolicy('CircuitBreaker', (p) => {
    const od = p.spec.outlierDetection;
    return od &&
      od.consecutive5xxErrors === 0 &&
      !(od.consecutiveGatewayErrors !== undefined && od.consecutiveGatewayErrors > 0)
      ? [
          at(
            p,
            ['spec', 'outlierDetection', 'consecutive5xxErrors'],
            'consecutive5xxErrors 0 disables the 5xx counter and no gateway-error counter is set; nothing can be ejected',
          ),
        ]
      : [];
  }),
);
