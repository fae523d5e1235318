import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from './duration.util.js';

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['1.5s', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['0.1s', 100],
    ['1.5ms', 1.5],
  ])('parses %s as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', 's', '1d', '-1s', '1 s', '1.s', '1s2', 'abc'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('formats whole milliseconds in one canonical spelling that parses back', () => {
    expect([0, 1, 999, 1000, 1500, 60_000, 90_000, 3_600_000].map(formatDuration)).toEqual([
      '0s',
      '1ms',
      '999ms',
      '1s',
      '1500ms',
      '1m',
      '90s',
      '1h',
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), (ms) => {
        expect(parseDuration(formatDuration(ms))).toBe(ms);
      }),
    );
  });

  it('never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const ms = parseDuration(text);
        expect(ms === undefined || Number.isFinite(ms)).toBe(true);
      }),
    );
  });
});
