import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fisherExactGreater } from './fisher-exact.util.js';
import { alignHistograms, mannWhitneyHistograms, type Alternative } from './mann-whitney.util.js';
import { erfc, logChoose, logFactorial, logGamma, normalCdf, normalSf } from './special-functions.util.js';

const INF = Number.POSITIVE_INFINITY;

function relErr(a: number, b: number): number {
  return b === 0 ? Math.abs(a) : Math.abs(a - b) / Math.abs(b);
}

/** Cumulative histogram from per-bucket counts. */
function hist(bounds: number[], counts: number[]) {
  let c = 0;
  return { buckets: bounds.map((le, i) => ({ le, count: (c += counts[i]!) })) };
}

describe('special functions (reference values from Python math / scipy)', () => {
  it.each([
    [-1, 1.842700792949715],
    [0, 1],
    [0.3, 0.6713732405408726],
    [1, 0.15729920705028513],
    [2, 0.004677734981047265],
    [3, 2.2090496998585438e-5],
    [5, 1.5374597944280351e-12],
    [10, 2.088487583762545e-45],
    [20, 5.3958656116079005e-176],
  ])('erfc(%s) = %s to 1e-14 relative', (x, ref) => {
    expect(relErr(erfc(x), ref)).toBeLessThan(1e-14);
  });

  it('gives the textbook normal quantiles', () => {
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 14);
    expect(normalSf(1.6448536269514722)).toBeCloseTo(0.05, 14);
    expect(relErr(normalSf(6), 9.865876450376946e-10)).toBeLessThan(1e-13);
    expect(normalCdf(0)).toBe(0.5);
  });

  it('log-gamma and log-factorials agree with lgamma', () => {
    expect(relErr(logGamma(0.5), 0.5723649429247004)).toBeLessThan(1e-14);
    expect(relErr(logGamma(100.5), 361.4355404677776)).toBeLessThan(1e-14);
    expect(relErr(logFactorial(1e6), 12815518.384658169)).toBeLessThan(1e-14);
    expect(logFactorial(10)).toBeCloseTo(Math.log(3628800), 12);
    expect(Math.exp(logChoose(10, 3))).toBeCloseTo(120, 9);
    expect(logChoose(3, 4)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('erfc is decreasing, in [0, 2], and erfc(x) + erfc(-x) = 2', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -30, max: 30, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        (x, dx) => {
          const y = erfc(x);
          expect(y).toBeGreaterThanOrEqual(0);
          expect(y).toBeLessThanOrEqual(2);
          expect(erfc(x + dx)).toBeLessThanOrEqual(y + 1e-15);
          expect(y + erfc(-x)).toBeCloseTo(2, 12);
        },
      ),
    );
  });
});

