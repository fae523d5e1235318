import { providerError, type Measurement } from './measurement.types.js';

/**
 * Argument checks shared by the providers. A bad window or quantile is the caller's bug or a bad
 * configuration, never a property of the canary, so it comes back as a `QUERY_REJECTED`
 * provider error (pause and tell a human) rather than a thrown exception or a failed check.
 */
export function rejectBadArguments(
  provider: string,
  window: number,
  q?: number,
  maxWindowSeconds = Number.POSITIVE_INFINITY,
): Measurement<never> | undefined {
  if (!Number.isInteger(window) || window < 1) {
    return providerError({
      code: 'QUERY_REJECTED',
      provider,
      message: `The query window must be a whole number of seconds >= 1, not ${window}.`,
    });
  }
  if (window > maxWindowSeconds) {
    return providerError({
      code: 'QUERY_REJECTED',
      provider,
      message: `The query window of ${window}s is longer than the ${maxWindowSeconds}s the ${provider} provider keeps; shorten the window or raise its retention.`,
    });
  }
  if (q !== undefined && !(q >= 0 && q <= 1)) {
    return providerError({
      code: 'QUERY_REJECTED',
      provider,
      message: `A quantile must be between 0 and 1, not ${q}.`,
    });
  }
  return undefined;
}
