import { at, defineChecker, policiesOf } from '../check.types.js';

export const failoverWithoutOutlierChecker = defineChecker(
  {
    code: 'HM2007',
    severity: 'warning',
    area: 'destination',
    title: 'Locality failover without outlier detection',
    meaning:
      'Istio fails over to another locality only when outlier detection marks endpoints unhealthy; without a CircuitBreaker with outlierDetection on the service, the failover never triggers.',
  },
  (ctx) => {
    const hasOutlier = policiesOf(ctx, 'CircuitBreaker').some((c) => c.spec.outlierDetection !== undefined);
    if (hasOutlier) return [];
    return policiesOf(ctx, 'LoadBalancer')
      .filter((p) => p.spec.localityFailover !== undefined)
      .map((p) =>
        at(
          p,
          ['spec', 'localityFailover'],
          'no outlier detection on this service, so locality failover never triggers; add a CircuitBreaker with outlierDetection',
        ),
      );
  },
);
