import type { HttpRoute } from '../config/networking.schema.js';
import { parseDurationMs } from '../util/duration.util.js';

/** istio-semantics §1.5: valid retryOn tokens. */
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

export const RetryOn = {
  X5XX: 1 << 0,
  GATEWAY_ERROR: 1 << 1,
  RESET: 1 << 2,
  RESET_BEFORE_REQUEST: 1 << 3,
  CONNECT_FAILURE: 1 << 4,
  RETRIABLE_4XX: 1 << 5,
  REFUSED_STREAM: 1 << 6,
  RETRIABLE_STATUS_CODES: 1 << 7,
  ENVOY_RATELIMITED: 1 << 8,
  CANCELLED: 1 << 9,
  DEADLINE_EXCEEDED: 1 << 10,
  INTERNAL: 1 << 11,
  RESOURCE_EXHAUSTED: 1 << 12,
  UNAVAILABLE: 1 << 13,
} as const;

const TOKEN_BITS: Record<string, number> = {
  '5xx': RetryOn.X5XX,
  'gateway-error': RetryOn.GATEWAY_ERROR,
  reset: RetryOn.RESET,
  'reset-before-request': RetryOn.RESET_BEFORE_REQUEST,
  'connect-failure': RetryOn.CONNECT_FAILURE,
  'retriable-4xx': RetryOn.RETRIABLE_4XX,
  'refused-stream': RetryOn.REFUSED_STREAM,
  'retriable-status-codes': RetryOn.RETRIABLE_STATUS_CODES,
  'envoy-ratelimited': RetryOn.ENVOY_RATELIMITED,
  cancelled: RetryOn.CANCELLED,
  'deadline-exceeded': RetryOn.DEADLINE_EXCEEDED,
  internal: RetryOn.INTERNAL,
  'resource-exhausted': RetryOn.RESOURCE_EXHAUSTED,
  unavailable: RetryOn.UNAVAILABLE,
};

export interface RetryPolicy {
  /** Retries after the first attempt. */
  attempts: number;
  retryOn: number;
  statusCodes: ReadonlySet<number>;
  perTryTimeoutMs: number | undefined;
  backoffBaseMs: number;
}

const DEFAULT_RETRY_ON = 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes';

/**
 * istio-semantics §1.5: with no `retries`, attempts 2 on connect-failure, refused-stream,
 * unavailable, cancelled and retriable-status-codes with an empty code list, so app 5xx are not
 * retried; backoff base 25 ms; no per-try timeout.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 2,
  retryOn: parseRetryOn(DEFAULT_RETRY_ON).bits,
  statusCodes: new Set(),
  perTryTimeoutMs: undefined,
  backoffBaseMs: 25,
};

export function parseRetryOn(text: string): { bits: number; codes: Set<number> } {
  let bits = 0;
  const codes = new Set<number>();
  for (const raw of text.split(',')) {
    const token = raw.trim();
    if (/^\d{3}$/.test(token)) {
      // §1.5: integers become retriable_status_codes and retriable-status-codes is added.
      codes.add(Number(token));
      bits |= RetryOn.RETRIABLE_STATUS_CODES;
    } else {
      bits |= TOKEN_BITS[token] ?? 0;
    }
  }
  return { bits, codes };
}

/** §1.5: an explicit block; `attempts: 0` disables; attempts without retryOn use the default list. */
export function retryPolicyOf(route: HttpRoute): RetryPolicy {
  const r = route.retries;
  if (!r) return DEFAULT_RETRY_POLICY;
  const attempts = r.attempts ?? 0;
  if (attempts === 0) return { ...DEFAULT_RETRY_POLICY, attempts: 0 };
  const { bits, codes } = parseRetryOn(r.retryOn ?? DEFAULT_RETRY_ON);
  return {
    attempts,
    retryOn: bits,
    statusCodes: codes,
    perTryTimeoutMs: r.perTryTimeout ? parseDurationMs(r.perTryTimeout) : undefined,
    backoffBaseMs: (r.backoff ? parseDurationMs(r.backoff) : undefined) ?? 25,
  };
}

const GRPC_RETRY: ReadonlyArray<[number, number]> = [
  [1, RetryOn.CANCELLED],
  [4, RetryOn.DEADLINE_EXCEEDED],
  [8, RetryOn.RESOURCE_EXHAUSTED],
  [13, RetryOn.INTERNAL],
  [14, RetryOn.UNAVAILABLE],
];

/** §1.5 meaning of the tokens for a response that arrived. */
export function isRetriableResponse(
  policy: RetryPolicy,
  code: number,
  grpcStatus: number,
  rateLimited: boolean,
): boolean {
  const on = policy.retryOn;
  if (on & RetryOn.X5XX && code >= 500) return true;
  if (on & RetryOn.GATEWAY_ERROR && (code === 502 || code === 503 || code === 504)) return true;
  if (on & RetryOn.RETRIABLE_4XX && code === 409) return true;
  if (on & RetryOn.RETRIABLE_STATUS_CODES && policy.statusCodes.has(code)) return true;
  if (on & RetryOn.ENVOY_RATELIMITED && rateLimited) return true;
  if (grpcStatus > 0) {
    for (const [status, bit] of GRPC_RETRY) if (grpcStatus === status && on & bit) return true;
  }
  return false;
}

/** No response at all: a per-try timeout or a reset of the upstream connection. */
export function isRetriableReset(policy: RetryPolicy, beforeRequest: boolean): boolean {
  const on = policy.retryOn;
  if (on & (RetryOn.X5XX | RetryOn.GATEWAY_ERROR | RetryOn.RESET)) return true;
  return beforeRequest && (on & RetryOn.RESET_BEFORE_REQUEST) !== 0;
}

/** §1.5 backoff: retry N waits a random time in [0, (2^N - 1) * base), capped at 10 * base. */
export function backoffMs(policy: RetryPolicy, retry: number, random: number): number {
  const ceiling = Math.min((2 ** retry - 1) * policy.backoffBaseMs, 10 * policy.backoffBaseMs);
  return random * ceiling;
}
