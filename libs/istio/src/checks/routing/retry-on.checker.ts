import { at, defineChecker, eachPolicy } from '../check.types.js';

/** Istio's accepted retryOn tokens (pkg/config/validation/agent/validation.go). */
export const RETRY_ON_TOKENS = new Set([
  '5xx',
  'gateway-error',
  'reset',
  'reset-before-request',
  'connect-failure',
  'retriable-4xx',
  'refused-stream',
  'retriable-status-codes',
  'retriable-headers',
  'envoy-ratelimited',
  'http3-post-connect-failure',
  'cancelled',
  'deadline-exceeded',
  'internal',
  'resource-exhausted',
  'unavailable',
]);

export const retryOnChecker = defineChecker(
  {
    code: 'HM1016',
    severity: 'error',
    area: 'routing',
    title: 'Unknown retryOn condition',
    meaning:
      'retryOn takes Envoy retry conditions (5xx, gateway-error, reset, connect-failure, retriable-4xx, ...) or HTTP status codes; Istio rejects anything else.',
  },
  eachPolicy('Retry', (p) =>
    (p.spec.retryOn ?? []).flatMap((token, i) =>
      RETRY_ON_TOKENS.has(token) || (/^\d{3}$/.test(token) && Number(token) >= 100 && Number(token) <= 599)
        ? []
        : [at(p, ['spec', 'retryOn', i], `"${token}" is not a retry condition or an HTTP status code`)],
    ),
  ),
);
