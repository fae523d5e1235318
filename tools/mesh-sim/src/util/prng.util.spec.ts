import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Prng } from './prng.util.js';

describe('Prng', () => {
  it('is reproducible from its seed and differs across seeds', () => {
    const a = new Prng(7);
    const b = new Prng(7);
    const c = new Prng(8);
    const seqA = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
  });

  it('stays in [0, 1) and int(n) in [0, n) (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 1, max: 1000 }), (seed, n) => {
        const rng = new Prng(seed);
        for (let i = 0; i < 50; i++) {
          const x = rng.next();
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
          const k = rng.int(n);
          expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
        }
      }),
    );
  });

  it('draws Bernoulli and Poisson variates with the right means', () => {
    const rng = new Prng(3);
    let hits = 0;
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      if (rng.chance(0.3)) hits++;
      sum += rng.poisson(4);
    }
    expect(hits / 100_000).toBeCloseTo(0.3, 2);
    expect(sum / 100_000).toBeCloseTo(4, 1);
    expect(rng.chance(0)).toBe(false);
    expect(rng.chance(1)).toBe(true);
  });
});
