import { assertUnreachable } from '@heliomesh/util';
import { normalCdf, normalSf } from './special-functions.util.js';

/** Cumulative histogram buckets as Prometheus exports them (`le` ascending, last `+Inf`). */
export interface CumulativeHistogram {
  buckets: ReadonlyArray<{ le: number; count: number }>;
}

export type Alternative = 'greater' | 'less' | 'two-sided';

export interface MannWhitneyResult {
  /** U for the first sample: pairs where it is larger, plus half the ties. */
  u: number;
  n1: number;
  n2: number;
  z: number;
  pValue: number;
  /** U / (n1 n2): P(first > second) + P(tie)/2; 0.5 means no shift (Vargha-Delaney A). */
  probabilityOfSuperiority: number;
}

/**
 * Per-bucket counts of both histograms on the bounds they share. Cumulative counts are known
 * exactly at every shared bound, so coarsening to the common bounds loses resolution, not
 * correctness. Negative differences (extrapolated rates are not exactly monotonic) count as 0.
 */
export function alignHistograms(
  a: CumulativeHistogram,
  b: CumulativeHistogram,
): { bounds: number[]; a: number[]; b: number[] } {
  const cumulative = (h: CumulativeHistogram) => {
    const m = new Map<number, number>();
    for (const { le, count } of h.buckets) m.set(le, Math.max(m.get(le) ?? 0, count));
    return m;
  };
  const ca = cumulative(a);
  const cb = cumulative(b);
  const bounds = [...ca.keys()].filter((le) => cb.has(le)).sort((x, y) => x - y);
  const perBucket = (c: Map<number, number>) => {
    let prev = 0;
    return bounds.map((le) => {
      const v = Math.max(c.get(le)!, prev);
      const d = v - prev;
      prev = v;
      return d;
    });
  };
  return { bounds, a: perBucket(ca), b: perBucket(cb) };
}

/**
 * Mann-Whitney U test on bucketed data: every observation in a bucket ties with every other in
 * it, so U and the tie-corrected variance come straight from the counts (no per-request
 * arrays). Normal approximation with continuity correction, as R's wilcox.test(exact = FALSE).
 * Needs both histograms to share their `+Inf` bound; counts may be fractional.
 */
export function mannWhitneyHistograms(
  first: CumulativeHistogram,
  second: CumulativeHistogram,
  alternative: Alternative,
): MannWhitneyResult {
  const { a, b } = alignHistograms(first, second);
  let n1 = 0;
  let n2 = 0;
  for (let i = 0; i < a.length; i++) {
    n1 += a[i]!;
    n2 += b[i]!;
  }
  if (!(n1 > 0 && n2 > 0)) {
    throw new RangeError('Mann-Whitney needs observations in both histograms');
  }
  let u = 0;
  let below = 0;
  let ties = 0;
  const total = n1 + n2;
  for (let i = 0; i < a.length; i++) {
    u += a[i]! * (below + b[i]! / 2);
    below += b[i]!;
    const t = a[i]! + b[i]!;
    // (t^3 - t) / (N (N - 1)) term by term, so huge counts do not overflow the cube.
    if (t > 1) ties += (t / total) * ((t - 1) / (total - 1)) * (t + 1);
  }
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (total + 1 - ties);
  const result = (z: number, pValue: number): MannWhitneyResult => ({
    u,
    n1,
    n2,
    z,
    pValue: Math.min(1, Math.max(0, pValue)),
    probabilityOfSuperiority: u / (n1 * n2),
  });
  // Everything in one bucket: no evidence of any difference.
  if (!(variance > 0)) return result(0, 1);
  const sigma = Math.sqrt(variance);
  const d = u - mean;
  switch (alternative) {
    case 'greater': {
      const z = (d - 0.5) / sigma;
      return result(z, normalSf(z));
    }
    case 'less': {
      const z = (d + 0.5) / sigma;
      return result(z, normalCdf(z));
    }
    case 'two-sided': {
      const z = (d - Math.sign(d) * 0.5) / sigma;
      return result(z, 2 * Math.min(normalCdf(z), normalSf(z)));
    }
    default:
      return assertUnreachable(alternative, 'alternative');
  }
}
