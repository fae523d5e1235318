import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { histogramQuantile, parseLe } from './histogram-quantile.util.js';

const INF = Number.POSITIVE_INFINITY;
const B = [
  { le: 10, count: 50 },
  { le: 50, count: 90 },
  { le: 100, count: 100 },
  { le: INF, count: 100 },
];

describe('histogramQuantile (Prometheus bucketQuantile)', () => {
  // Worked by hand: rank = q * 100, then linear interpolation inside the bucket holding the rank.
  it.each([
    [0.5, 10],
    [0.7, 30],
    [0.9, 50],
    [0.99, 95],
    [0, 0],
  ])('q=%s of a four-bucket histogram is %s', (q, expected) => {
    expect(histogramQuantile(q, B)).toBeCloseTo(expected, 9);
  });

  it('answers the highest finite bound when the rank falls in +Inf', () => {
    expect(
      histogramQuantile(0.9, [
        { le: 10, count: 50 },
        { le: INF, count: 100 },
      ]),
    ).toBe(10);
  });

  it('answers NaN without +Inf, without observations or with one bucket', () => {
    expect(histogramQuantile(0.5, [{ le: 10, count: 5 }])).toBeNaN();
    expect(
      histogramQuantile(0.5, [
        { le: 10, count: 0 },
        { le: INF, count: 0 },
      ]),
    ).toBeNaN();
    expect(histogramQuantile(0.5, [{ le: INF, count: 4 }])).toBeNaN();
    expect(histogramQuantile(0.5, [])).toBeNaN();
  });

  it('answers -Inf and +Inf for q out of range, NaN for q NaN', () => {
    expect(histogramQuantile(-0.1, B)).toBe(Number.NEGATIVE_INFINITY);
    expect(histogramQuantile(1.1, B)).toBe(INF);
    expect(histogramQuantile(Number.NaN, B)).toBeNaN();
  });

  it('makes non-monotonic counts monotonic and merges equal bounds, in any input order', () => {
    expect(
      histogramQuantile(0.5, [
        { le: INF, count: 100 },
        { le: 50, count: 55 },
        { le: 10, count: 60 },
      ]),
    ).toBeCloseTo(10 * (50 / 60), 9);
    expect(
      histogramQuantile(0.25, [
        { le: 10, count: 20 },
        { le: INF, count: 50 },
        { le: 10, count: 30 },
        { le: INF, count: 50 },
      ]),
    ).toBeCloseTo(5, 9);
  });

  it('answers a first bound <= 0 as itself', () => {
    expect(
      histogramQuantile(0.2, [
        { le: -1, count: 10 },
        { le: INF, count: 20 },
      ]),
    ).toBe(-1);
  });

  // q = 0 with an empty first bucket is 0/0 = NaN in Prometheus too, so q starts above 0.
  it('is monotonic in q and stays within the finite bounds', () => {
    const counts = fc.array(fc.nat({ max: 1000 }), { minLength: 2, maxLength: 10 });
    fc.assert(
      fc.property(
        counts,
        fc.double({ min: 1e-9, max: 1, noNaN: true }),
        fc.double({ min: 1e-9, max: 1, noNaN: true }),
        (c, a, b) => {
          let cum = 0;
          const buckets = c.map((n, i) => ({ le: (i + 1) * 10, count: (cum += n) }));
          buckets.push({ le: INF, count: cum });
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          const qLo = histogramQuantile(lo, buckets);
          const qHi = histogramQuantile(hi, buckets);
          if (cum === 0) {
            expect(qLo).toBeNaN();
            return;
          }
          expect(qLo).toBeLessThanOrEqual(qHi + 1e-9);
          expect(qHi).toBeLessThanOrEqual(c.length * 10);
          expect(qLo).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe('parseLe', () => {
  it.each([
    ['0.5', 0.5],
    ['+Inf', INF],
    ['1e3', 1000],
    ['', undefined],
    ['abc', undefined],
    [undefined, undefined],
  ])('%j -> %s', (text, value) => expect(parseLe(text)).toBe(value));
});
