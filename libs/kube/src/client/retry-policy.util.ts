import { backoffDelay } from '@heliomesh/util';
import { KubeError, isTransient } from '../errors/kube-error.util.js';
import { systemClock, type Clock } from './rate-limiter.util.js';

export interface RetryPolicy {
  /** Total attempts, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Longest Retry-After honoured; a server asking for more is waited for this long. */
  maxRetryAfterMs: number;
}

/**
 * 6 attempts with full-jitter backoff from 200 ms (0.2, 0.4, 0.8, 1.6, 3.2 s ceilings): about 6 s
 * of waiting at worst, enough to ride out a throttled or restarting API server without holding a
 * reconcile job for minutes.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 6,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxRetryAfterMs: 10_000,
};

export interface RetryContext {
  /** What is being done, for the final error: `apply VirtualService ns/name`. */
  what: string;
  clock?: Clock;
  random?: () => number;
  onRetry?: (err: KubeError, attempt: number, delayMs: number) => void;
}

/** The delay before attempt `attempt + 1`: the server's Retry-After when it sent one, else jittered backoff. */
export function retryDelay(
  err: KubeError,
  attempt: number,
  policy: RetryPolicy,
  random = Math.random,
): number {
  const backoff = backoffDelay(attempt, policy.baseDelayMs, policy.maxDelayMs, random);
  if (err.retryAfterMs === undefined) return backoff;
  // A little jitter on top keeps clients told "retry in 1 s" from coming back in lockstep.
  return Math.min(err.retryAfterMs, policy.maxRetryAfterMs) + Math.floor(random() * policy.baseDelayMs);
}

/**
 * Runs `fn` until it succeeds, fails with a non-transient error (thrown as is), or runs out of
 * attempts (KUBE_RETRIES_EXHAUSTED naming the operation and the last error).
 */
export async function withRetries<T>(
  fn: (attempt: number) => Promise<T>,
  policy: RetryPolicy,
  ctx: RetryContext,
): Promise<{ value: T; attempts: number }> {
  const clock = ctx.clock ?? systemClock;
  for (let attempt = 0; ; attempt++) {
    try {
      return { value: await fn(attempt), attempts: attempt + 1 };
    } catch (err) {
      if (!isTransient(err)) throw err;
      const kerr = err as KubeError;
      if (attempt + 1 >= policy.attempts) {
        const status = kerr.kubeStatus ? `HTTP ${kerr.kubeStatus} ${kerr.reason ?? ''}`.trim() : kerr.code;
        throw new KubeError({
          code: 'KUBE_RETRIES_EXHAUSTED',
          message: `gave up on ${ctx.what} after ${policy.attempts} attempts; last error (${status}): ${kerr.message}`,
          kubeStatus: kerr.kubeStatus,
          ...(kerr.reason !== undefined ? { reason: kerr.reason } : {}),
          causes: kerr.causes,
          cause: kerr,
        });
      }
      const delay = retryDelay(kerr, attempt, policy, ctx.random);
      ctx.onRetry?.(kerr, attempt + 1, delay);
      if (delay > 0) await clock.sleep(delay);
    }
  }
}