describe('fisherExactGreater (reference p-values from scipy.stats.fisher_exact)', () => {
  it.each([
    // Fisher's tea-tasting table: 17/70.
    [3, 4, 1, 4, 0.24285714285714283],
    // A 0.5 % error rate against a clean baseline at 2,000 requests each.
    [10, 2000, 0, 2000, 0.000965611867082593],
    [0, 2000, 10, 2000, 1],
    [5, 1000, 5, 1000, 0.6233555730949243],
    [30, 10000, 10, 10000, 0.0010997641712361542],
    [120, 100000, 80, 100000, 0.002830598105684054],
    [1, 50, 0, 50, 0.5],
    [7, 7, 0, 7, 0.0002913752913752914],
    [0, 0, 0, 5, 1],
    [500, 1000000, 400, 1000000, 0.0004769578651175192],
    [45, 300, 20, 400, 6.158743062836336e-6],
  ])('%i/%i vs %i/%i: p = %s', (a, n1, b, n2, ref) => {
    const p = fisherExactGreater({ canaryErrors: a, canaryTotal: n1, baselineErrors: b, baselineTotal: n2 });
    expect(relErr(p, ref)).toBeLessThan(1e-8);
  });

  it('rejects tables that are not counts', () => {
    expect(() =>
      fisherExactGreater({ canaryErrors: 3, canaryTotal: 2, baselineErrors: 0, baselineTotal: 1 }),
    ).toThrow(RangeError);
    expect(() =>
      fisherExactGreater({ canaryErrors: 0.5, canaryTotal: 2, baselineErrors: 0, baselineTotal: 1 }),
    ).toThrow(RangeError);
  });

  const table = fc
    .record({ n1: fc.integer({ min: 0, max: 5000 }), n2: fc.integer({ min: 0, max: 5000 }) })
    .chain(({ n1, n2 }) =>
      fc.record({
        canaryTotal: fc.constant(n1),
        baselineTotal: fc.constant(n2),
        canaryErrors: fc.integer({ min: 0, max: n1 }),
        baselineErrors: fc.integer({ min: 0, max: n2 }),
      }),
    );

  it('p is in [0, 1], and the two one-sided tails overlap by exactly P(X = x)', () => {
    fc.assert(
      fc.property(table, (t) => {
        const greater = fisherExactGreater(t);
        expect(greater).toBeGreaterThanOrEqual(0);
        expect(greater).toBeLessThanOrEqual(1);
        // Swapping the groups mirrors the table: P(canary >= x) + P(canary <= x) >= 1.
        const less = fisherExactGreater({
          canaryErrors: t.baselineErrors,
          canaryTotal: t.baselineTotal,
          baselineErrors: t.canaryErrors,
          baselineTotal: t.canaryTotal,
        });
        expect(greater + less).toBeGreaterThanOrEqual(1 - 1e-9);
      }),
    );
  });

  it('more canary errors never raise p; more baseline errors never lower it', () => {
    fc.assert(
      fc.property(table, (t) => {
        const p = fisherExactGreater(t);
        if (t.canaryErrors < t.canaryTotal) {
          expect(fisherExactGreater({ ...t, canaryErrors: t.canaryErrors + 1 })).toBeLessThanOrEqual(
            p + 1e-9,
          );
        }
        if (t.baselineErrors < t.baselineTotal) {
          expect(fisherExactGreater({ ...t, baselineErrors: t.baselineErrors + 1 })).toBeGreaterThanOrEqual(
            p - 1e-9,
          );
        }
      }),
    );
  });
});

