import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DAY_MS,
  MINUTE_MS,
  dayKey,
  daysToPrepare,
  delayToNextRun,
  isExpired,
  minuteStart,
  partitionDay,
  partitionName,
} from './rollup-time.util.js';

const at = (iso: string) => Date.parse(iso);
// 1970 .. 2200: every instant a rollup can carry.
const instant = fc.integer({ min: 0, max: 7_258_118_400_000 });

describe('rollup time', () => {
  it('names daily partitions by their UTC day and reads the day back', () => {
    expect(partitionName(at('2025-11-27T23:59:59.999Z'))).toBe('metric_rollups_p20251127');
    expect(partitionDay('metric_rollups_p20251127')).toBe(at('2025-11-27T00:00:00Z'));
    expect(dayKey(at('2024-02-29T12:00:00Z'))).toBe('20240229');
  });

  it('refuses names that are not ours or not real days', () => {
    for (const name of [
      'metric_rollups',
      'metric_rollups_p2025112',
      'metric_rollups_p20250230',
      'x_p20251127',
      'metric_rollups_p20251127_old',
    ]) {
      expect(partitionDay(name)).toBeUndefined();
    }
  });

  it('prepares today and the days ahead', () => {
    expect(daysToPrepare(at('2025-11-27T13:00:00Z'), 2)).toEqual([
      at('2025-11-27T00:00:00Z'),
      at('2025-11-28T00:00:00Z'),
      at('2025-11-29T00:00:00Z'),
    ]);
  });

  it('expires a day once it is more than the retention before today', () => {
    const now = at('2025-11-27T00:30:00Z');
    expect(isExpired(at('2025-11-13T00:00:00Z'), now, 14)).toBe(false);
    expect(isExpired(at('2025-11-12T00:00:00Z'), now, 14)).toBe(true);
    expect(isExpired(at('2025-11-26T00:00:00Z'), now, 1)).toBe(false);
    expect(isExpired(at('2025-11-25T00:00:00Z'), now, 1)).toBe(true);
  });

  it('runs 5 s past each minute boundary', () => {
    expect(delayToNextRun(at('2025-11-27T10:00:00Z'), 5_000)).toBe(5_000);
    expect(delayToNextRun(at('2025-11-27T10:00:05Z'), 5_000)).toBe(MINUTE_MS);
    expect(delayToNextRun(at('2025-11-27T10:00:04.999Z'), 5_000)).toBe(1);
  });

  it('property: partition names round-trip for every instant, and the minute lies in its day', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const day = partitionDay(partitionName(ms));
        expect(day).toBeDefined();
        expect(ms - day!).toBeGreaterThanOrEqual(0);
        expect(ms - day!).toBeLessThan(DAY_MS);
        const minute = minuteStart(ms);
        expect(minute % MINUTE_MS).toBe(0);
        expect(partitionName(minute)).toBe(partitionName(ms));
      }),
    );
  });

  it('property: the next run is within a minute and lands on boundary + offset', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 59_000 }), (now, offset) => {
        const delay = delayToNextRun(now, offset);
        expect(delay).toBeGreaterThanOrEqual(1);
        expect(delay).toBeLessThanOrEqual(MINUTE_MS);
        const runAt = now + delay;
        if (delay > 1) expect((runAt - offset) % MINUTE_MS).toBe(0);
      }),
    );
  });

  it('property: retention never drops today or any of the last `retention` days', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 1, max: 400 }),
        fc.integer({ min: 0, max: 800 }),
        (now, keep, back) => {
          const day = Math.floor(now / DAY_MS) * DAY_MS - back * DAY_MS;
          expect(isExpired(day, now, keep)).toBe(back > keep);
        },
      ),
    );
  });
});
