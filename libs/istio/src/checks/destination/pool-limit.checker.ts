import { at, defineChecker, eachPolicy } from '../check.types.js';
import type { FindingDraft } from '../finding.types.js';

export const poolLimitChecker = defineChecker(
  {
    code: 'HM2005',
    severity: 'error',
    area: 'destination',
    title: 'Connection-pool limit not positive',
    meaning:
      'Connection-pool limits must be 1 or more: Istio rejects negatives, and 0 means "unset" (unlimited) in Envoy, so a limit of 0 cannot be expressed.',
  },
  eachPolicy('CircuitBreaker', (p) => {
    const out: FindingDraft[] = [];
    const { tcp, http } = p.spec.connectionPool ?? {};
    const limits: Array<[string, string, number | undefined]> = [
      ['tcp', 'maxConnections', tcp?.maxConnections],
      ['http', 'http1MaxPendingRequests', http?.http1MaxPendingRequests],
      ['http', 'http2MaxRequests', http?.http2MaxRequests],
      ['http', 'maxRequestsPerConnection', http?.maxRequestsPerConnection],
      ['http', 'maxRetries', http?.maxRetries],
    ];
    for (const [block, field, value] of limits)
      if (value !== undefined && value < 1)
        out.push(
          at(
            p,
            ['spec', 'connectionPool', block, field],
            `${field} ${value} is not a limit: use 1 or more (0 means unlimited in Envoy)`,
          ),
        );
    return out;
  }),
);
