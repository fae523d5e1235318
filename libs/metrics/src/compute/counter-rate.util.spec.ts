import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extrapolatedIncrease, extrapolatedRate, lowerBound } from './counter-rate.util.js';

function points(samples: Array<[seconds: number, value: number]>) {
  return {
    times: samples.map(([t]) => t * 1000),
    values: samples.map(([, v]) => v),
    first: 0,
    last: samples.length - 1,
  };
}

describe('extrapolatedIncrease (Prometheus rate/increase)', () => {
  // Each expectation is worked by hand from promql/functions.go extrapolatedRate.
  it.each([
    {
      what: 'samples exactly on both edges: no extrapolation',
      samples: [
        [0, 0],
        [15, 15],
        [30, 30],
        [45, 45],
        [60, 60],
      ] as Array<[number, number]>,
      window: [0, 60],
      increase: 60,
    },
    {
      what: 'edges 5 s away: extrapolates to the end, but not below zero at the start',
      samples: [
        [0, 0],
        [15, 15],
        [30, 30],
        [45, 45],
        [60, 60],
      ] as Array<[number, number]>,
      window: [-5, 65],
      increase: 65,
    },
    {
      what: 'a counter reset adds the value before the reset',
      samples: [
        [0, 10],
        [10, 20],
        [20, 5],
        [30, 15],
      ] as Array<[number, number]>,
      window: [0, 30],
      increase: 25,
    },
    {
      what: 'edges far from the samples: half an interval on each side',
      samples: [
        [20, 100],
        [30, 110],
        [40, 120],
      ] as Array<[number, number]>,
      window: [0, 60],
      increase: 30,
    },
    {
      what: 'the zero point caps extrapolation at the start',
      samples: [
        [10, 1],
        [20, 11],
      ] as Array<[number, number]>,
      window: [0, 20],
      increase: 11,
    },
  ])('$what', ({ samples, window, increase }) => {
    const [from, to] = window as [number, number];
    expect(extrapolatedIncrease(points(samples), from * 1000, to * 1000)).toBeCloseTo(increase, 9);
    expect(extrapolatedRate(points(samples), from * 1000, to * 1000)).toBeCloseTo(increase / (to - from), 9);
  });

  it('has no answer for fewer than two samples', () => {
    expect(extrapolatedIncrease(points([[5, 3]]), 0, 10_000)).toBeUndefined();
  });

  it('a steady counter scraped at any phase reads its true rate within one scrape interval', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 1000, noNaN: true }),
        fc.integer({ min: 0, max: 14_999 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (perSecond, phaseMs, offset) => {
          const times: number[] = [];
          const values: number[] = [];
          for (let t = phaseMs; t <= 60_000; t += 15_000) {
            times.push(t);
            values.push(offset + (perSecond * t) / 1000);
          }
          const rate = extrapolatedRate({ times, values, first: 0, last: times.length - 1 }, 0, 60_000)!;
          expect(rate).toBeGreaterThanOrEqual(0);
          expect(Math.abs(rate - perSecond) / perSecond).toBeLessThan(0.26);
        },
      ),
    );
  });

  it('a counter reset never makes the increase negative', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1000 }), { minLength: 2, maxLength: 20 }), (vals) => {
        const samples = vals.map((v, i) => [i * 10, v] as [number, number]);
        expect(extrapolatedIncrease(points(samples), 0, (vals.length - 1) * 10_000)).toBeGreaterThanOrEqual(
          0,
        );
      }),
    );
  });
});

describe('lowerBound', () => {
  it('finds the first time at or after t', () => {
    const t = [10, 20, 20, 30];
    expect([5, 10, 15, 20, 25, 30, 35].map((x) => lowerBound(t, 0, t.length, x))).toEqual([
      0, 0, 1, 1, 3, 3, 4,
    ]);
  });
});
