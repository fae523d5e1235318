import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mapBounded } from './concurrency.util.js';

describe('mapBounded', () => {
  it('keeps at most `limit` calls in flight and the results in input order (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 })),
        fc.integer({ min: 1, max: 6 }),
        async (delays, limit) => {
          let inFlight = 0;
          let peak = 0;
          const out = await mapBounded(delays, limit, async (d, i) => {
            inFlight++;
            peak = Math.max(peak, inFlight);
            for (let k = 0; k < d; k++) await Promise.resolve();
            inFlight--;
            return i * 2;
          });
          expect(out).toEqual(delays.map((_, i) => i * 2));
          expect(peak).toBeLessThanOrEqual(limit);
          if (delays.length >= limit && delays.every((d) => d > 0)) expect(peak).toBe(limit);
        },
      ),
    );
  });
});
