import { defineChecker } from '../check.types.js';

const IGNORES_MATCH = new Set(['CircuitBreaker', 'LoadBalancer', 'AccessControl', 'Plugin']);

export const unsupportedMatchChecker = defineChecker(
  {
    code: 'HM0010',
    severity: 'error',
    area: 'mesh',
    title: 'Route match on a kind that applies to the whole service',
    meaning:
      'CircuitBreaker, LoadBalancer, AccessControl and Plugin act on the service (DestinationRule or its pods), not on a route, so target.match cannot be honoured. Use `version` to narrow a CircuitBreaker or LoadBalancer, and `to`/`headers` to narrow an AccessControl.',
  },
  ({ policies }) =>
    policies
      .filter((p) => IGNORES_MATCH.has(p.kind) && p.target.match !== undefined)
      .map((p) => ({
        message: `${p.kind} applies to the whole service; remove target.match`,
        path: ['target', 'match'],
        policyIds: [p.id],
      })),
);