describe('mannWhitneyHistograms (reference values from scipy.stats.mannwhitneyu, asymptotic, continuity)', () => {
  it.each<[number[], number[], number[], Alternative, number, number]>([
    // Worked by hand in the README: canary {1,2,2,3} vs baseline {1,1,2}: U = 9, sigma^2 = 8 - 48/42.
    [[1, 2, 3, INF], [1, 2, 1, 0], [2, 1, 0, 0], 'greater', 9, 0.16986388793304896],
    [[1, 2, 3, INF], [1, 2, 1, 0], [2, 1, 0, 0], 'less', 9, 0.9093208620478432],
    [[1, 2, 3, INF], [1, 2, 1, 0], [2, 1, 0, 0], 'two-sided', 9, 0.3397277758660979],
    [[10, 50, 100, 250, INF], [20, 30, 25, 20, 5], [30, 30, 25, 10, 5], 'greater', 5750, 0.02933892006807522],
    [
      [10, 50, 100, 250, INF],
      [200, 300, 250, 200, 50],
      [300, 300, 250, 100, 50],
      'greater',
      575000,
      1.0108000837890944e-9,
    ],
    [
      [10, 50, 100, 250, INF],
      [200, 300, 250, 200, 50],
      [300, 300, 250, 100, 50],
      'two-sided',
      575000,
      2.0216001675781887e-9,
    ],
    [[5, 10, 25, 50, INF], [5, 5, 5, 5, 5], [5, 5, 5, 5, 5], 'greater', 312.5, 0.5039492625801067],
    [[5, 10, 25, 50, INF], [5, 5, 5, 5, 5], [5, 5, 5, 5, 5], 'two-sided', 312.5, 1],
    [[1, INF], [3, 0], [0, 4], 'less', 0, 0.012372336023199468],
  ])('%j %j vs %j (%s): U = %s, p = %s', (bounds, c, b, alt, u, p) => {
    const r = mannWhitneyHistograms(hist(bounds, c), hist(bounds, b), alt);
    expect(r.u).toBe(u);
    expect(relErr(r.pValue, p)).toBeLessThan(1e-12);
  });

  it('answers p = 1 when every observation falls in one bucket', () => {
    const r = mannWhitneyHistograms(hist([10, INF], [5, 0]), hist([10, INF], [7, 0]), 'greater');
    expect(r.pValue).toBe(1);
    expect(r.probabilityOfSuperiority).toBe(0.5);
  });

  it('compares on the bounds both histograms share', () => {
    const aligned = alignHistograms(
      {
        buckets: [
          { le: 10, count: 4 },
          { le: 25, count: 6 },
          { le: 50, count: 9 },
          { le: INF, count: 10 },
        ],
      },
      {
        buckets: [
          { le: 10, count: 1 },
          { le: 50, count: 2 },
          { le: 100, count: 2 },
          { le: INF, count: 3 },
        ],
      },
    );
    expect(aligned).toEqual({ bounds: [10, 50, INF], a: [4, 5, 1], b: [1, 1, 1] });
  });

  const counts = fc.array(fc.nat({ max: 200 }), { minLength: 4, maxLength: 4 });
  const bounds = [10, 50, 100, INF];
  const nonEmpty = (c: number[]) => c.some((x) => x > 0);

  /** Rank-sum U from expanded observations with mid-ranks: the textbook definition. */
  function naiveU(c: number[], b: number[]): number {
    const obs = [
      ...c.flatMap((n, i) => Array<[number, 0 | 1]>(n).fill([i, 0])),
      ...b.flatMap((n, i) => Array<[number, 0 | 1]>(n).fill([i, 1])),
    ];
    obs.sort((x, y) => x[0] - y[0]);
    let rankSum = 0;
    for (let i = 0; i < obs.length;) {
      let j = i;
      while (j < obs.length && obs[j]![0] === obs[i]![0]) j++;
      const mid = (i + 1 + j) / 2;
      for (let k = i; k < j; k++) if (obs[k]![1] === 0) rankSum += mid;
      i = j;
    }
    const n1 = c.reduce((s, x) => s + x, 0);
    return rankSum - (n1 * (n1 + 1)) / 2;
  }

  it('U equals the rank-sum U of the expanded observations', () => {
    fc.assert(
      fc.property(counts.filter(nonEmpty), counts.filter(nonEmpty), (c, b) => {
        expect(mannWhitneyHistograms(hist(bounds, c), hist(bounds, b), 'greater').u).toBeCloseTo(
          naiveU(c, b),
          6,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('is symmetric: swapping the samples swaps greater and less, keeps two-sided', () => {
    fc.assert(
      fc.property(counts.filter(nonEmpty), counts.filter(nonEmpty), (c, b) => {
        const ab = mannWhitneyHistograms(hist(bounds, c), hist(bounds, b), 'greater');
        const ba = mannWhitneyHistograms(hist(bounds, b), hist(bounds, c), 'less');
        expect(ab.pValue).toBeCloseTo(ba.pValue, 12);
        expect(
          ab.probabilityOfSuperiority +
            mannWhitneyHistograms(hist(bounds, b), hist(bounds, c), 'greater').probabilityOfSuperiority,
        ).toBeCloseTo(1, 12);
        expect(mannWhitneyHistograms(hist(bounds, c), hist(bounds, b), 'two-sided').pValue).toBeCloseTo(
          mannWhitneyHistograms(hist(bounds, b), hist(bounds, c), 'two-sided').pValue,
          12,
        );
        for (const r of [ab, ba]) {
          expect(r.pValue).toBeGreaterThanOrEqual(0);
          expect(r.pValue).toBeLessThanOrEqual(1);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a slower canary has a larger U and A; with the tie structure fixed, a smaller p', () => {
    fc.assert(
      fc.property(counts.filter(nonEmpty), counts.filter(nonEmpty), fc.nat({ max: 2 }), (c, b, from) => {
        if (c[from] === 0) return;
        const before = mannWhitneyHistograms(hist(bounds, c), hist(bounds, b), 'greater');
        const slower = [...c];
        slower[from]!--;
        slower[from + 1]!++;
        const moved = mannWhitneyHistograms(hist(bounds, slower), hist(bounds, b), 'greater');
        expect(moved.u).toBeGreaterThanOrEqual(before.u);
        expect(moved.probabilityOfSuperiority).toBeGreaterThanOrEqual(before.probabilityOfSuperiority);
        if (b[from + 1] === 0) return;
        // Swap a canary and a baseline request across the boundary: bucket totals (the ties)
        // stay the same, U grows by at least one pair, so p cannot rise.
        const faster = [...b];
        faster[from + 1]!--;
        faster[from]!++;
        const swapped = mannWhitneyHistograms(hist(bounds, slower), hist(bounds, faster), 'greater');
        expect(swapped.u).toBeGreaterThanOrEqual(before.u + 1);
        expect(swapped.pValue).toBeLessThanOrEqual(before.pValue);
      }),
      { numRuns: 1000 },
    );
  });
});
