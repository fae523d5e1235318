import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distributeWeights } from './weights.util.js';

describe('distributeWeights', () => {
  it('scales relative weights to whole percentages summing to 100', () => {
    expect(distributeWeights([1, 1, 1])).toEqual([34, 33, 33]);
    expect(distributeWeights([90, 10])).toEqual([90, 10]);
    expect(distributeWeights([3, 1])).toEqual([75, 25]);
    expect(distributeWeights([0, 0])).toEqual([0, 0]);
    expect(distributeWeights([-5, 5])).toEqual([0, 100]);
  });

  it('always sums to 100 when some weight is positive, keeps order and never gives to non-positive ones', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -100, max: 1_000_000 }), { minLength: 1, maxLength: 8 }),
        (weights) => {
          const out = distributeWeights(weights);
          expect(out).toHaveLength(weights.length);
          expect(out.every((w) => Number.isInteger(w) && w >= 0)).toBe(true);
          if (weights.some((w) => w > 0)) expect(out.reduce((a, b) => a + b, 0)).toBe(100);
          weights.forEach((w, i) => {
            if (w <= 0) expect(out[i]).toBe(0);
            weights.forEach((v, j) => {
              if (w > v) expect(out[i]).toBeGreaterThanOrEqual(out[j]!);
            });
          });
        },
      ),
    );
  });
});
