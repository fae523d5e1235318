import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenBucket, type Clock } from './rate-limiter.util.js';

/** A clock that only moves when told to; sleeps complete at once and are recorded. */
class FakeClock implements Clock {
  t = 0;
  readonly sleeps: number[] = [];
  now(): number {
    return this.t;
  }
  async sleep(ms: number): Promise<void> {
    this.sleeps.push(ms);
  }
}

describe('TokenBucket', () => {
  it('lets a burst through at once, then spaces callers at 1/qps in arrival order', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ qps: 10, burst: 3 }, clock);
    const waits = Array.from({ length: 6 }, () => bucket.reserve());
    expect(waits.map((w) => Math.round(w))).toEqual([0, 0, 0, 100, 200, 300]);
    expect(bucket.stats()).toEqual({ acquired: 6, delayed: 3, waitedMs: expect.closeTo(600, 6) });
  });

  it('refills while idle, but never above the burst', () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ qps: 2, burst: 2 }, clock);
    bucket.reserve();
    bucket.reserve();
    expect(bucket.reserve()).toBeCloseTo(500);
    clock.t += 60_000;
    expect([bucket.reserve(), bucket.reserve(), Math.round(bucket.reserve())]).toEqual([0, 0, 500]);
  });

  it('acquire() sleeps for exactly the reserved wait', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket({ qps: 4, burst: 1 }, clock);
    await bucket.acquire();
    await bucket.acquire();
    await bucket.acquire();
    expect(clock.sleeps.map(Math.round)).toEqual([250, 500]);
  });

  it('never waits with an infinite rate', () => {
    const bucket = new TokenBucket({ qps: Infinity, burst: 1 }, new FakeClock());
    expect(Array.from({ length: 1000 }, () => bucket.reserve()).every((w) => w === 0)).toBe(true);
  });

  it('rejects limits that make no sense', () => {
    expect(() => new TokenBucket({ qps: 0, burst: 1 })).toThrow(RangeError);
    expect(() => new TokenBucket({ qps: 5, burst: 0 })).toThrow(RangeError);
    expect(() => new TokenBucket({ qps: Number.NaN, burst: 1 })).toThrow(RangeError);
  });

  it('never lets more than burst + qps * elapsed requests start (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 50 }),
        fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 200 }),
        (qps, burst, gaps) => {
          const clock = new FakeClock();
          const bucket = new TokenBucket({ qps, burst }, clock);
          // Each request starts when its reservation says; starts must respect the bucket bound.
          const starts: number[] = [];
          for (const gap of gaps) {
            clock.t += gap;
            starts.push(clock.t + bucket.reserve());
          }
          for (let i = 0; i < starts.length; i++)
            for (let j = i; j < starts.length; j++) {
              const window = starts[j]! - starts[i]!;
              expect(j - i + 1).toBeLessThanOrEqual(burst + (qps * window) / 1000 + 1e-6);
            }
          // Arrival order is service order.
          expect([...starts].sort((a, b) => a - b)).toEqual(starts);
        },
      ),
      { numRuns: 150 },
    );
  });
});
