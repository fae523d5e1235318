/**
 * Prometheus' `histogram_quantile` over classic buckets (promql/quantile.go `bucketQuantile`,
 * v2.42), so the scrape provider answers what Prometheus would.
 */

export interface Bucket {
  /** Upper bound (`le`); the last bucket must be `+Inf`. */
  le: number;
  /** Cumulative count of observations `<= le`. */
  count: number;
}

/** Sums buckets with the same bound (sorted input), as Prometheus does after `sum by (le)`. */
function coalesce(sorted: Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  for (const b of sorted) {
    const prev = out[out.length - 1];
    if (prev && prev.le === b.le) prev.count += b.count;
    else out.push({ le: b.le, count: b.count });
  }
  return out;
}

/**
 * The `q` quantile by linear interpolation inside the bucket that holds the rank. Returns NaN
 * when undefined: no `+Inf` bucket, fewer than two buckets, or no observations. A rank in the
 * `+Inf` bucket answers the highest finite bound; a first bucket with a bound <= 0 answers its bound.
 */
export function histogramQuantile(q: number, input: readonly Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  if (input.length === 0) return Number.NaN;
  const buckets = coalesce([...input].sort((a, b) => a.le - b.le));
  if (buckets[buckets.length - 1]!.le !== Number.POSITIVE_INFINITY) return Number.NaN;
  // Rates of cumulative buckets can come out slightly non-monotonic (scrapes are not atomic).
  let max = Number.NEGATIVE_INFINITY;
  for (const b of buckets) {
    if (b.count > max) max = b.count;
    else b.count = max;
  }
  if (buckets.length < 2) return Number.NaN;
  const observations = buckets[buckets.length - 1]!.count;
  if (!(observations > 0)) return Number.NaN;
  let rank = q * observations;
  let b = 0;
  while (b < buckets.length - 1 && buckets[b]!.count < rank) b++;
  if (b === buckets.length - 1) return buckets[buckets.length - 2]!.le;
  if (b === 0 && buckets[0]!.le <= 0) return buckets[0]!.le;
  let start = 0;
  let count = buckets[b]!.count;
  if (b > 0) {
    start = buckets[b - 1]!.le;
    count -= buckets[b - 1]!.count;
    rank -= buckets[b - 1]!.count;
  }
  return start + (buckets[b]!.le - start) * (rank / count);
}

/** Parses an `le` label (`"0.5"`, `"+Inf"`); `undefined` when it is not a number. */
export function parseLe(le: string | undefined): number | undefined {
  if (le === undefined) return undefined;
  if (le === '+Inf' || le === 'Inf' || le === '+inf' || le === 'inf') {
    return Number.POSITIVE_INFINITY;
  }
  const v = Number(le);
  return le.trim() === '' || Number.isNaN(v) ? undefined : v;
}
