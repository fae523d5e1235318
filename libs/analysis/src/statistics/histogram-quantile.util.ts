/**
 * Prometheus' histogram_quantile on one cumulative histogram (linear interpolation inside the
 * bucket that holds the rank; a rank in `+Inf` answers the highest finite bound). Used only to
 * show a familiar pXX next to a rank test's verdict. NaN when undefined.
 */
export function histogramQuantile(q: number, buckets: ReadonlyArray<{ le: number; count: number }>): number {
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const last = sorted[sorted.length - 1];
  if (!last || last.le !== Number.POSITIVE_INFINITY || sorted.length < 2 || !(last.count > 0)) {
    return Number.NaN;
  }
  let max = 0;
  const counts = sorted.map((b) => (max = Math.max(max, b.count)));
  const rank = q * counts[counts.length - 1]!;
  let i = 0;
  while (i < counts.length - 1 && counts[i]! < rank) i++;
  if (i === counts.length - 1) return sorted[sorted.length - 2]!.le;
  const start = i === 0 ? 0 : sorted[i - 1]!.le;
  if (i === 0 && sorted[0]!.le <= 0) return sorted[0]!.le;
  const below = i === 0 ? 0 : counts[i - 1]!;
  const inBucket = counts[i]! - below;
  return start + (sorted[i]!.le - start) * ((rank - below) / inBucket);
}
