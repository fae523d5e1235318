import { logChoose } from './special-functions.util.js';

export interface TwoByTwo {
  /** Canary errors and requests. */
  canaryErrors: number;
  canaryTotal: number;
  /** Baseline errors and requests. */
  baselineErrors: number;
  baselineTotal: number;
}

function checkTable(t: TwoByTwo): void {
  const ok = (n: number) => Number.isInteger(n) && n >= 0;
  if (
    !ok(t.canaryErrors) ||
    !ok(t.canaryTotal) ||
    !ok(t.baselineErrors) ||
    !ok(t.baselineTotal) ||
    t.canaryErrors > t.canaryTotal ||
    t.baselineErrors > t.baselineTotal
  ) {
    throw new RangeError(`not a 2x2 table of counts: ${JSON.stringify(t)}`);
  }
}

/**
 * Sums the hypergeometric pmf from `start` stepping by `dir` (+1 or -1) while inside `[lo, hi]`.
 * Called only on the side of the mode where terms shrink, so it stops once they are negligible.
 */
function tailSum(
  start: number,
  dir: 1 | -1,
  lo: number,
  hi: number,
  logPmf: (k: number) => number,
  ratio: (k: number) => number,
): number {
  if (start < lo || start > hi) return 0;
  let term = 1;
  let sum = 1;
  for (let k = start; dir === 1 ? k < hi : k > lo; k += dir) {
    term *= ratio(k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return Math.exp(logPmf(start)) * sum;
}

/**
 * One-sided Fisher exact test: the probability, if canary and baseline shared one error rate,
 * of the canary getting at least as many of the errors as it did. Conditioning on the total
 * errors makes it exact for rare events (0 of 2,000 against 10 of 2,000 is p ~ 0.001), where a
 * normal approximation or a rank test sees nothing.
 */
export function fisherExactGreater(t: TwoByTwo): number {
  checkTable(t);
  const n = t.canaryTotal;
  const total = t.canaryTotal + t.baselineTotal;
  const errors = t.canaryErrors + t.baselineErrors;
  const x = t.canaryErrors;
  const lo = Math.max(0, n - (total - errors));
  const hi = Math.min(errors, n);
  const logDenominator = logChoose(total, n);
  const logPmf = (k: number) => logChoose(errors, k) + logChoose(total - errors, n - k) - logDenominator;
  // pmf(k+1)/pmf(k) and pmf(k-1)/pmf(k), so each tail is one exp and a run of products.
  const up = (k: number) => ((errors - k) * (n - k)) / ((k + 1) * (total - errors - n + k + 1));
  const down = (k: number) => (k * (total - errors - n + k)) / ((errors - k + 1) * (n - k + 1));
  const mode = Math.floor(((n + 1) * (errors + 1)) / (total + 2));
  const p = x > mode ? tailSum(x, 1, lo, hi, logPmf, up) : 1 - tailSum(x - 1, -1, lo, hi, logPmf, down);
  return Math.min(1, Math.max(0, p));
}
