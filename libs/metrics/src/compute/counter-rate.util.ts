/**
 * Prometheus' `rate()` and `increase()` for one series (promql/functions.go `extrapolatedRate`,
 * v2.42): counter resets add the value before the reset, and the result is extrapolated towards
 * the window's edges when the first and last samples are near them, never below zero.
 */

export interface RangePoints {
  /** Sample times in milliseconds, ascending. */
  times: ArrayLike<number>;
  values: ArrayLike<number>;
  /** Index of the first and last sample inside the window (inclusive). */
  first: number;
  last: number;
}

/**
 * The increase over `[rangeStartMs, rangeEndMs]`, or `undefined` when the window holds fewer than
 * two samples (Prometheus drops the series then).
 */
export function extrapolatedIncrease(
  points: RangePoints,
  rangeStartMs: number,
  rangeEndMs: number,
): number | undefined {
  const { times, values, first, last } = points;
  if (last - first < 1) return undefined;
  const firstValue = values[first]!;
  let result = values[last]! - firstValue;
  let previous = 0;
  for (let i = first; i <= last; i++) {
    const v = values[i]!;
    if (v < previous) result += previous;
    previous = v;
  }
  let durationToStart = (times[first]! - rangeStartMs) / 1000;
  const durationToEnd = (rangeEndMs - times[last]!) / 1000;
  const sampledInterval = (times[last]! - times[first]!) / 1000;
  const averageBetweenSamples = sampledInterval / (last - first);
  if (result > 0 && firstValue >= 0) {
    // A counter cannot go below zero: do not extrapolate past the point where it would be 0.
    const durationToZero = sampledInterval * (firstValue / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = averageBetweenSamples * 1.1;
  let extrapolateTo = sampledInterval;
  extrapolateTo += durationToStart < threshold ? durationToStart : averageBetweenSamples / 2;
  extrapolateTo += durationToEnd < threshold ? durationToEnd : averageBetweenSamples / 2;
  return result * (extrapolateTo / sampledInterval);
}

/** Per-second rate over the window: the increase divided by the window's length. */
export function extrapolatedRate(
  points: RangePoints,
  rangeStartMs: number,
  rangeEndMs: number,
): number | undefined {
  const inc = extrapolatedIncrease(points, rangeStartMs, rangeEndMs);
  return inc === undefined ? undefined : inc / ((rangeEndMs - rangeStartMs) / 1000);
}

/** Index of the first time `>= t` in an ascending array slice `[lo, hi)`. */
export function lowerBound(times: ArrayLike<number>, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first time `> t` in an ascending array slice `[lo, hi)`. */
export function upperBound(times: ArrayLike<number>, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid]! <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
